using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ccwb.Profiles;

/// <summary>Serializer settings for profile files: snake_case keys, nulls written, indent 2 (upstream's shape).</summary>
public static class ProfileJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        // Explicit so the loader can read the model's field list from the same metadata the serializer uses.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The profile as upstream writes it: every field, nulls included, unknown keys kept.</summary>
    public static string Serialize(DeploymentProfile profile) => JsonSerializer.Serialize(profile, Options) + "\n";
}
