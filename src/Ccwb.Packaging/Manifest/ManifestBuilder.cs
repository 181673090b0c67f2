using System.Security.Cryptography;

namespace Ccwb.Packaging.Manifest;

/// <summary>Describes files under an output folder as manifest entries (relative path, size, SHA-256).</summary>
public static class ManifestBuilder
{
    public static ArtifactEntry Describe(string outputDirectory, string relativePath, string type, string? rid = null,
        string? kind = null)
    {
        var full = Path.Combine(outputDirectory, relativePath);
        var info = new FileInfo(full);
        if (!info.Exists) throw new PackagingException($"{relativePath}: listed for the manifest but not found in {outputDirectory}");
        return new ArtifactEntry
        {
            Path = relativePath.Replace('\\', '/'),
            Type = type,
            Size = info.Length,
            Sha256 = Sha256Of(full),
            Rid = rid,
            Kind = kind,
        };
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
