using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Rendering.Tests;

/// <summary>A throw-away root CA, intermediate and code-signing leaf, made fresh for each test.</summary>
public static class TestCertificates
{
    public static (X509Certificate2 Leaf, X509Certificate2 Intermediate, X509Certificate2 Root) CreateChain()
    {
        var now = DateTimeOffset.UtcNow.AddDays(-1);
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Test Root CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var root = rootRequest.CreateSelfSigned(now, now.AddYears(1));

        using var intermediateKey = RSA.Create(2048);
        var intermediateRequest = new CertificateRequest("CN=Test Intermediate CA", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediatePublic = intermediateRequest.Create(root, now, now.AddMonths(6), [1, 2, 3, 4]);
        var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=Example Corp Profile Signing", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var leafPublic = leafRequest.Create(intermediate, now, now.AddMonths(3), [5, 6, 7, 8]);
        var leaf = leafPublic.CopyWithPrivateKey(leafKey);
        return (leaf, X509CertificateLoader.LoadCertificate(intermediate.RawData), X509CertificateLoader.LoadCertificate(root.RawData));
    }
}
