using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>
/// Reads the code signature of a 64-bit Mach-O file as macOS checks it at launch: the LC_CODE_SIGNATURE load command
/// points at a SuperBlob whose CodeDirectory holds a hash of every page of the file up to the signature. Written from
/// Apple's published layout (xnu's cs_blobs.h) for the tests: nothing on Linux verifies a Mach-O signature.
/// </summary>
public static class MachOCodeSignature
{
    private const uint LcCodeSignature = 0x1D;
    private const uint SuperBlobMagic = 0xFADE0CC0;
    private const uint CodeDirectoryMagic = 0xFADE0C02;
    private const uint AdHocFlag = 0x2;

    public sealed record Signature(string Identifier, bool AdHoc, int Pages, IReadOnlyList<int> PagesNotMatching);

    /// <summary>The file's signature, or null when it has no LC_CODE_SIGNATURE.</summary>
    public static Signature? Read(byte[] file)
    {
        Assert.Equal(0xFEEDFACFu, BinaryPrimitives.ReadUInt32LittleEndian(file)); // 64-bit Mach-O, little-endian
        var commands = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16));
        var offset = 32;
        for (var i = 0; i < commands; i++)
        {
            var command = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset));
            if (command == LcCodeSignature)
            {
                var dataOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8));
                var dataSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 12));
                return ReadSuperBlob(file, file.AsSpan(dataOffset, dataSize).ToArray());
            }
            offset += (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 4));
        }
        return null;
    }

    // The blobs are big-endian, unlike the Mach-O header.
    private static Signature ReadSuperBlob(byte[] file, byte[] blob)
    {
        Assert.Equal(SuperBlobMagic, BinaryPrimitives.ReadUInt32BigEndian(blob));
        var count = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(8));
        for (var i = 0; i < count; i++)
        {
            var at = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(12 + 8 * i + 4));
            if (BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(at)) == CodeDirectoryMagic) return ReadCodeDirectory(file, blob.AsSpan(at));
        }
        throw new InvalidDataException("the code signature has no CodeDirectory");
    }

    private static Signature ReadCodeDirectory(byte[] file, ReadOnlySpan<byte> directory)
    {
        var flags = BinaryPrimitives.ReadUInt32BigEndian(directory[12..]);
        var hashOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(directory[16..]);
        var identifierOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(directory[20..]);
        var codeSlots = (int)BinaryPrimitives.ReadUInt32BigEndian(directory[28..]);
        var codeLimit = (int)BinaryPrimitives.ReadUInt32BigEndian(directory[32..]);
        var hashSize = directory[36];
        var hashType = directory[37];
        var pageSize = 1 << directory[39];
        Assert.Equal((2, 32), (hashType, hashSize)); // SHA-256

        var identifier = directory[identifierOffset..];
        var notMatching = new List<int>();
        for (var slot = 0; slot < codeSlots; slot++)
        {
            var start = slot * pageSize;
            var page = file.AsSpan(start, Math.Min(pageSize, codeLimit - start));
            if (!SHA256.HashData(page).AsSpan().SequenceEqual(directory.Slice(hashOffset + slot * hashSize, hashSize))) notMatching.Add(slot);
        }
        return new Signature(Encoding.UTF8.GetString(identifier[..identifier.IndexOf((byte)0)]), (flags & AdHocFlag) != 0, codeSlots, notMatching);
    }
}
