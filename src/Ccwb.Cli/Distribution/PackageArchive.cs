using System.IO.Compression;
using System.Security.Cryptography;
using Ccwb.Packaging.Manifest;

namespace Ccwb.Cli.Distribution;

/// <summary>A problem with the package folder or a zip given to distribute; reported as <c>error: Subject: message</c>.</summary>
internal sealed class DistributionException(string subject, string message) : Exception(message)
{
    public string Subject { get; } = subject;
}

/// <summary>
/// Builds the zips users download from what Package wrote (manifest.json lists every artifact with its SHA-256).
/// Entries sit under <c>claude-code-package/</c>, sorted, with a fixed timestamp and Unix modes (executables keep
/// their exec bit, unlike upstream's archives), so the same package gives a byte-identical zip.
/// </summary>
internal static class PackageArchive
{
    public const string Root = "claude-code-package/";

    /// <summary>The per-OS zips and the RID prefix each takes binaries and installers from.</summary>
    public static readonly IReadOnlyList<(string Platform, string RidPrefix)> Platforms =
        [("linux", "linux-"), ("macos", "osx-"), ("windows", "win-")];

    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads the package folder's manifest; every artifact must be present with the recorded hash.</summary>
    public static ReleaseManifest ReadManifest(string packageDirectory)
    {
        var path = Path.Combine(packageDirectory, "manifest.json");
        if (!File.Exists(path))
            throw new DistributionException("--package-path", $"{path} not found; run ./build.sh Package first (or pass --zip)");
        try
        {
            return ManifestJson.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or IOException)
        {
            throw new DistributionException("--package-path", $"{path} is not a readable manifest: {e.Message}");
        }
    }

    /// <summary>
    /// The artifacts a user's zip carries: binaries, installers and profile files, without the administrator's
    /// CloudFormation templates. With <paramref name="ridPrefix"/>, RID-specific files of other platforms are left out.
    /// </summary>
    public static IReadOnlyList<ArtifactEntry> Select(ReleaseManifest manifest, string? ridPrefix) =>
        [.. manifest.Artifacts
            .Where(a => a.Type != ArtifactTypes.CloudFormation)
            .Where(a => ridPrefix is null || a.Rid is null || a.Rid.StartsWith(ridPrefix, StringComparison.Ordinal))
            .OrderBy(a => a.Path, StringComparer.Ordinal)];

    /// <summary>Writes the zip to <paramref name="zipPath"/>; a changed or missing artifact stops it (nothing is left).</summary>
    public static void Write(string packageDirectory, IReadOnlyList<ArtifactEntry> artifacts, string zipPath)
    {
        try
        {
            using (var stream = new FileStream(zipPath, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (var artifact in artifacts)
                {
                    var source = Path.Combine(packageDirectory, artifact.Path);
                    if (!File.Exists(source))
                        throw new DistributionException("--package-path", $"{artifact.Path} is listed in manifest.json but missing; run ./build.sh Package again");
                    var bytes = File.ReadAllBytes(source);
                    if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), artifact.Sha256, StringComparison.OrdinalIgnoreCase))
                        throw new DistributionException("--package-path", $"{artifact.Path} differs from manifest.json (SHA-256); run ./build.sh Package again");
                    var entry = zip.CreateEntry(Root + artifact.Path, CompressionLevel.Optimal);
                    entry.LastWriteTime = FixedTime;
                    var mode = artifact.Type == ArtifactTypes.Binary && !artifact.Path.EndsWith(".exe", StringComparison.Ordinal) ? 0x1ED /* 0755 */ : 0x1A4 /* 0644 */;
                    entry.ExternalAttributes = (0x8000 | mode) << 16; // regular file with Unix permissions
                    using var content = entry.Open();
                    content.Write(bytes);
                }
            }
        }
        catch
        {
            File.Delete(zipPath);
            throw;
        }
    }

    /// <summary>Checks that a zip given with --zip opens and lists its entries, before anything is uploaded.</summary>
    public static void CheckReadable(string zipPath)
    {
        if (!File.Exists(zipPath)) throw new DistributionException("--zip", $"{zipPath} not found");
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            if (zip.Entries.Count == 0) throw new DistributionException("--zip", $"{zipPath} is an empty zip");
            foreach (var entry in zip.Entries)
            {
                using var content = entry.Open();
                content.CopyTo(Stream.Null); // reads every entry, so a truncated or corrupt archive fails here
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new DistributionException("--zip", $"{zipPath} is not a readable zip: {e.Message}");
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
