using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ccwb.Profiles;

/// <summary>
/// Reads deployment profiles: parses the JSON, applies upstream's legacy migrations, and binds the model.
/// Malformed input yields errors, never an exception.
/// </summary>
public static class ProfileLoader
{
    public static ProfileLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ProfileLoadResult(null, [new ProfileMessage("profile", $"cannot read {path}: {e.Message}")]);
        }
        return Parse(text, Path.GetFileNameWithoutExtension(path));
    }

    /// <param name="nameHint">Used as <c>name</c> when the document has none (e.g. the file name).</param>
    public static ProfileLoadResult Parse(string json, string? nameHint = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return new ProfileLoadResult(null, [new ProfileMessage("profile", $"not valid JSON: {e.Message}")]);
        }
        if (node is not JsonObject document)
            return new ProfileLoadResult(null, [new ProfileMessage("profile", "must be a JSON object")]);

        if (nameHint is not null && document["name"] is null) document["name"] = nameHint;
        try
        {
            var profile = document.Deserialize<DeploymentProfile>(ProfileJson.Options)!;
            return new ProfileLoadResult(profile, []);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) ? "profile" : e.Path.TrimStart('$', '.');
            return new ProfileLoadResult(null, [new ProfileMessage(field, "has the wrong type")]);
        }
    }
}
