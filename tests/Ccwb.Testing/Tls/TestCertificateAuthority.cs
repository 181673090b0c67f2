using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Testing.Tls;

/// <summary>
/// A throw-away certificate authority for TLS tests: issues server certificates and writes its root as a PEM file
/// that clients are told to trust (SSL_CERT_FILE, a CA bundle).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly RSA key = RSA.Create(2048);

    public TestCertificateAuthority(string name = "ccwb test root")
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Root { get; }

    /// <summary>The root certificate as PEM text.</summary>
    public string RootPem => Root.ExportCertificatePem() + "\n";

    /// <summary>A server certificate (with its private key) for the DNS names and IP addresses given.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> names, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var list = names.ToList();
        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest($"CN={list[0]}", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in list)
        {
            if (IPAddress.TryParse(name, out var address)) san.AddIpAddress(address);
            else san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Root, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        // Round-trip through PKCS#12: SslStream on Linux needs a certificate whose key is not ephemeral.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Root.Dispose();
        key.Dispose();
    }
}
