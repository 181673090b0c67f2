namespace Ccwb.Packaging;

/// <summary>
/// A private, dot-named folder inside the output folder where a build step writes everything first. <see cref="Commit"/> moves
/// the finished entries into the output folder; disposing without committing deletes the lot, so a failure leaves
/// the output folder as it was.
/// </summary>
public sealed class StagingArea : IDisposable
{
    private readonly string _outputDirectory;

    public StagingArea(string outputDirectory)
    {
        _outputDirectory = System.IO.Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(_outputDirectory);
        // Inside the output folder so that the final moves are renames on one file system; dot-named so that it is
        // never mistaken for an artifact.
        Path = System.IO.Path.Combine(_outputDirectory, ".staging-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Moves each top-level entry of the staging folder into the output folder, replacing what was there.</summary>
    public void Commit()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path).Order(StringComparer.Ordinal))
        {
            var target = System.IO.Path.Combine(_outputDirectory, System.IO.Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                Directory.Move(entry, target);
            }
            else
            {
                File.Move(entry, target, overwrite: true);
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
