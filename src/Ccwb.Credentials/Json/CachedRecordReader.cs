using System.Text.Json;

namespace Ccwb.Credentials.Json;

/// <summary>
/// Reads the small records of the warm paths (otel-helper's header cache, the monitoring token) with
/// <see cref="JsonDocument"/>, accepting and refusing what the generated serializer does: building the serializer's
/// metadata cost more than the rest of otel-helper's warm call, which Claude Code makes often.
/// </summary>
internal static class CachedRecordReader
{
    /// <summary>
    /// The file's JSON, after a UTF-8 byte order mark if there is one (Windows PowerShell writes one; the serializer
    /// skips it, <see cref="JsonDocument"/> does not).
    /// </summary>
    public static JsonDocument Parse(byte[] json) =>
        JsonDocument.Parse(json.AsSpan().StartsWith("\uFEFF"u8) ? json.AsMemory(3) : json.AsMemory());

    /// <summary>The record's properties; none for a JSON <c>null</c>. Anything but an object or null throws.</summary>
    public static IEnumerable<JsonProperty> Properties(JsonDocument document) => document.RootElement.ValueKind switch
    {
        JsonValueKind.Object => document.RootElement.EnumerateObject(),
        JsonValueKind.Null => [],
        _ => throw new JsonException("the record is not a JSON object"),
    };

    /// <summary>A string or null; any other kind throws.</summary>
    public static string? StringOrNull(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();

    /// <summary>What a record of the wrong shape throws while it is read (the serializer throws JsonException for all).</summary>
    public static bool IsMalformed(Exception e) => e is JsonException or InvalidOperationException or FormatException;
}
