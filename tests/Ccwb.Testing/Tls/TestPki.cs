using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ccwb.Testing.Tls;

/// <summary>
/// Certificates for the TLS tests: a test CA and leaves it signs, plus the broken kinds a client must refuse
/// (expired, not yet valid, wrong name, other CA, self-signed, issued by a non-CA). ECDSA P-256 keys: fast to make.
/// </summary>
public static class TestPki
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));
    }

    /// <summary>A TLS server certificate (with its private key) for the given DNS names and IP addresses.</summary>
    public static X509Certificate2 CreateLeaf(X509Certificate2? issuer, string[] dnsNames, IPAddress[]? addresses = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool isCa = false, bool serverAuth = true,
        string? crlUrl = null, string? ocspUrl = null, string? issuerUrl = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(dnsNames.Length > 0 ? dnsNames[0] : "leaf")}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) names.AddDnsName(dns);
        foreach (var address in addresses ?? []) names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (isCa ? X509KeyUsageFlags.KeyCertSign : X509KeyUsageFlags.None), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (crlUrl is not null) request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl]));
        if (ocspUrl is not null || issuerUrl is not null)
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(ocspUrl is null ? null : [ocspUrl], issuerUrl is null ? null : [issuerUrl]));
        var from = notBefore ?? Now.AddDays(-1);
        var to = notAfter ?? Now.AddDays(30);
        if (issuer is null) return request.CreateSelfSigned(from, to);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        // Signed through a generator rather than Create(issuer, ...), which refuses an issuer that is not a CA: the
        // tests need such forgeries.
        var signer = X509SignatureGenerator.CreateForECDsa(issuer.GetECDsaPrivateKey()!);
        using var signed = request.Create(issuer.SubjectName, signer, from, to, RandomNumberGenerator.GetBytes(12));
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A CRL (DER) of <paramref name="issuer"/> that revokes <paramref name="revoked"/>, valid for a day.</summary>
    public static byte[] CreateCrl(X509Certificate2 issuer, params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked) builder.AddEntry(certificate, Now.AddHours(-1), X509RevocationReason.KeyCompromise);
        return builder.Build(issuer, 1, Now.AddDays(1), HashAlgorithmName.SHA256, thisUpdate: Now.AddMinutes(-5));
    }

    /// <summary>Writes certificates as a PEM bundle, the format HttpTransport's caBundle takes.</summary>
    public static string WritePem(string path, params X509Certificate2[] certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates) pem.Append(certificate.ExportCertificatePem()).Append('\n');
        File.WriteAllText(path, pem.ToString());
        return path;
    }
}
