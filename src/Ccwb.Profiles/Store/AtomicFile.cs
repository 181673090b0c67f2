using System.Text;

namespace Ccwb.Profiles.Store;

/// <summary>
/// Writes a file so that readers see the old or the new content, never a half-written one. The admin side's one
/// implementation: profiles (owner-only: they may hold a client secret) and deploy outputs saved into a profile.
/// </summary>
/// <remarks>Not shared with the credential library: the admin side must not depend on end-user code, nor the reverse.</remarks>
public static class AtomicFile
{
    public const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes UTF-8 (no BOM) through a temporary sibling and a rename; missing folders are created owner-only.</summary>
    /// <param name="mode">The file's permissions on Unix; the temporary file never has wider ones.</param>
    public static void WriteAllText(string path, string content, UnixFileMode mode = OwnerReadWrite)
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
            // Set explicitly: the create mode above is narrowed by the umask.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, mode);
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
