using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Rendering.Writers;

/// <summary>
/// Wraps a .mobileconfig in a CMS SignedData envelope (what macOS shows as "Verified"). The chain's intermediates
/// travel inside the signature; the signing time is fixed so the same inputs give the same bytes.
/// </summary>
public static class MobileconfigSigner
{
    public static byte[] Sign(byte[] mobileconfig, X509Certificate2 certificate, X509Certificate2Collection chain, DateTime? signingTimeUtc)
    {
        var cms = new SignedCms(new ContentInfo(mobileconfig), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.Certificates.AddRange(chain);
        if (signingTimeUtc is { } time) signer.SignedAttributes.Add(new Pkcs9SigningTime(time));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }
}
