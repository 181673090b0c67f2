// The xar format checks SHA-1 (TOC checksum, member checksums); the tests compute it independently.
#pragma warning disable CA5350
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Ccwb.Packaging.MacOS;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>
/// The productsign-style signature checked independently: openssl verifies the RSA signature over the compressed TOC
/// with the certificate the TOC carries, and the CMS signature over the TOC checksum; tampering is caught.
/// </summary>
public sealed class PkgSignatureTests : IDisposable
{
    private const string XmlDsig = "http://www.w3.org/2000/09/xmldsig#";
    private readonly MacPackageInputs _inputs = new();
    private readonly TempDirectory _work = new("ccwb-pkgsig");
    private readonly X509Certificate2Collection _chain;
    private readonly RSA _key;

    public PkgSignatureTests()
    {
        var key = _work.Combine("key.pem");
        var certificate = _work.Combine("cert.pem");
        Run.Checked("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Developer ID Installer: Example Corp (TEST123456)", "-keyout", key, "-out", certificate);
        _chain = [];
        _chain.ImportFromPemFile(certificate);
        _key = RSA.Create();
        _key.ImportFromPem(File.ReadAllText(key));
    }

    public void Dispose()
    {
        _key.Dispose();
        _inputs.Dispose();
        _work.Dispose();
    }

    private string Signed()
    {
        var signed = _work.Combine("signed.pkg");
        new PkgSigner(_chain, _key, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)).Sign(_inputs.Build(), signed);
        return signed;
    }

    [Fact]
    public void Openssl_verifies_the_rsa_and_cms_signatures_with_the_embedded_certificate()
    {
        var parts = Split(File.ReadAllBytes(Signed()));
        Assert.Equal("Verified OK", OpensslVerify(parts).Output.Trim());
        File.WriteAllBytes(_work.Combine("checksum.bin"), parts.Checksum);
        File.WriteAllBytes(_work.Combine("cms.der"), parts.Cms);
        var cms = Run.Tool("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", _work.Combine("cms.der"),
            "-content", _work.Combine("checksum.bin"), "-noverify", "-out", "/dev/null"]);
        Assert.True(cms.ExitCode == 0, cms.ToString());
        // bsdtar still reads every member: the signatures moved the files up in the heap.
        Run.Checked("bsdtar", "-xf", _work.Combine("signed.pkg"), "-C", Directory.CreateDirectory(_work.Combine("x")).FullName);
        Assert.True(File.Exists(_work.Combine("x", "claude-code-with-bedrock.pkg", "Payload")));
    }

    [Fact]
    public void Signing_twice_gives_identical_bytes()
    {
        var first = File.ReadAllBytes(Signed());
        var second = File.ReadAllBytes(Signed());
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_tampered_toc_fails_openssl_and_the_verifier()
    {
        var bytes = File.ReadAllBytes(Signed());
        var parts = Split(bytes);
        // Re-compress a TOC that names another file size: a checksum-consistent change the signature must catch.
        var toc = parts.Toc.ToString().Replace("<name>Distribution</name>", "<name>Distributio2</name>", StringComparison.Ordinal);
        var tampered = Replace(bytes, parts, toc);
        File.WriteAllBytes(_work.Combine("tampered.pkg"), tampered);
        Assert.NotEqual(0, OpensslVerify(Split(tampered)).ExitCode);
        var error = Assert.Throws<PackagingException>(() => PkgSigner.Verify(_work.Combine("tampered.pkg")));
        Assert.Contains("signature does not match", error.Message);
    }

    [Fact]
    public void A_tampered_payload_fails_its_archived_checksum()
    {
        var bytes = File.ReadAllBytes(Signed());
        var parts = Split(bytes);
        var payload = parts.Toc.Descendants("file").Single(f => (string?)f.Element("name") == "Payload").Element("data")!;
        bytes[parts.HeapStart + (int)(long)payload.Element("offset")! + 10] ^= 0xFF;
        File.WriteAllBytes(_work.Combine("tampered.pkg"), bytes);
        var stored = bytes.AsSpan(parts.HeapStart + (int)(long)payload.Element("offset")!, (int)(long)payload.Element("length")!);
        Assert.NotEqual((string?)payload.Element("archived-checksum"), Convert.ToHexStringLower(SHA1.HashData(stored)));
        var error = Assert.Throws<PackagingException>(() => PkgSigner.Verify(_work.Combine("tampered.pkg")));
        Assert.Contains("Payload does not match its archived checksum", error.Message);
    }

    [Fact]
    public void A_package_signed_by_another_identity_is_named()
    {
        var signed = Signed();
        var other = _work.Combine("other.pem");
        Run.Checked("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Someone Else",
            "-keyout", _work.Combine("other-key.pem"), "-out", other);
        X509Certificate2Collection otherChain = [];
        otherChain.ImportFromPemFile(other);
        var error = Assert.Throws<PackagingException>(() => PkgSigner.Verify(signed, otherChain));
        Assert.Contains("not by CN=Someone Else", error.Message);
    }

    private sealed record Parts(byte[] CompressedToc, XElement Toc, int HeapStart, byte[] Checksum, byte[] Rsa, byte[] Cms, byte[] Certificate);

    /// <summary>The signed package's parts, read here from the header and TOC without the product's reader.</summary>
    private static Parts Split(byte[] bytes)
    {
        var length = (int)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8));
        var compressed = bytes.AsSpan(28, length).ToArray();
        XElement toc;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            toc = XDocument.Load(zlib).Root!.Element("toc")!;
        }
        catch (InvalidDataException) { toc = new XElement("toc"); }
        var heap = 28 + length;
        byte[] Region(XElement? e) => e is null ? [] : bytes.AsSpan(heap + (int)e.Element("offset")!, (int)e.Element("size")!).ToArray();
        var certificate = toc.Element("signature")?.Descendants(XName.Get("X509Certificate", XmlDsig)).First().Value;
        return new Parts(compressed, toc, heap, Region(toc.Element("checksum")), Region(toc.Element("signature")), Region(toc.Element("x-signature")),
            certificate is null ? [] : Convert.FromBase64String(certificate));
    }

    private static byte[] Replace(byte[] original, Parts parts, string tocText)
    {
        var xml = System.Text.Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xar>" + tocText + "</xar>");
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(xml);
        var compressed = output.ToArray();
        var header = original.AsSpan(0, 28).ToArray();
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(8), (ulong)compressed.Length);
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(16), (ulong)xml.Length);
        var heap = original.AsSpan(parts.HeapStart).ToArray();
        SHA1.HashData(compressed).CopyTo(heap, 0); // a consistent checksum: only the signature can catch the change
        return [.. header, .. compressed, .. heap];
    }

    private Run.Result OpensslVerify(Parts parts)
    {
        File.WriteAllBytes(_work.Combine("toc.bin"), parts.CompressedToc);
        File.WriteAllBytes(_work.Combine("rsa.sig"), parts.Rsa);
        File.WriteAllBytes(_work.Combine("cert.der"), parts.Certificate);
        Run.Checked("openssl", "x509", "-inform", "DER", "-in", _work.Combine("cert.der"), "-pubkey", "-noout", "-out", _work.Combine("pub.pem"));
        return Run.Tool("openssl", ["dgst", "-sha1", "-verify", _work.Combine("pub.pem"), "-signature", _work.Combine("rsa.sig"), _work.Combine("toc.bin")]);
    }
}
