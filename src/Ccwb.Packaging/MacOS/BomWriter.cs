using System.Buffers.Binary;
using System.Text;

namespace Ccwb.Packaging.MacOS;

/// <summary>
/// Writes a component package's Bom ("bill of materials"): the receipt Installer keeps of what a package put where.
/// Hand-written from the public description of the BOMStore format (no Bom writer is served here): a 512-byte header,
/// numbered blocks, an index of the blocks, and named variables pointing at them. Every number is big-endian.
/// The variables a receipt carries: Paths (a tree of path components with their metadata), BomInfo (byte totals per
/// CPU type), HLIndex (hard links), VIndex (virtual paths) and Size64 (sizes over 4 GiB); the last three are empty here.
/// </summary>
public static class BomWriter
{
    public const uint PathsBlockSize = 4096;
    public const uint SmallTreeBlockSize = 128;
    /// <summary>Entries per Paths leaf; a leaf is one 4096-byte node of 12 header bytes and 8 bytes per entry.</summary>
    public const int EntriesPerLeaf = 256;

    public static byte[] Write(IReadOnlyList<PayloadEntry> entries, long sourceDateEpoch)
    {
        var blocks = new BlockStore();
        var ids = new Dictionary<string, uint>(StringComparer.Ordinal);
        var pairs = new List<(uint Key, uint Value)>();
        foreach (var entry in entries)
        {
            var id = (uint)(ids.Count + 1);
            ids[entry.Path] = id;
            var parent = entry.Parent is null ? 0u : ids[entry.Parent];
            var metadata = blocks.Add(Metadata(entry, (uint)sourceDateEpoch));
            var key = blocks.Add(Be(id).Concat(Be(metadata)).ToArray());
            var value = blocks.Add([.. Be(parent), .. Encoding.UTF8.GetBytes(entry.Name), 0]);
            pairs.Add((key, value));
        }

        var paths = blocks.Add(Tree(WritePathsNodes(blocks, pairs), PathsBlockSize, (uint)pairs.Count));
        var fileBytes = (uint)entries.Where(e => !e.IsDirectory).Sum(e => (long)e.Content.Length);
        // One BomInfo entry, CPU type 0: every file is recorded as a plain file (see Metadata).
        var bomInfo = blocks.Add([.. Be(1), .. Be((uint)entries.Count), .. Be(1), .. Be(0), .. Be(0), .. Be(fileBytes), .. Be(0)]);
        var hardLinks = blocks.Add(Tree(blocks.Add(EmptyLeaf(PathsBlockSize)), PathsBlockSize, 0));
        var virtualTree = blocks.Add(Tree(blocks.Add(EmptyLeaf(SmallTreeBlockSize)), SmallTreeBlockSize, 0));
        var virtualPaths = blocks.Add([.. Be(1), .. Be(virtualTree), .. Be(0), 1]);
        var size64 = blocks.Add(Tree(blocks.Add(EmptyLeaf(SmallTreeBlockSize)), SmallTreeBlockSize, 0));

        return blocks.Serialize([("BomInfo", bomInfo), ("Paths", paths), ("HLIndex", hardLinks), ("VIndex", virtualPaths), ("Size64", size64)]);
    }

    /// <summary>The leaves (linked both ways) and, when there is more than one, a meta node over them; returns the root.</summary>
    private static uint WritePathsNodes(BlockStore blocks, List<(uint Key, uint Value)> pairs)
    {
        var chunks = pairs.Chunk(EntriesPerLeaf).ToList();
        if (chunks.Count == 0) return blocks.Add(EmptyLeaf(PathsBlockSize));
        // Leaves are numbered before they are written, so that each can name its neighbours.
        var leafIds = chunks.Select(_ => blocks.Reserve()).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            var next = i + 1 < chunks.Count ? leafIds[i + 1] : 0;
            var previous = i > 0 ? leafIds[i - 1] : 0;
            blocks.Fill(leafIds[i], Node(isLeaf: true, chunks[i], next, previous, PathsBlockSize));
        }
        if (chunks.Count == 1) return leafIds[0];
        // A meta node's entries: each leaf, with the value of that leaf's last entry.
        var meta = chunks.Select((chunk, i) => (leafIds[i], chunk[^1].Value)).ToArray();
        return blocks.Add(Node(isLeaf: false, meta, 0, 0, PathsBlockSize));
    }

    private static byte[] Metadata(PayloadEntry entry, uint mtime)
    {
        var data = new List<byte>
        {
            (byte)(entry.IsDirectory ? 2 : 1), // entry type: 1 file, 2 directory
            1,
        };
        // Flags: 0x000F = a full (not path-only) entry, binary type 0 (plain file). Mach-O programs are recorded as plain
        // files too, as bomutils does: Installer needs their per-architecture sizes only for fat-binary thinning.
        data.AddRange(Be16(0x000F));
        data.AddRange(Be16((ushort)entry.Mode));
        data.AddRange(Be(0));        // uid: root
        data.AddRange(Be(0));        // gid: wheel
        data.AddRange(Be(mtime));
        data.AddRange(Be(entry.IsDirectory ? 0 : (uint)entry.Content.Length));
        data.Add(1);
        if (!entry.IsDirectory) data.AddRange(Be(PosixCksum.Compute(entry.Content)));
        data.AddRange(new byte[8]);
        return [.. data];
    }

    private static byte[] Tree(uint root, uint blockSize, uint count) =>
        [.. "tree"u8, .. Be(1), .. Be(root), .. Be(blockSize), .. Be(count), 0];

    private static byte[] EmptyLeaf(uint blockSize) => Node(isLeaf: true, [], 0, 0, blockSize);

    private static byte[] Node(bool isLeaf, IReadOnlyList<(uint Key, uint Value)> pairs, uint next, uint previous, uint blockSize)
    {
        var node = new byte[blockSize];
        BinaryPrimitives.WriteUInt16BigEndian(node, (ushort)(isLeaf ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(node.AsSpan(2), (ushort)pairs.Count);
        BinaryPrimitives.WriteUInt32BigEndian(node.AsSpan(4), next);
        BinaryPrimitives.WriteUInt32BigEndian(node.AsSpan(8), previous);
        for (var i = 0; i < pairs.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(node.AsSpan(12 + 8 * i), pairs[i].Key);
            BinaryPrimitives.WriteUInt32BigEndian(node.AsSpan(16 + 8 * i), pairs[i].Value);
        }
        return node;
    }

    private static byte[] Be(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Be16(ushort value) => [(byte)(value >> 8), (byte)value];

    /// <summary>Numbered blocks laid out after the header; block 0 is the null block.</summary>
    private sealed class BlockStore
    {
        private const int HeaderSize = 512;
        private readonly List<byte[]?> _blocks = [[]];

        public uint Add(byte[] data)
        {
            _blocks.Add(data);
            return (uint)(_blocks.Count - 1);
        }

        public uint Reserve() => Add(null!);

        public void Fill(uint index, byte[] data) => _blocks[(int)index] = data;

        public byte[] Serialize(IReadOnlyList<(string Name, uint Block)> variables)
        {
            using var body = new MemoryStream();
            body.Write(new byte[HeaderSize]);
            var addresses = new List<(uint Offset, uint Length)> { (0, 0) };
            foreach (var block in _blocks.Skip(1))
            {
                addresses.Add(((uint)body.Position, (uint)block!.Length));
                body.Write(block);
            }
            var varsOffset = (uint)body.Position;
            body.Write(Be((uint)variables.Count));
            foreach (var (name, block) in variables)
            {
                body.Write(Be(block));
                body.WriteByte((byte)name.Length);
                body.Write(Encoding.ASCII.GetBytes(name));
            }
            var varsLength = (uint)body.Position - varsOffset;
            var indexOffset = (uint)body.Position;
            body.Write(Be((uint)addresses.Count));
            foreach (var (offset, length) in addresses)
            {
                body.Write(Be(offset));
                body.Write(Be(length));
            }
            body.Write(Be(0)); // no free blocks
            var indexLength = (uint)body.Position - indexOffset;

            var bytes = body.ToArray();
            var header = bytes.AsSpan(0, HeaderSize);
            "BOMStore"u8.CopyTo(header);
            BinaryPrimitives.WriteUInt32BigEndian(header[8..], 1);
            BinaryPrimitives.WriteUInt32BigEndian(header[12..], (uint)(addresses.Count - 1));
            BinaryPrimitives.WriteUInt32BigEndian(header[16..], indexOffset);
            BinaryPrimitives.WriteUInt32BigEndian(header[20..], indexLength);
            BinaryPrimitives.WriteUInt32BigEndian(header[24..], varsOffset);
            BinaryPrimitives.WriteUInt32BigEndian(header[28..], varsLength);
            return bytes;
        }
    }
}
