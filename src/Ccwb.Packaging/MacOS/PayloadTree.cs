namespace Ccwb.Packaging.MacOS;

/// <summary>
/// One entry of a macOS package payload: a directory or a regular file, owned by root:wheel (0:0), with the package's
/// source date as its time. <see cref="Path"/> is relative to the install location ("." for the root itself).
/// </summary>
public sealed record PayloadEntry(string Path, bool IsDirectory, int Mode, byte[] Content)
{
    public const int DirectoryMode = 0x41ED;   // S_IFDIR | 0755
    public const int FileType = 0x8000;        // S_IFREG

    public string Name => Path == "." ? "." : Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>The parent's path ("." for top-level entries), or null for the root.</summary>
    public string? Parent => Path == "." ? null : Path.Contains('/') ? Path[..Path.LastIndexOf('/')] : ".";
}

/// <summary>
/// The files a payload (or a Scripts archive) installs, with every parent directory added at 0755, kept in the order
/// pkgbuild writes them: a parent before its children, siblings by ordinal name, so the same files give the same bytes.
/// </summary>
public sealed class PayloadTree
{
    private readonly SortedDictionary<string, PayloadEntry> _entries = new(StringComparer.Ordinal)
    {
        ["."] = new PayloadEntry(".", IsDirectory: true, PayloadEntry.DirectoryMode, []),
    };

    /// <summary>Adds a regular file; <paramref name="permissions"/> is the permission bits (0644, 0755).</summary>
    public void AddFile(string path, byte[] content, int permissions)
    {
        if (path.StartsWith('/') || path.Split('/').Any(p => p is "" or "." or ".."))
            throw new PackagingException($"Payload path '{path}' must be relative, without empty, '.' or '..' parts");
        if (_entries.TryGetValue(path, out var existing) && existing.IsDirectory)
            throw new PackagingException($"Payload path '{path}' is already a directory");
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var directory = path[..slash];
            if (_entries.TryGetValue(directory, out var parent) && !parent.IsDirectory)
                throw new PackagingException($"Payload path '{directory}' is a file and cannot hold '{path}'");
            _entries.TryAdd(directory, new PayloadEntry(directory, IsDirectory: true, PayloadEntry.DirectoryMode, []));
        }
        _entries[path] = new PayloadEntry(path, IsDirectory: false, PayloadEntry.FileType | (permissions & 0xFFF), content);
    }

    /// <summary>
    /// Every entry, root first, then depth-first with siblings in ordinal order (ordinal order of whole paths would
    /// put "a b/x" before "a/x" yet after "a"; comparing path components keeps each directory's children together).
    /// </summary>
    public IReadOnlyList<PayloadEntry> Entries =>
        [.. _entries.Values.OrderBy(e => e.Path == "." ? [] : e.Path.Split('/'), PathComponentComparer.Instance)];

    public long FileBytes => _entries.Values.Sum(e => (long)e.Content.Length);

    private sealed class PathComponentComparer : IComparer<string[]>
    {
        public static readonly PathComponentComparer Instance = new();

        public int Compare(string[]? x, string[]? y)
        {
            for (var i = 0; i < Math.Min(x!.Length, y!.Length); i++)
            {
                var c = string.CompareOrdinal(x[i], y[i]);
                if (c != 0) return c;
            }
            return x.Length.CompareTo(y.Length);
        }
    }
}
