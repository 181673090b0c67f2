using System.Security.Cryptography;
using System.Text;

namespace Ccwb.Contract.Files;

/// <summary>
/// Writes a file so that readers see the old or the new content, never a half-written one, and no other user can read
/// it: missing folders are created owner-only (0700), the content goes to a uniquely named owner-only temporary file
/// beside the target, is flushed to disk and renamed over the target. A symbolic link stays a link: its target is
/// written. The one writer of both sides (credential caches, AWS files, profiles, deploy outputs, manifests).
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;

    /// <summary>Writes UTF-8 text without a byte order mark.</summary>
    /// <param name="mode">The file's permissions on Unix (owner read/write unless given).</param>
    public static void WriteAllText(string path, string content, UnixFileMode mode = OwnerReadWrite) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content), mode);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode mode = OwnerReadWrite) =>
        TryWriteAllBytes(path, content, stillCurrent: null, mode);

    /// <summary>
    /// As <see cref="WriteAllBytes"/>, but <paramref name="stillCurrent"/> is asked once the new content is on disk,
    /// just before the rename: when it answers false nothing is replaced, the temporary file is removed and false is
    /// returned (a read-modify-write whose input changed meanwhile merges again instead of overwriting the change).
    /// </summary>
    public static bool TryWriteAllBytes(string path, ReadOnlySpan<byte> content, Func<bool>? stillCurrent, UnixFileMode mode = OwnerReadWrite)
    {
        var target = ResolveLinks(Path.GetFullPath(path));
        var directory = Path.GetDirectoryName(target)!;
        CreatePrivateDirectory(directory);
        // A unique temporary name: two writers never share (and truncate) one temporary file.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerReadWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // Set explicitly: the create mode above is narrowed by the umask, and a wider mode may be asked for.
            if (!OperatingSystem.IsWindows() && mode != OwnerReadWrite) File.SetUnixFileMode(temporary, mode);
            // Asked after the flush (the slow part), so the window between the check and the rename stays small.
            if (stillCurrent is not null && !stillCurrent())
            {
                TryDelete(temporary);
                return false;
            }
            File.Move(temporary, target, overwrite: true);
            return true;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Creates the folder, and any missing parents, accessible by the owner only; existing folders are left alone.</summary>
    public static void CreatePrivateDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        // Directory.CreateDirectory applies the mode to the last folder only, so missing parents are created first.
        if (Path.GetDirectoryName(directory) is { Length: > 0 } parent) CreatePrivateDirectory(parent); // "" above a relative name
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, OwnerOnlyDirectory);
    }

    public static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>The file a chain of symbolic links ends at (relative links resolve against their own folder).</summary>
    private static string ResolveLinks(string path)
    {
        for (var hops = 0; hops < 32; hops++)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not { } link) return path;
            path = Path.GetFullPath(link, Path.GetDirectoryName(path)!);
        }
        throw new IOException($"too many levels of symbolic links: {path}");
    }
}
