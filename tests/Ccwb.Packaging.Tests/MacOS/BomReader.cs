using System.Buffers.Binary;
using System.Text;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>One path of a Bom as lsbom lists it.</summary>
public sealed record BomPath(string Path, int Type, int Mode, uint Uid, uint Gid, uint Size, uint Checksum);

/// <summary>
/// Reads a Bom's Paths the way Installer does, written for the tests from the public description of the BOMStore
/// format (independently of the writer): header, block index, named variables, then the Paths tree from its root,
/// through meta nodes to the linked leaves; each entry's key holds (id, metadata block), its value (parent id, name).
/// </summary>
public static class BomReader
{
    public static IReadOnlyList<BomPath> ReadPaths(byte[] bom)
    {
        Assert.Equal("BOMStore", Encoding.ASCII.GetString(bom, 0, 8));
        Assert.Equal(1u, U32(bom, 8));
        var indexOffset = (int)U32(bom, 16);
        var varsOffset = (int)U32(bom, 24);
        var blockCount = (int)U32(bom, indexOffset);
        var blocks = Enumerable.Range(0, blockCount)
            .Select(i => ((int)U32(bom, indexOffset + 4 + 8 * i), (int)U32(bom, indexOffset + 8 + 8 * i))).ToArray();
        Assert.Equal(blockCount - 1, (int)U32(bom, 12));

        var variables = new Dictionary<string, int>();
        var at = varsOffset + 4;
        for (var i = 0; i < U32(bom, varsOffset); i++)
        {
            var index = (int)U32(bom, at);
            var length = bom[at + 4];
            variables[Encoding.ASCII.GetString(bom, at + 5, length)] = index;
            at += 5 + length;
        }
        Assert.Equal(["BomInfo", "HLIndex", "Paths", "Size64", "VIndex"], variables.Keys.Order(StringComparer.Ordinal));

        ReadOnlySpan<byte> Block(int index) => bom.AsSpan(blocks[index].Item1, blocks[index].Item2);
        var tree = Block(variables["Paths"]);
        Assert.Equal("tree", Encoding.ASCII.GetString(tree[..4]));
        var node = (int)BinaryPrimitives.ReadUInt32BigEndian(tree[8..]);
        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(tree[16..]);
        // Down the first entries of meta nodes to the first leaf.
        while (BinaryPrimitives.ReadUInt16BigEndian(Block(node)) == 0)
            node = (int)BinaryPrimitives.ReadUInt32BigEndian(Block(node)[12..]);

        var names = new Dictionary<uint, string>();
        var paths = new List<BomPath>();
        for (; node != 0; node = (int)BinaryPrimitives.ReadUInt32BigEndian(Block(node)[4..]))
        {
            var leaf = Block(node).ToArray();
            for (var i = 0; i < BinaryPrimitives.ReadUInt16BigEndian(leaf.AsSpan(2)); i++)
            {
                var key = Block((int)U32(leaf, 12 + 8 * i));
                var value = Block((int)U32(leaf, 16 + 8 * i));
                var id = BinaryPrimitives.ReadUInt32BigEndian(key);
                var metadata = Block((int)BinaryPrimitives.ReadUInt32BigEndian(key[4..]));
                var parent = BinaryPrimitives.ReadUInt32BigEndian(value);
                var name = Encoding.UTF8.GetString(value[4..^1]);
                Assert.Equal(0, value[^1]);
                var path = parent == 0 ? name : names[parent] == "." ? name : names[parent] + "/" + name;
                names[id] = path;
                var type = metadata[0];
                var isFile = type == 1;
                paths.Add(new BomPath(path, type,
                    BinaryPrimitives.ReadUInt16BigEndian(metadata[4..]),
                    BinaryPrimitives.ReadUInt32BigEndian(metadata[6..]),
                    BinaryPrimitives.ReadUInt32BigEndian(metadata[10..]),
                    BinaryPrimitives.ReadUInt32BigEndian(metadata[18..]),
                    isFile ? BinaryPrimitives.ReadUInt32BigEndian(metadata[23..]) : 0));
            }
        }
        Assert.Equal(count, paths.Count);
        return paths;
    }

    private static uint U32(byte[] data, int offset) => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
}
