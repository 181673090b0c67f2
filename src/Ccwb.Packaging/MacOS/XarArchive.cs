// SHA-1 is what the xar format and productsign use for the TOC checksum and its signature; Installer expects it.
#pragma warning disable CA5350
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Ccwb.Packaging.MacOS;

/// <summary>
/// A xar archive read back: its TOC as XML, the compressed TOC bytes (what the TOC checksum covers) and the heap.
/// Used to sign a package in place and to verify one; only SHA-1 TOC checksums (what <see cref="XarWriter"/> and
/// Apple's tools write) are accepted.
/// </summary>
public sealed class XarArchive
{
    private XarArchive(XDocument toc, byte[] compressedToc, byte[] heap)
    {
        Toc = toc;
        CompressedToc = compressedToc;
        Heap = heap;
    }

    public XDocument Toc { get; }
    public byte[] CompressedToc { get; }
    public byte[] Heap { get; }

    public XElement TocElement => Toc.Root!.Element("toc")!;

    public static XarArchive Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Path.GetFileName(path);
        if (bytes.Length < XarWriter.HeaderSize || BinaryPrimitives.ReadUInt32BigEndian(bytes) != XarWriter.Magic)
            throw new PackagingException($"{name} is not a xar archive (no 'xar!' header)");
        var headerSize = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4));
        var compressedLength = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8));
        var algorithm = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(24));
        if (algorithm != XarWriter.ChecksumSha1)
            throw new PackagingException($"{name}: TOC checksum algorithm {algorithm} is not supported (SHA-1 expected)");
        if ((ulong)bytes.Length < headerSize + compressedLength)
            throw new PackagingException($"{name} is truncated");
        var compressedToc = bytes.AsSpan(headerSize, (int)compressedLength).ToArray();
        XDocument toc;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressedToc), CompressionMode.Decompress);
            toc = XDocument.Load(zlib);
        }
        catch (Exception e) when (e is InvalidDataException or System.Xml.XmlException)
        {
            throw new PackagingException($"{name}: the table of contents is unreadable: {e.Message}");
        }
        if (toc.Root?.Element("toc") is null) throw new PackagingException($"{name}: the table of contents has no <toc>");
        return new XarArchive(toc, compressedToc, bytes[(headerSize + (int)compressedLength)..]);
    }

    /// <summary>The checksum stored in the heap (what the signatures sign).</summary>
    public byte[] StoredChecksum
    {
        get
        {
            var (offset, size) = Region(TocElement.Element("checksum"));
            return Heap.AsSpan((int)offset, (int)size).ToArray();
        }
    }

    public bool IsSigned => TocElement.Element("signature") is not null;

    /// <summary>Every file element with data, by its path inside the archive.</summary>
    public IEnumerable<(string Path, XElement File)> Files()
    {
        IEnumerable<(string, XElement)> Walk(XElement parent, string prefix) =>
            parent.Elements("file").SelectMany(f =>
            {
                var path = prefix + (string?)f.Element("name");
                var self = f.Element("data") is null ? [] : new[] { (path, f) };
                return self.Concat(Walk(f, path + "/"));
            });
        return Walk(TocElement, "");
    }

    /// <summary>The stored (possibly compressed) bytes of a file element.</summary>
    public byte[] StoredBytes(XElement file)
    {
        var data = file.Element("data")!;
        var offset = (long)data.Element("offset")!;
        var length = (long)data.Element("length")!;
        if (offset < 0 || length < 0 || offset + length > Heap.Length) throw new PackagingException("a xar member lies outside the heap");
        return Heap.AsSpan((int)offset, (int)length).ToArray();
    }

    /// <summary>Checks the TOC checksum and every member's archived checksum; throws naming the first mismatch.</summary>
    public void VerifyChecksums(string name)
    {
        if (!SHA1.HashData(CompressedToc).AsSpan().SequenceEqual(StoredChecksum))
            throw new PackagingException($"{name}: the TOC checksum does not match the table of contents");
        foreach (var (path, file) in Files())
        {
            var expected = (string?)file.Element("data")!.Element("archived-checksum");
            if (!string.Equals(Convert.ToHexStringLower(SHA1.HashData(StoredBytes(file))), expected, StringComparison.OrdinalIgnoreCase))
                throw new PackagingException($"{name}: {path} does not match its archived checksum");
        }
    }

    internal static (long Offset, long Size) Region(XElement? element) =>
        element is null ? throw new PackagingException("the xar table of contents has no checksum")
            : ((long)element.Element("offset")!, (long)element.Element("size")!);
}
