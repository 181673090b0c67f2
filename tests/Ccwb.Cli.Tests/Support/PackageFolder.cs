using System.Security.Cryptography;
using Ccwb.Packaging.Manifest;

namespace Ccwb.Cli.Tests.Support;

/// <summary>A package folder as Package leaves it: artifacts on disk and manifest.json listing them with SHA-256.</summary>
internal static class PackageFolder
{
    /// <summary>Writes a folder with a Linux binary of <paramref name="binarySize"/> random bytes, a Windows binary,
    /// profile files and a CloudFormation template (which users' zips leave out).</summary>
    public static string Create(string directory, int binarySize, int seed = 1)
    {
        var random = new Random(seed);
        var artifacts = new List<ArtifactEntry>();
        void Add(string path, byte[] content, string type, string? rid = null)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
            artifacts.Add(new ArtifactEntry
            {
                Path = path, Type = type, Size = content.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), Rid = rid,
                Kind = rid is null ? null : BinaryKinds.Aot,
            });
        }
        var binary = new byte[binarySize];
        random.NextBytes(binary);
        Add("binaries/linux-x64/credential-process", binary, ArtifactTypes.Binary, "linux-x64");
        Add("binaries/win-x64/credential-process.exe", "MZ windows helper"u8.ToArray(), ArtifactTypes.Binary, "win-x64");
        Add("package/config.json", "{\"profiles\":{}}\n"u8.ToArray(), ArtifactTypes.ProfileFile);
        Add("cloudformation/auth.yaml", "Resources: {}\n"u8.ToArray(), ArtifactTypes.CloudFormation);
        ManifestJson.Write(new ReleaseManifest
        {
            Product = "ccwb", Version = "1.0.0", Commit = "abc1234", Profile = "test",
            Binaries =
            [
                new BinaryEntry { Rid = "linux-x64", Kind = BinaryKinds.Aot, Path = "binaries/linux-x64/credential-process" },
                new BinaryEntry { Rid = "win-x64", Kind = BinaryKinds.Aot, Path = "binaries/win-x64/credential-process.exe" },
            ],
            Artifacts = [.. artifacts.OrderBy(a => a.Path, StringComparer.Ordinal)],
        }, Path.Combine(directory, "manifest.json"));
        return directory;
    }
}
