// SHA-1 is what the xar format and productsign use for the TOC checksum and its signature; Installer expects it.
#pragma warning disable CA5350
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Linq;

namespace Ccwb.Packaging.MacOS;

/// <summary>
/// Signs a flat package as <c>productsign</c> does, with a Developer ID Installer certificate: the TOC gains a
/// <c>&lt;signature style="RSA"&gt;</c> (PKCS#1 v1.5 RSA over the SHA-1 TOC checksum) and an
/// <c>&lt;x-signature style="CMS"&gt;</c> (a detached CMS SignedData over the same checksum), each with the
/// certificate chain in an XML-DSig KeyInfo; both signatures sit in the heap right after the checksum, so every
/// member moves up by their size. The TOC that is hashed already names the signatures' offsets and sizes, hence the
/// sizes are found first by signing a placeholder. The CMS signing time is the source date: same input, same bytes.
/// </summary>
public sealed class PkgSigner(X509Certificate2Collection chain, RSA key, DateTimeOffset signingTime)
{
    private const string XmlDsig = "http://www.w3.org/2000/09/xmldsig#";

    private X509Certificate2 Leaf => chain[0];

    /// <summary>Signs <paramref name="source"/> into <paramref name="destination"/> and verifies the result.</summary>
    public void Sign(string source, string destination)
    {
        var name = Path.GetFileName(source);
        var archive = XarArchive.Read(source);
        if (archive.IsSigned) throw new PackagingException($"{name} is signed already");
        archive.VerifyChecksums(name);
        var (checksumOffset, checksumSize) = XarArchive.Region(archive.TocElement.Element("checksum"));
        if (checksumOffset != 0 || checksumSize != XarWriter.ChecksumSize)
            throw new PackagingException($"{name}: the TOC checksum is not at the start of the heap");

        var rsaSize = key.KeySize / 8;
        var cmsSize = Cms(new byte[XarWriter.ChecksumSize]).Length;
        var shift = rsaSize + cmsSize;
        foreach (var (_, file) in archive.Files())
        {
            var offset = file.Element("data")!.Element("offset")!;
            offset.Value = ((long)offset + shift).ToString(CultureInfo.InvariantCulture);
        }
        var checksum = archive.TocElement.Element("checksum")!;
        checksum.AddAfterSelf(
            SignatureElement("signature", "RSA", XarWriter.ChecksumSize, rsaSize),
            SignatureElement("x-signature", "CMS", XarWriter.ChecksumSize + rsaSize, cmsSize));

        using var toc = new MemoryStream();
        using (var xml = XmlWriter.Create(toc, XarWriter.TocSettings)) archive.Toc.Save(xml);
        var signed = XarWriter.Assemble(toc.ToArray(), archive.Heap.AsSpan(XarWriter.ChecksumSize), tocChecksum =>
        {
            var rsa = key.SignHash(tocChecksum, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
            var cms = Cms(tocChecksum);
            if (cms.Length != cmsSize) throw new PackagingException($"{name}: the CMS signature changed size while signing");
            return [.. rsa, .. cms];
        });
        File.WriteAllBytes(destination, signed);
        Verify(destination, chain);
    }

    /// <summary>
    /// Checks a signed package: TOC and member checksums, the RSA signature with the TOC's first certificate, the CMS
    /// signature, and that the signing certificate is <paramref name="expectedChain"/>'s leaf when one is given.
    /// </summary>
    public static void Verify(string path, X509Certificate2Collection? expectedChain = null)
    {
        var name = Path.GetFileName(path);
        var archive = XarArchive.Read(path);
        archive.VerifyChecksums(name);
        var signature = archive.TocElement.Element("signature") ?? throw new PackagingException($"{name} is not signed");
        var certificates = Certificates(signature);
        if (certificates.Count == 0) throw new PackagingException($"{name}: the signature carries no certificate");
        if (expectedChain is not null && !certificates[0].RawDataMemory.Span.SequenceEqual(expectedChain[0].RawDataMemory.Span))
            throw new PackagingException($"{name} is signed by {certificates[0].Subject}, not by {expectedChain[0].Subject}");
        var checksum = archive.StoredChecksum;
        using var publicKey = certificates[0].GetRSAPublicKey() ?? throw new PackagingException($"{name}: the signing certificate has no RSA key");
        if (!publicKey.VerifyHash(checksum, Slice(archive, signature), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1))
            throw new PackagingException($"{name}: the RSA signature does not match the table of contents");
        var cmsElement = archive.TocElement.Element("x-signature") ?? throw new PackagingException($"{name} has no CMS signature");
        var cms = new SignedCms(new ContentInfo(checksum), detached: true);
        try
        {
            cms.Decode(Slice(archive, cmsElement));
            cms.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException e)
        {
            throw new PackagingException($"{name}: the CMS signature does not verify: {e.Message}");
        }
        if (!cms.SignerInfos[0].Certificate!.RawDataMemory.Span.SequenceEqual(certificates[0].RawDataMemory.Span))
            throw new PackagingException($"{name}: the CMS and RSA signatures name different certificates");
    }

    /// <summary>Verifies a signed package and that this signer's certificate signed it.</summary>
    public void VerifyOwn(string path) => Verify(path, chain);

    public static bool IsSigned(string path) => XarArchive.Read(path).IsSigned;

    private byte[] Cms(byte[] content)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Leaf, key)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        // The rest of the chain explicitly: building it would need the issuers to be trusted on this machine.
        foreach (var certificate in chain.Skip(1)) signer.Certificates.Add(certificate);
        signer.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private XElement SignatureElement(string element, string style, long offset, long size) =>
        new(element, new XAttribute("style", style),
            new XElement("offset", offset),
            new XElement("size", size),
            new XElement(XName.Get("KeyInfo", XmlDsig),
                new XElement(XName.Get("X509Data", XmlDsig),
                    chain.Select(c => new XElement(XName.Get("X509Certificate", XmlDsig), Convert.ToBase64String(c.RawData))))));

    private static List<X509Certificate2> Certificates(XElement signature) =>
        [.. signature.Descendants(XName.Get("X509Certificate", XmlDsig))
            .Select(e => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(e.Value)))];

    private static byte[] Slice(XarArchive archive, XElement element)
    {
        var (offset, size) = XarArchive.Region(element);
        if (offset < 0 || size < 0 || offset + size > archive.Heap.Length) throw new PackagingException("a signature lies outside the heap");
        return archive.Heap.AsSpan((int)offset, (int)size).ToArray();
    }
}
