using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Oidc;

/// <summary>
/// The extra token-request fields of a confidential client: Entra ID <c>secret</c> (from the OS secret store) or
/// <c>certificate</c> (a PS256 client assertion, RFC 7523); <c>client_secret</c> from config.json for other providers
/// (Google). A public client sends nothing extra.
/// </summary>
public sealed class ClientAuthentication(ProfileConfig config, ProviderKind kind, Func<ISecretStore> secretStore, TimeProvider clock)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static string ClientSecretKey(string profile) => $"{profile}-client-secret";

    public IReadOnlyList<KeyValuePair<string, string>> For(string tokenUrl)
    {
        if (kind != ProviderKind.Azure)
            return config.ClientSecret.Length > 0 ? [new("client_secret", config.ClientSecret)] : [];

        var certificatePath = FirstNonEmpty(Environment.GetEnvironmentVariable("AZURE_CLIENT_CERTIFICATE_PATH"), config.ClientCertificatePath);
        var keyPath = FirstNonEmpty(Environment.GetEnvironmentVariable("AZURE_CLIENT_CERTIFICATE_KEY_PATH"), config.ClientCertificateKeyPath);
        switch (config.AzureAuthMode)
        {
            case "" or "public":
                return [];
            case "certificate":
                return [new("client_assertion_type", AssertionType), new("client_assertion", BuildAssertion(certificatePath, keyPath, tokenUrl))];
            case "secret":
                // A certificate, when configured, wins over a stored secret.
                if (certificatePath.Length > 0 && keyPath.Length > 0)
                    return [new("client_assertion_type", AssertionType), new("client_assertion", BuildAssertion(certificatePath, keyPath, tokenUrl))];
                var secret = secretStore().Get(ClientSecretKey(config.Name));
                if (string.IsNullOrEmpty(secret))
                    throw new OidcException("azure_auth_mode is 'secret' but no client secret is stored.\n" +
                                            $"Run: credential-process --set-client-secret --profile {config.Name}");
                return [new("client_secret", secret)];
            default:
                throw new OidcException($"azure_auth_mode '{config.AzureAuthMode}' is not valid; use public, secret or certificate.");
        }
    }

    /// <summary>A client assertion: PS256 over <c>{aud: token URL, iss=sub: client_id, jti, nbf, iat, exp: +300 s}</c>.</summary>
    public string BuildAssertion(string certificatePath, string keyPath, string tokenUrl)
    {
        if (certificatePath.Length == 0 || keyPath.Length == 0)
            throw new OidcException("azure_auth_mode is 'certificate' but no certificate paths are configured. Set client_certificate_path and " +
                                    "client_certificate_key_path in config.json, or AZURE_CLIENT_CERTIFICATE_PATH and AZURE_CLIENT_CERTIFICATE_KEY_PATH.");
        certificatePath = ExpandHome(certificatePath);
        keyPath = ExpandHome(keyPath);
        if (!File.Exists(certificatePath))
            throw new OidcException($"certificate file not found: {certificatePath} (set client_certificate_path or AZURE_CLIENT_CERTIFICATE_PATH)");
        if (!File.Exists(keyPath))
            throw new OidcException($"private key file not found: {keyPath} (set client_certificate_key_path or AZURE_CLIENT_CERTIFICATE_KEY_PATH)");

        byte[] certificateDer;
        using var rsa = RSA.Create();
        try
        {
            var pem = File.ReadAllText(certificatePath);
            var fields = PemEncoding.Find(pem);
            if (pem[fields.Label] != "CERTIFICATE") throw new OidcException($"{certificatePath} does not start with a CERTIFICATE PEM block.");
            certificateDer = Convert.FromBase64String(pem[fields.Base64Data]);
            rsa.ImportFromPem(File.ReadAllText(keyPath));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException)
        {
            throw new OidcException($"cannot use the client certificate {certificatePath} with key {keyPath}: {e.Message} (the key must be an RSA key in PEM)", e);
        }
        if (!SubjectPublicKeyInfo(certificateDer).SequenceEqual(rsa.ExportSubjectPublicKeyInfo()))
            throw new OidcException($"the private key {keyPath} does not belong to the certificate {certificatePath}; Entra ID would refuse the assertion.");

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var header = Json(w =>
        {
            w.WriteString("alg", "PS256");
            w.WriteString("typ", "JWT");
            w.WriteString("x5t#S256", Base64Url.Encode(SHA256.HashData(certificateDer)));
        });
        var payload = Json(w =>
        {
            w.WriteString("aud", tokenUrl);
            w.WriteString("iss", config.ClientId);
            w.WriteString("sub", config.ClientId);
            w.WriteString("jti", Base64Url.Encode(RandomNumberGenerator.GetBytes(16)));
            w.WriteNumber("nbf", now);
            w.WriteNumber("iat", now);
            w.WriteNumber("exp", now + 300);
        });
        var signingInput = Base64Url.Encode(header) + "." + Base64Url.Encode(payload);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return signingInput + "." + Base64Url.Encode(signature);
    }

    /// <summary>
    /// The certificate's subjectPublicKeyInfo (RFC 5280 §4.1), read with AsnReader rather than X509Certificate2: the
    /// certificate classes add about 150 KB to the native binary, and only this field is needed.
    /// </summary>
    private static ReadOnlySpan<byte> SubjectPublicKeyInfo(byte[] certificateDer)
    {
        try
        {
            var certificate = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
            var tbs = certificate.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0))) tbs.ReadEncodedValue(); // version
            for (var field = 0; field < 5; field++) tbs.ReadEncodedValue(); // serial, signature, issuer, validity, subject
            return tbs.ReadEncodedValue().Span;
        }
        catch (AsnContentException e)
        {
            throw new OidcException($"the client certificate is not a valid X.509 certificate: {e.Message}", e);
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;

    private static string FirstNonEmpty(string? first, string second) => string.IsNullOrEmpty(first) ? second : first;
}
