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
    /// Byte for byte what <see cref="Utf8JsonWriter"/> with its default encoder writes. ASCII values (all that AWS
    /// issues) are escaped here: the writer's default encoder builds a table over all of Unicode in its static
    /// constructor, a tenth of the whole cached call. Anything else still goes through the writer.
    /// </remarks>
    public static string Format(AwsCredentials credentials) =>
        FormatAscii(credentials) ?? FormatWithJsonWriter(credentials, Rfc3339.Format(credentials.Expiration));

    /// <summary>
    /// <see cref="Format"/>'s answer when every value is ASCII (all that AWS issues), else null. Apart for the
    /// credential-process front, which hands anything else over rather than link the JSON writer.
    /// </summary>
    public static string? FormatAscii(AwsCredentials credentials)
    {
        var expiration = Rfc3339.Format(credentials.Expiration);
        if (!Ascii.IsValid(credentials.AccessKeyId) || !Ascii.IsValid(credentials.SecretAccessKey)
            || !Ascii.IsValid(credentials.SessionToken) || !Ascii.IsValid(expiration))
            return null;

        var json = new StringBuilder(128 + credentials.SessionToken.Length * 6 / 5);
        json.Append("{\"Version\":1,\"AccessKeyId\":\"");
        AppendEscapedAscii(json, credentials.AccessKeyId);
        json.Append("\",\"SecretAccessKey\":\"");
        AppendEscapedAscii(json, credentials.SecretAccessKey);
        json.Append("\",\"SessionToken\":\"");
        AppendEscapedAscii(json, credentials.SessionToken);
        json.Append("\",\"Expiration\":\"");
        AppendEscapedAscii(json, expiration);
        json.Append("\"}");
        return json.ToString();
    }

    /// <summary>Present and <see cref="AwsCredentials.IsFreshAt"/>: not the placeholder, more than 30 s left.</summary>
    public static bool IsFresh(AwsCredentials? credentials, DateTimeOffset now) => credentials is not null && credentials.IsFreshAt(now);

    /// <summary>
    /// Whether cached credentials may be printed as they are (every kind of profile's cached path): fresh, and no value
    /// holds a control character (an edited or damaged file; new ones are fetched instead).
    /// </summary>
    public static bool IsServableFromCache(AwsCredentials? credentials, DateTimeOffset now) =>
        IsFresh(credentials, now) && CredentialHandOut.ControlCharacterIn(credentials!) is null;

    internal static string FormatWithJsonWriter(AwsCredentials credentials, string expiration)
    {
        using var buffer = new MemoryStream(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version"u8, 1);
            writer.WriteString("AccessKeyId"u8, credentials.AccessKeyId);
            writer.WriteString("SecretAccessKey"u8, credentials.SecretAccessKey);
            writer.WriteString("SessionToken"u8, credentials.SessionToken);
            writer.WriteString("Expiration"u8, expiration);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The default encoder's rules for ASCII: short escapes for \b \t \n \f \r \\, \uXXXX for other controls and "&amp;'+&lt;&gt;`.</summary>
    private static void AppendEscapedAscii(StringBuilder json, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\b': json.Append("\\b"); break;
                case '\t': json.Append("\\t"); break;
                case '\n': json.Append("\\n"); break;
                case '\f': json.Append("\\f"); break;
                case '\r': json.Append("\\r"); break;
                case '\\': json.Append("\\\\"); break;
                case < ' ' or '\x7F' or '"' or '&' or '\'' or '+' or '<' or '>' or '`':
                    json.Append("\\u00").Append(HexUpper[c >> 4]).Append(HexUpper[c & 0xF]);
                    break;
                default: json.Append(c); break;
            }
        }
    }

    private const string HexUpper = "0123456789ABCDEF";
}
