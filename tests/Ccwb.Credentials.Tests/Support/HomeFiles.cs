namespace Ccwb.Credentials.Tests.Support;

/// <summary>
/// A sandbox HOME saved, put back and described, for the tests that run a front and its full program on the same
/// files and compare what each left behind.
/// </summary>
internal static class HomeFiles
{
    /// <summary>Every file under <paramref name="home"/> with its content and Unix mode.</summary>
    public static Dictionary<string, (byte[] Content, UnixFileMode Mode)> Save(string home)
    {
        var files = new Dictionary<string, (byte[], UnixFileMode)>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories))
            files[Path.GetRelativePath(home, path)] = (File.ReadAllBytes(path), OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path));
        return files;
    }

    /// <summary>Empties <paramref name="home"/> and writes back what <see cref="Save"/> saved.</summary>
    public static void Restore(string home, Dictionary<string, (byte[] Content, UnixFileMode Mode)> files)
    {
        foreach (var directory in Directory.EnumerateDirectories(home)) Directory.Delete(directory, recursive: true);
        foreach (var file in Directory.EnumerateFiles(home)) File.Delete(file);
        foreach (var (relative, (content, mode)) in files)
        {
            var path = Path.Combine(home, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Every folder and file under <paramref name="home"/>, files with their content as <paramref name="normalized"/> gives it (relative path, text).</summary>
    public static SortedDictionary<string, string> Describe(string home, Func<string, string, string> normalized)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(home, "*", SearchOption.AllDirectories))
            tree[Path.GetRelativePath(home, directory) + "/"] = "";
        foreach (var path in Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(home, path);
            tree[relative] = normalized(relative, File.ReadAllText(path));
        }
        return tree;
    }
}
