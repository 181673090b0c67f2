using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Storage;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

public class ClientAuthenticationTests
{
    private const string TokenUrl = "https://login.microsoftonline.com/t1/oauth2/v2.0/token";

    private sealed class MemoryStore : ISecretStore
    {
        public Dictionary<string, string> Items { get; } = [];
        public string? Get(string key) => Items.GetValueOrDefault(key);
        public void Set(string key, string value) => Items[key] = value;
        public bool Remove(string key) => Items.Remove(key);
    }

    private static ProfileConfig Azure(string mode, string cert = "", string key = "") => new()
    {
        Name = "P", ProviderDomain = "login.microsoftonline.com/t1/v2.0", ClientId = "app-id", AzureAuthMode = mode,
        ClientCertificatePath = cert, ClientCertificateKeyPath = key,
    };

    [Fact]
    public void Public_clients_send_nothing_and_google_sends_its_configured_secret()
    {
        Assert.Empty(new ClientAuthentication(Azure(""), ProviderKind.Azure, () => new MemoryStore(), TimeProvider.System).For(TokenUrl));
        var google = new ProfileConfig { Name = "G", ClientId = "g", ClientSecret = "GOCSPX-x" };
        Assert.Equal([new("client_secret", "GOCSPX-x")], new ClientAuthentication(google, ProviderKind.Google, () => new MemoryStore(), TimeProvider.System).For("https://oauth2.googleapis.com/token"));
    }

    [Fact]
    public void Azure_secret_mode_reads_the_stored_secret_and_explains_how_to_store_a_missing_one()
    {
        var store = new MemoryStore();
        var auth = new ClientAuthentication(Azure("secret"), ProviderKind.Azure, () => store, TimeProvider.System);
        var e = Assert.Throws<OidcException>(() => auth.For(TokenUrl));
        Assert.Equal("azure_auth_mode is 'secret' but no client secret is stored.\nRun: credential-process --set-client-secret --profile P", e.Message);
        store.Set("P-client-secret", "s3cret");
        Assert.Equal([new("client_secret", "s3cret")], auth.For(TokenUrl));
        Assert.Throws<OidcException>(() => new ClientAuthentication(Azure("other"), ProviderKind.Azure, () => store, TimeProvider.System).For(TokenUrl));
    }

    [Fact]
    public void Azure_certificate_mode_signs_a_ps256_assertion_bound_to_the_certificate_and_the_token_url()
    {
        using var dir = new TempDirectory();
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=claude-code", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(dir.Combine("cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.Combine("key.pem"), rsa.ExportPkcs8PrivateKeyPem());

        // A certificate beats a stored secret.
        var store = new MemoryStore();
        store.Set("P-client-secret", "ignored");
        var form = new ClientAuthentication(Azure("secret", dir.Combine("cert.pem"), dir.Combine("key.pem")), ProviderKind.Azure, () => store, TimeProvider.System).For(TokenUrl);

        Assert.Equal(ClientAuthentication.AssertionType, form.Single(f => f.Key == "client_assertion_type").Value);
        var parts = form.Single(f => f.Key == "client_assertion").Value.Split('.');
        var header = JsonDocument.Parse(Base64Url.Decode(parts[0])).RootElement;
        Assert.Equal("PS256", header.GetProperty("alg").GetString());
        Assert.Equal(Base64Url.Encode(SHA256.HashData(certificate.RawData)), header.GetProperty("x5t#S256").GetString());
        var claims = JsonDocument.Parse(Base64Url.Decode(parts[1])).RootElement;
        Assert.Equal(TokenUrl, claims.GetProperty("aud").GetString());
        Assert.Equal("app-id", claims.GetProperty("iss").GetString());
        Assert.Equal("app-id", claims.GetProperty("sub").GetString());
        Assert.Equal(300, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(22, claims.GetProperty("jti").GetString()!.Length);
        using var publicKey = certificate.GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void Azure_certificate_mode_names_missing_paths_and_files()
    {
        var none = new ClientAuthentication(Azure("certificate"), ProviderKind.Azure, () => new MemoryStore(), TimeProvider.System);
        Assert.StartsWith("azure_auth_mode is 'certificate' but no certificate paths are configured.", Assert.Throws<OidcException>(() => none.For(TokenUrl)).Message, StringComparison.Ordinal);
        var missing = new ClientAuthentication(Azure("certificate", "/nonexistent/cert.pem", "/nonexistent/key.pem"), ProviderKind.Azure, () => new MemoryStore(), TimeProvider.System);
        Assert.StartsWith("certificate file not found: /nonexistent/cert.pem", Assert.Throws<OidcException>(() => missing.For(TokenUrl)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_certificate_mode_refuses_a_key_that_does_not_belong_to_the_certificate_and_a_certificate_that_is_not_x509()
    {
        using var dir = new TempDirectory();
        using var certificateKey = RSA.Create(2048);
        using var otherKey = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=claude-code", certificateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(dir.Combine("cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.Combine("other-key.pem"), otherKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(dir.Combine("garbage.pem"), PemEncoding.WriteString("CERTIFICATE", [0x30, 0x03, 0x02, 0x01, 0x05]));
        File.WriteAllText(dir.Combine("key.pem"), certificateKey.ExportPkcs8PrivateKeyPem());

        var mismatched = new ClientAuthentication(Azure("certificate", dir.Combine("cert.pem"), dir.Combine("other-key.pem")), ProviderKind.Azure, () => new MemoryStore(), TimeProvider.System);
        Assert.Equal($"the private key {dir.Combine("other-key.pem")} does not belong to the certificate {dir.Combine("cert.pem")}; Entra ID would refuse the assertion.",
            Assert.Throws<OidcException>(() => mismatched.For(TokenUrl)).Message);
        var garbage = new ClientAuthentication(Azure("certificate", dir.Combine("garbage.pem"), dir.Combine("key.pem")), ProviderKind.Azure, () => new MemoryStore(), TimeProvider.System);
        Assert.StartsWith("the client certificate is not a valid X.509 certificate: ", Assert.Throws<OidcException>(() => garbage.For(TokenUrl)).Message, StringComparison.Ordinal);
    }
}
