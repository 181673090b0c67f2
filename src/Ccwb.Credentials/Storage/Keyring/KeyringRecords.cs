using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>The credential JSON upstream keeps in <c>&lt;profile&gt;-credentials</c> (macOS, Linux, legacy Windows).</summary>
internal sealed record StoredCredentials(int Version, string AccessKeyId, string SecretAccessKey, string SessionToken, string Expiration)
{
    public const string PlaceholderValue = CredentialPlaceholder.AccessKeyId;

    /// <summary>
    /// What "clear" writes instead of deleting: deleting a macOS keychain item loses its "Always Allow" grant and
    /// prompts the user again on the next save.
    /// </summary>
    public static StoredCredentials Placeholder { get; } =
        new(1, PlaceholderValue, PlaceholderValue, PlaceholderValue, "2000-01-01T00:00:00Z");

    [JsonIgnore]
    public bool IsPlaceholder => AccessKeyId == PlaceholderValue;

    public static StoredCredentials From(AwsCredentials credentials) => new(
        1, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Rfc3339.Format(credentials.Expiration));

    /// <summary>The credentials, or null when this is the placeholder or the expiration does not parse.</summary>
    public AwsCredentials? ToCredentials()
    {
        if (IsPlaceholder || string.IsNullOrEmpty(AccessKeyId) || string.IsNullOrEmpty(SecretAccessKey)) return null;
        if (!Rfc3339.TryParse(Expiration, out var expiration)) return null;
        return new AwsCredentials(AccessKeyId, SecretAccessKey, SessionToken, expiration);
    }
}

/// <summary>Windows split: <c>&lt;profile&gt;-keys</c>.</summary>
internal sealed record StoredKeys(string AccessKeyId, string SecretAccessKey);

/// <summary>Windows split: <c>&lt;profile&gt;-meta</c>.</summary>
internal sealed record StoredMeta(int Version, string Expiration);

/// <summary>The monitoring token record in <c>&lt;profile&gt;-monitoring</c>.</summary>
internal sealed record StoredMonitoringToken(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires")] long Expires,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("profile")] string Profile);

/// <summary>Windows chunked monitoring token: <c>&lt;profile&gt;-monitoring-meta</c>; count 0 means cleared.</summary>
internal sealed record StoredMonitoringMeta(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("expires")] long Expires,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("profile")] string Profile);

/// <summary>Windows chunked refresh token: <c>&lt;profile&gt;-refresh-meta</c>; count 0 means cleared.</summary>
internal sealed record StoredRefreshMeta(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("updated_at")] string UpdatedAt,
    [property: JsonPropertyName("iss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Issuer = null,
    [property: JsonPropertyName("sub"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject = null);

// Source generation only: the end-user binaries are native AOT, where reflection-based serialization is unavailable.
// Missing or null required fields fail the read, so a damaged item is a miss rather than half a record.
[JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(StoredCredentials))]
[JsonSerializable(typeof(StoredKeys))]
[JsonSerializable(typeof(StoredMeta))]
[JsonSerializable(typeof(StoredMonitoringToken))]
[JsonSerializable(typeof(StoredMonitoringMeta))]
[JsonSerializable(typeof(StoredRefreshMeta))]
internal sealed partial class KeyringJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Escapes only what JSON requires (no \u002B for '+'): the items are read by JSON parsers, never embedded in
    /// HTML, and stay legible in a keyring browser.
    /// </summary>
    public static KeyringJsonContext Items { get; } = new(new JsonSerializerOptions
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>JSON in and out of keyring items; anything that does not parse into the record reads as absent.</summary>
internal static class KeyringJson
{
    public static string Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Serialize(value, type);

    public static T? Read<T>(string? json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null; // a corrupt item is a cache miss, never a crash
        }
    }
}
