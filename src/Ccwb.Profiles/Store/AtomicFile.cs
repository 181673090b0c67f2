using System.Text;

namespace Ccwb.Profiles.Store;

/// <summary>
/// Writes a file so that readers see the old or the new content, never a half-written one, and so that it is readable
/// by its owner only (profiles may hold a client secret).
/// </summary>
/// <remarks>Kept here rather than shared with the credential library: the admin side must not depend on end-user code.</remarks>
internal static class AtomicFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteAllText(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreatePrivateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerReadWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Creates the directory, and any missing parents, accessible by the owner only.</summary>
    public static void CreatePrivateDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        // Directory.CreateDirectory applies the mode to the last folder only, so create missing parents first.
        if (Path.GetDirectoryName(directory) is { } parent) CreatePrivateDirectory(parent);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, OwnerReadWrite | UnixFileMode.UserExecute);
    }
}
