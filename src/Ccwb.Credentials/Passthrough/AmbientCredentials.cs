using System.Text;
using System.Text.Json;

namespace Ccwb.Credentials.Passthrough;

/// <summary>Credentials from the standard AWS chain; long-term keys have no session token and no expiry.</summary>
public sealed record AmbientCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken, DateTimeOffset? Expiration, string Source)
{
    /// <summary>The credential_process line; <c>SessionToken</c> and <c>Expiration</c> only when present (absent = never expires).</summary>
    public string Format()
    {
        using var buffer = new MemoryStream(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version"u8, 1);
            writer.WriteString("AccessKeyId"u8, AccessKeyId);
            writer.WriteString("SecretAccessKey"u8, SecretAccessKey);
            if (!string.IsNullOrEmpty(SessionToken)) writer.WriteString("SessionToken"u8, SessionToken);
            if (Expiration is { } expires) writer.WriteString("Expiration"u8, Storage.Rfc3339.Format(expires));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>The ambient chain found no credentials, or a source in it failed.</summary>
public sealed class AmbientCredentialsException(string message, Exception? inner = null) : Exception(message, inner);
