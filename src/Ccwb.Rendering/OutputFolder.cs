using System.Runtime.InteropServices;

namespace Ccwb.Rendering;

/// <summary>
/// Puts rendered files into a folder all at once: they are written to a hidden sibling folder first and moved into
/// place only when every file is written, so a failure never leaves a half-filled output folder behind.
/// </summary>
public static class OutputFolder
{
    /// <returns>The relative paths written, in order.</returns>
    public static IReadOnlyList<string> Write(IReadOnlyList<GeneratedFile> files, string directory)
    {
        var target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.staging-{Guid.NewGuid():N}");
        try
        {
            foreach (var file in files)
            {
                var path = Path.Combine(staging, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Content);
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    File.SetUnixFileMode(path, file.Executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
            }

            if (!Directory.Exists(target))
            {
                Directory.Move(staging, target);
            }
            else
            {
                // The folder already holds other files (binaries, earlier output): replace ours one by one.
                foreach (var file in files)
                {
                    var destination = Path.Combine(target, file.Path);
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    File.Move(Path.Combine(staging, file.Path), destination, overwrite: true);
                }
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return [.. files.Select(f => f.Path)];
    }
}
