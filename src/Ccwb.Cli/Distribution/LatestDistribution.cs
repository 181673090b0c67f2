using System.Text.Json;
using System.Text.Json.Serialization;
using Ccwb.Contract.Files;

namespace Ccwb.Cli.Distribution;

/// <summary>One uploaded zip and the URL handed out for it.</summary>
internal sealed record DistributedFile(
    [property: JsonPropertyName("filename")] string FileName,
    [property: JsonPropertyName("package_key")] string Key,
    [property: JsonPropertyName("checksum")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("url")] string Url);

/// <summary>
/// The latest distribution of a profile: what upstream keeps in SSM (<c>/claude-code/&lt;pool&gt;/distribution/latest</c>),
/// kept here in the administrator's store (<c>~/.ccwb/distributions/&lt;profile&gt;.json</c>, mode 0600: the URLs
/// grant downloads) so that <c>--get-latest</c> needs no AWS call. Expiry is UTC, not upstream's naive local time.
/// </summary>
internal sealed record LatestDistribution(
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("expires")] DateTimeOffset Expires,
    [property: JsonPropertyName("files")] IReadOnlyList<DistributedFile> Files)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathFor(string storeDirectory, string profile) => Path.Combine(storeDirectory, "distributions", profile + ".json");

    public void Save(string storeDirectory)
    {
        var path = PathFor(storeDirectory, Profile);
        AtomicFile.CreatePrivateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }

    /// <summary>The record, or null when the profile has never been distributed.</summary>
    public static LatestDistribution? Load(string storeDirectory, string profile)
    {
        var path = PathFor(storeDirectory, profile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<LatestDistribution>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new DistributionException("distribution", $"{path} is not readable ({e.Message}); run 'ccwb distribute' again");
        }
    }
}
