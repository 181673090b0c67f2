using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Ccwb.Contract.Files;

namespace Ccwb.Packaging.Manifest;

/// <summary>Reads and writes manifest.json (snake_case, indented, LF, trailing newline).</summary>
public static class ManifestJson
{
    public const string FileName = "manifest.json";

    public static string Serialize(ReleaseManifest manifest)
    {
        var sorted = manifest with
        {
            Binaries = [.. manifest.Binaries.OrderBy(b => b.Rid, StringComparer.Ordinal)],
            Artifacts = [.. manifest.Artifacts.OrderBy(a => a.Path, StringComparer.Ordinal)],
        };
        return JsonSerializer.Serialize(sorted, ManifestJsonContext.Default.ReleaseManifest).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    public static ReleaseManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path, Encoding.UTF8), ManifestJsonContext.Default.ReleaseManifest)
                   ?? throw new PackagingException($"{path}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new PackagingException($"{path}: not a valid manifest ({e.Message})");
        }
    }

    /// <summary>Written atomically and readable by all: the manifest is published with the release.</summary>
    public static void Write(ReleaseManifest manifest, string path) =>
        AtomicFile.WriteAllText(path, Serialize(manifest), AtomicFile.OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    IndentSize = 2)]
[JsonSerializable(typeof(ReleaseManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
