using System.IO.Compression;

namespace Ccwb.Packaging.Zip;

/// <summary>A program and its build per RID (paths of the published binaries).</summary>
public sealed record ZipProgram(string Name, IReadOnlyDictionary<string, string> BinaryByRid);

/// <summary>
/// claude-code-package.zip, upstream's distribution folder as one file: the rendered profile folder (install.sh,
/// install.bat, config.json, claude-settings/, Cowork files, README.md) with every platform's programs beside it under
/// the names the rendered install.sh and install.bat look for: <c>&lt;program&gt;-macos-arm64</c>,
/// <c>-macos-intel</c>, <c>-linux-x64</c>, <c>-linux-arm64</c> and <c>&lt;program&gt;-windows.exe</c> (win-x64, which
/// Windows on Arm runs under emulation). Entries are sorted, dated at the source date and carry Unix modes, so the same
/// inputs give the same bytes and unzip restores install.sh and the programs as executables.
/// </summary>
public static class UserPackageZip
{
    public const string FileName = "claude-code-package.zip";

    /// <summary>The suffix upstream's scripts use for each RID; RIDs without one are not shipped in the zip.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlatformSuffix = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["osx-arm64"] = "-macos-arm64",
        ["osx-x64"] = "-macos-intel",
        ["linux-x64"] = "-linux-x64",
        ["linux-arm64"] = "-linux-arm64",
        ["win-x64"] = "-windows.exe",
    };

    /// <summary>Writes the zip into <paramref name="outputDirectory"/>; returns its path and the entry names.</summary>
    public static (string Path, IReadOnlyList<string> Entries) Build(string profileDirectory, IReadOnlyList<ZipProgram> programs,
        long sourceDateEpoch, string outputDirectory)
    {
        var entries = new SortedDictionary<string, (string Source, bool Executable)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(profileDirectory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(profileDirectory, file).Replace('\\', '/');
            entries[name] = (file, name.EndsWith(".sh", StringComparison.Ordinal));
        }
        foreach (var program in programs)
        {
            foreach (var (rid, path) in program.BinaryByRid)
            {
                if (!PlatformSuffix.TryGetValue(rid, out var suffix)) continue;
                if (!File.Exists(path)) throw new PackagingException($"Missing input for {FileName}: {path}");
                entries[program.Name + suffix] = (path, true);
            }
        }

        Directory.CreateDirectory(outputDirectory);
        var output = Path.Combine(outputDirectory, FileName);
        // Zip times are local DOS times from 1980 on; the source date is written as is (no time zone in the format).
        var time = DateTimeOffset.FromUnixTimeSeconds(Math.Max(sourceDateEpoch, 315532800)).UtcDateTime;
        using (var stream = File.Create(output))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var (name, (source, executable)) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(time.Ticks, TimeSpan.Zero);
                entry.ExternalAttributes = (0x8000 | (executable ? 0x1ED : 0x1A4)) << 16;
                using var target = entry.Open();
                using var input = File.OpenRead(source);
                input.CopyTo(target);
            }
        }
        return (output, [.. entries.Keys]);
    }
}
