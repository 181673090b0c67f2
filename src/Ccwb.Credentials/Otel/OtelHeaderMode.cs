using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Otel;

/// <summary>
/// The rules of otel-helper's header mode that the small <c>otel-helper</c> front and <c>otel-helper-full</c> both
/// apply, so the front's answer to a warm call is the full program's byte for byte: which profile, which bearer token
/// may be sent without starting a process, and how the headers are printed.
/// </summary>
public static class OtelHeaderMode
{
    public const string DefaultProfile = "ClaudeCode";

    /// <summary>How long a bearer token must still be valid to be sent.</summary>
    public const long BearerMarginSeconds = 60;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The <c>--profile</c> value, else <c>CCWB_PROFILE</c>, else <c>AWS_PROFILE</c>, else ClaudeCode (empty values skipped).</summary>
    public static string SelectProfile(string? flag, Func<string, string?> environment) =>
        flag is { Length: > 0 } ? flag
        : environment("CCWB_PROFILE") is { Length: > 0 } ccwb ? ccwb
        : environment("AWS_PROFILE") is { Length: > 0 } aws ? aws
        : DefaultProfile;

    /// <summary><c>CLAUDE_CODE_MONITORING_TOKEN</c> while its exp is more than 60 s away.</summary>
    public static string? EnvironmentToken(Func<string, string?> environment, TimeProvider clock, Action<string> log)
    {
        var token = environment("CLAUDE_CODE_MONITORING_TOKEN");
        if (string.IsNullOrEmpty(token) || TryDecode(token, log) is not { } claims) return null;
        return claims.Expires - clock.GetUtcNow().ToUnixTimeSeconds() > BearerMarginSeconds ? token : null;
    }

    /// <summary>
    /// The monitoring token credential-process saved (session storage), while it has more than 60 s left. Read
    /// directly so that a warm call starts no second process; keyring storage goes through credential-process.
    /// </summary>
    public static string? StoredToken(SessionPaths paths, string profile, TimeProvider clock)
    {
        var stored = new SessionCredentialCache(paths).ReadMonitoringToken(profile);
        return stored is not null && stored.Expires - clock.GetUtcNow().ToUnixTimeSeconds() > BearerMarginSeconds ? stored.Token : null;
    }

    /// <summary>The cached headers in ordinal order, with the <c>authorization</c> bearer when there is a token.</summary>
    public static SortedDictionary<string, string> WithBearer(IReadOnlyDictionary<string, string> cached, string? bearer)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in cached) headers[name] = value;
        if (bearer is not null) headers[AttributionHeaders.Authorization] = "Bearer " + bearer;
        return headers;
    }

    /// <summary>The headers as Claude Code reads them: one JSON object, in the given order, without a newline.</summary>
    public static string Json(IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in headers) writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The claims of <paramref name="token"/>, or null (logged) when it cannot be decoded.</summary>
    public static JwtClaims? TryDecode(string token, Action<string> log)
    {
        try
        {
            return JwtClaims.Decode(token);
        }
        catch (FormatException e)
        {
            log($"the id token cannot be decoded: {e.Message}");
            return null;
        }
    }
}
