using System.IO.Compression;
using System.Text;

namespace Ccwb.Packaging.MacOS;

/// <summary>
/// Writes a payload as a POSIX.1 "odc" cpio archive (the format pkgbuild's Payload and Scripts use), gzip-compressed.
/// Hand-written: no cpio writer is served here, and the format is a fixed-width octal header per entry.
/// </summary>
public static class CpioOdcWriter
{
    public static byte[] WriteGzip(IReadOnlyList<PayloadEntry> entries, long sourceDateEpoch)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            Write(entries, sourceDateEpoch, gzip);
        return output.ToArray();
    }

    public static void Write(IReadOnlyList<PayloadEntry> entries, long sourceDateEpoch, Stream stream)
    {
        var inode = 1;
        foreach (var entry in entries)
        {
            var name = entry.Path == "." ? "." : "./" + entry.Path;
            WriteEntry(stream, name, inode++, entry.Mode, entry.IsDirectory ? 2 : 1, sourceDateEpoch, entry.Content);
        }
        WriteEntry(stream, "TRAILER!!!", 0, 0, 1, 0, []);
    }

    private static void WriteEntry(Stream stream, string name, int inode, int mode, int links, long mtime, byte[] content)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var header = new StringBuilder("070707")
            .Append(Octal(0, 6))               // dev
            .Append(Octal(inode, 6))           // ino
            .Append(Octal(mode, 6))
            .Append(Octal(0, 6))               // uid: root
            .Append(Octal(0, 6))               // gid: wheel
            .Append(Octal(links, 6))
            .Append(Octal(0, 6))               // rdev
            .Append(Octal(mtime, 11))
            .Append(Octal(nameBytes.Length, 6))
            .Append(Octal(content.Length, 11));
        stream.Write(Encoding.ASCII.GetBytes(header.ToString()));
        stream.Write(nameBytes);
        stream.Write(content);
    }

    private static string Octal(long value, int width)
    {
        var text = Convert.ToString(value, 8);
        if (text.Length > width) throw new PackagingException($"cpio field overflow: {value} does not fit {width} octal digits");
        return text.PadLeft(width, '0');
    }
}

/// <summary>The POSIX <c>cksum</c> CRC (what a Bom records per file): CRC-32/CKSUM over the bytes, then their length.</summary>
public static class PosixCksum
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (var b in data) crc = (crc << 8) ^ Table[(crc >> 24) ^ b];
        for (var length = (ulong)data.Length; length != 0; length >>= 8)
            crc = (crc << 8) ^ Table[(crc >> 24) ^ (byte)length];
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i << 24;
            for (var bit = 0; bit < 8; bit++) c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            table[i] = c;
        }
        return table;
    }
}
