using System.Text;
using System.Text.Json;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Flow;

/// <summary>The credential_process answer: one compact JSON line, the only thing ever written to stdout on success.</summary>
public static class CredentialOutput
{
    /// <summary>
    /// <c>{"Version":1,"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":…}</c> in that order.
    /// </summary>
    /// <remarks>
    /// Written with <see cref="Utf8JsonWriter"/> rather than the generated serializer: on the cached path, setting up
    /// the serializer context cost about half a millisecond, a sixth of the whole call.
    /// </remarks>
    public static string Format(AwsCredentials credentials)
    {
        using var buffer = new MemoryStream(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version"u8, 1);
            writer.WriteString("AccessKeyId"u8, credentials.AccessKeyId);
            writer.WriteString("SecretAccessKey"u8, credentials.SecretAccessKey);
            writer.WriteString("SessionToken"u8, credentials.SessionToken);
            writer.WriteString("Expiration"u8, Rfc3339.Format(credentials.Expiration));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Usable only with more than 30 s left (the SDK would otherwise call again at once).</summary>
    public static bool IsFresh(AwsCredentials? credentials, DateTimeOffset now) =>
        credentials is not null && credentials.AccessKeyId != CredentialPlaceholder.AccessKeyId && credentials.Expiration - now > TimeSpan.FromSeconds(30);
}
