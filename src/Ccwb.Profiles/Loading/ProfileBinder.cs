using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Ccwb.Profiles.Loading;

/// <summary>
/// Binds a migrated document to <see cref="DeploymentProfile"/>, checking every known field's JSON type first so that
/// all wrong types are reported together (the serializer alone stops at the first one).
/// </summary>
internal static class ProfileBinder
{
    private static readonly Dictionary<string, JsonPropertyInfo> Fields =
        ProfileJson.Options.GetTypeInfo(typeof(DeploymentProfile)).Properties
            .Where(p => p.Set is not null)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static (DeploymentProfile? Profile, IReadOnlyList<ProfileMessage> Errors) Bind(JsonObject document)
    {
        var errors = new List<ProfileMessage>();
        foreach (var (key, value) in document.ToList())
        {
            if (!Fields.TryGetValue(key, out var field)) continue;
            if (value is null)
            {
                // A null where the model has no null (e.g. "credential_storage": null) means "not set": keep the default.
                if (!field.IsSetNullable) document.Remove(key);
                continue;
            }
            try
            {
                value.Deserialize(field.PropertyType, ProfileJson.Options);
                if (HasNullString(value, field.PropertyType)) throw new JsonException("null inside a list or object of strings");
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
            {
                errors.Add(new ProfileMessage(key, ExpectedShape(key, field.PropertyType)));
            }
        }
        if (errors.Count > 0) return (null, errors);

        try
        {
            return (document.Deserialize<DeploymentProfile>(ProfileJson.Options), errors);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Every field was checked above, so this is a defect here rather than in the profile; report, do not throw.
            return (null, [new ProfileMessage("profile", "could not be read: " + e.Message)]);
        }
    }

    // The serializer accepts ["a", null] for a list of strings; the rules expect real strings.
    private static bool HasNullString(JsonNode value, Type type) =>
        (type == typeof(IReadOnlyList<string>) && value is JsonArray array && array.Any(e => e is null)) ||
        (type == typeof(IReadOnlyDictionary<string, string>) && value is JsonObject obj && obj.Any(e => e.Value is null));

    private static string ExpectedShape(string key, Type type)
    {
        if (key == "extra_files") return "must be a list of entries";
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "must be a string";
        if (type == typeof(bool)) return "must be true or false";
        if (type == typeof(int) || type == typeof(long)) return "must be a whole number";
        if (type == typeof(double)) return "must be a number";
        if (type == typeof(IReadOnlyList<string>)) return "must be a list of strings";
        if (type == typeof(IReadOnlyDictionary<string, string>)) return "must be an object whose values are strings";
        if (type == typeof(IReadOnlyDictionary<string, JsonElement>)) return "must be an object";
        if (type == typeof(IReadOnlyList<JsonElement>)) return "must be a list";
        return "has the wrong type";
    }
}
