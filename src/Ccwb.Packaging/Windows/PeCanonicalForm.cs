using System.Buffers.Binary;

namespace Ccwb.Packaging.Windows;

/// <summary>
/// Puts an unsigned Windows executable in the form Authenticode signing leaves it in: its length padded with zeros to
/// a multiple of 8 and the PE checksum set. osslsigncode's remove-signature gives exactly this form back, so a signed
/// release's executable with its signature removed is byte-identical to the unsigned build. (The single-file apphost
/// carries the template's stale checksum and an unaligned appended bundle; the Windows loader reads neither.)
/// Hand-written: a few header offsets, which no library served here exposes for writing.
/// </summary>
public static class PeCanonicalForm
{
    private const int SecurityDirectoryIndex = 4;

    /// <summary>Rewrites <paramref name="path"/> in place when it is an unsigned PE not yet in canonical form; returns whether it changed.</summary>
    public static bool Apply(string path)
    {
        var original = File.ReadAllBytes(path);
        var canonical = Canonical(original);
        if (canonical is null || canonical.AsSpan().SequenceEqual(original)) return false;
        File.WriteAllBytes(path, canonical);
        return true;
    }

    /// <summary>The canonical bytes; null when the file is not a PE image or already carries a signature.</summary>
    public static byte[]? Canonical(byte[] image)
    {
        if (!TryChecksumOffset(image, out var checksumOffset, out var securityDirectory)) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(securityDirectory + 4)) != 0) return null; // signed: leave it
        var padded = new byte[(image.Length + 7) / 8 * 8];
        image.CopyTo(padded, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(padded.AsSpan(checksumOffset), Checksum(padded, checksumOffset));
        return padded;
    }

    /// <summary>The PE checksum (as imagehlp's CheckSumMappedFile): 16-bit one's-complement sum, checksum field skipped, plus the length.</summary>
    public static uint Checksum(ReadOnlySpan<byte> image, int checksumOffset)
    {
        ulong sum = 0;
        for (var i = 0; i < image.Length; i += 2)
        {
            if (i == checksumOffset || i == checksumOffset + 2) continue;
            sum += i + 1 < image.Length ? BinaryPrimitives.ReadUInt16LittleEndian(image[i..]) : image[i];
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (uint)(sum + (ulong)image.Length);
    }

    private static bool TryChecksumOffset(byte[] image, out int checksumOffset, out int securityDirectory)
    {
        checksumOffset = securityDirectory = 0;
        if (image.Length < 0x40 || image[0] != 'M' || image[1] != 'Z') return false;
        var pe = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(0x3C));
        if (pe <= 0 || pe + 24 + 2 > image.Length || BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(pe)) != 0x00004550) return false;
        var optionalHeader = pe + 24;
        var dataDirectories = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(optionalHeader)) switch
        {
            0x10B => optionalHeader + 96,  // PE32
            0x20B => optionalHeader + 112, // PE32+
            _ => -1,
        };
        if (dataDirectories < 0 || dataDirectories + (SecurityDirectoryIndex + 1) * 8 > image.Length) return false;
        checksumOffset = optionalHeader + 64;
        securityDirectory = dataDirectories + SecurityDirectoryIndex * 8;
        return true;
    }
}
