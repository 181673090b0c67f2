using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Profiles.Loading;
using Ccwb.Profiles.Validation;

namespace Ccwb.Profiles;

/// <summary>
/// Reads deployment profiles: parses the JSON, applies upstream's legacy migrations, binds the model and validates it.
/// Malformed input yields errors, never an exception.
/// </summary>
public static class ProfileLoader
{
    /// <summary>Reads and validates a profile file; the file name (without .json) is the name when the file has none.</summary>
    public static ProfileLoadResult LoadFile(string path)
    {
        var read = ReadFile(path);
        return read.Profile is null ? read : read with { Messages = ProfileValidator.Validate(read.Profile) };
    }

    /// <summary>Parses and validates a profile document.</summary>
    /// <param name="nameHint">Used as <c>name</c> when the document has none (e.g. the file name).</param>
    public static ProfileLoadResult Parse(string json, string? nameHint = null)
    {
        var read = Read(json, nameHint);
        return read.Profile is null ? read : read with { Messages = ProfileValidator.Validate(read.Profile) };
    }

    /// <summary>Reads a profile file without validating it (the result has a profile unless the JSON is unusable).</summary>
    public static ProfileLoadResult ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Failed("profile", $"cannot read {path}: {e.Message}");
        }
        return Read(text, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses, migrates and binds a profile document without validating it.</summary>
    public static ProfileLoadResult Read(string json, string? nameHint = null)
    {
        if (ParseObject(json, out var error) is not { } document) return Failed("profile", error!);

        if (nameHint is not null && document["name"] is null) document["name"] = nameHint;
        ProfileMigrations.Apply(document);
        var (profile, errors) = ProfileBinder.Bind(document);
        return new ProfileLoadResult(profile, errors);
    }

    /// <summary>Parses a JSON object, or explains in <paramref name="error"/> why the text is not one.</summary>
    internal static JsonObject? ParseObject(string json, out string? error)
    {
        error = null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            error = $"not valid JSON: {e.Message}";
            return null;
        }
        if (node is not JsonObject document)
        {
            error = "must be a JSON object";
            return null;
        }
        try
        {
            // Materialise the object now: duplicate keys surface here rather than in the middle of a migration.
            _ = document.Count;
        }
        catch (ArgumentException)
        {
            error = "not valid JSON: a key appears twice";
            return null;
        }
        return document;
    }

    private static ProfileLoadResult Failed(string field, string message) => new(null, [new ProfileMessage(field, message)]);
}
