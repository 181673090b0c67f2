using System.Text.Json.Serialization;

namespace Ccwb.Profiles.Store;

/// <summary><c>~/.ccwb/config.json</c>: which profile is active and where profiles live.</summary>
public sealed record StoreConfig(
    [property: JsonPropertyName("schema_version")] string SchemaVersion,
    [property: JsonPropertyName("active_profile")] string? ActiveProfile,
    [property: JsonPropertyName("profiles_dir")] string ProfilesDir);
