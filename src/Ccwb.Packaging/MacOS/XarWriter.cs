// SHA-1 is what the xar format and productsign use for the TOC checksum and its signature; Installer expects it.
#pragma warning disable CA5350
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace Ccwb.Packaging.MacOS;

/// <summary>A member of a xar archive.</summary>
public abstract record XarNode(string Name);

/// <summary>A file; <see cref="Compress"/> stores it zlib-compressed (xar's "application/x-gzip" encoding).</summary>
public sealed record XarFile(string Name, byte[] Content, bool Compress, int Mode = 0x1A4) : XarNode(Name);

public sealed record XarDirectory(string Name, IReadOnlyList<XarNode> Children) : XarNode(Name);

/// <summary>
/// Writes a xar archive, the container of a flat installer package: a 28-byte header, the zlib-compressed XML table
/// of contents (TOC), then the heap. The heap starts with the SHA-1 of the compressed TOC (the TOC checksum, which a
/// signature signs), followed by each file's stored bytes in TOC order. Hand-written: no xar writer is served here.
/// Owners are root:wheel and every time is the source date, so the same members give the same bytes.
/// </summary>
public static class XarWriter
{
    public const uint Magic = 0x78617221; // "xar!"
    public const int HeaderSize = 28;
    public const uint ChecksumSha1 = 1;
    public const int ChecksumSize = 20;

    public static byte[] Write(IReadOnlyList<XarNode> members, long sourceDateEpoch)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(sourceDateEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var heap = new MemoryStream();
        heap.Write(new byte[ChecksumSize]); // the TOC checksum, filled in below
        var toc = new MemoryStream();
        using (var xml = XmlWriter.Create(toc, TocSettings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("xar");
            xml.WriteStartElement("toc");
            xml.WriteElementString("creation-time", time);
            xml.WriteStartElement("checksum");
            xml.WriteAttributeString("style", "sha1");
            xml.WriteElementString("offset", "0");
            xml.WriteElementString("size", ChecksumSize.ToString(CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            var id = 0;
            foreach (var member in members) WriteMember(xml, member, heap, time, ref id);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        return Assemble(toc.ToArray(), heap.ToArray().AsSpan(ChecksumSize));
    }

    /// <summary>
    /// Header, compressed TOC and heap: the heap's first <see cref="ChecksumSize"/> bytes are the TOC checksum, then
    /// <paramref name="heapAfterChecksum"/> (signatures, if any, then the files).
    /// </summary>
    internal static byte[] Assemble(byte[] tocXml, ReadOnlySpan<byte> heapAfterChecksum, Func<byte[], byte[]>? signaturesFor = null)
    {
        var compressedToc = Zlib(tocXml);
        var checksum = SHA1.HashData(compressedToc);
        var signatures = signaturesFor?.Invoke(checksum) ?? [];
        var output = new byte[HeaderSize + compressedToc.Length + ChecksumSize + signatures.Length + heapAfterChecksum.Length];
        var span = output.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], HeaderSize);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], 1);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], (ulong)compressedToc.Length);
        BinaryPrimitives.WriteUInt64BigEndian(span[16..], (ulong)tocXml.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], ChecksumSha1);
        var at = HeaderSize;
        compressedToc.CopyTo(span[at..]);
        at += compressedToc.Length;
        checksum.CopyTo(span[at..]);
        at += ChecksumSize;
        signatures.CopyTo(span[at..]);
        at += signatures.Length;
        heapAfterChecksum.CopyTo(span[at..]);
        return output;
    }

    internal static readonly XmlWriterSettings TocSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = " ",
        NewLineChars = "\n",
    };

    internal static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(data);
        return output.ToArray();
    }

    private static void WriteMember(XmlWriter xml, XarNode member, MemoryStream heap, string time, ref int id)
    {
        id++;
        xml.WriteStartElement("file");
        xml.WriteAttributeString("id", id.ToString(CultureInfo.InvariantCulture));
        if (member is XarFile file)
        {
            var stored = file.Compress ? Zlib(file.Content) : file.Content;
            xml.WriteStartElement("data");
            xml.WriteElementString("length", stored.Length.ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("offset", heap.Position.ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("size", file.Content.Length.ToString(CultureInfo.InvariantCulture));
            xml.WriteStartElement("encoding");
            xml.WriteAttributeString("style", file.Compress ? "application/x-gzip" : "application/octet-stream");
            xml.WriteEndElement();
            WriteChecksum(xml, "extracted-checksum", file.Content);
            WriteChecksum(xml, "archived-checksum", stored);
            xml.WriteEndElement();
            heap.Write(stored);
        }
        foreach (var name in new[] { "ctime", "mtime", "atime" }) xml.WriteElementString(name, time);
        xml.WriteElementString("group", "wheel");
        xml.WriteElementString("gid", "0");
        xml.WriteElementString("user", "root");
        xml.WriteElementString("uid", "0");
        var mode = member is XarFile f ? f.Mode : 0x1ED;
        xml.WriteElementString("mode", "0" + Convert.ToString(mode, 8));
        xml.WriteElementString("deviceno", "0");
        xml.WriteElementString("inode", id.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("type", member is XarDirectory ? "directory" : "file");
        xml.WriteElementString("name", member.Name);
        if (member is XarDirectory directory)
            foreach (var child in directory.Children) WriteMember(xml, child, heap, time, ref id);
        xml.WriteEndElement();
    }

    private static void WriteChecksum(XmlWriter xml, string element, byte[] data)
    {
        xml.WriteStartElement(element);
        xml.WriteAttributeString("style", "sha1");
        xml.WriteString(Convert.ToHexStringLower(SHA1.HashData(data)));
        xml.WriteEndElement();
    }
}
