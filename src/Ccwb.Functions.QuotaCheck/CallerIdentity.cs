using System.Text.Json;
using Ccwb.Quota;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>Who is asking: the user a quota is kept for (an email, or an IAM Identity Center user name) and their groups.</summary>
public sealed record CallerIdentity(string User, IReadOnlyList<string> Groups);

/// <summary>
/// Reads the caller from an API Gateway HTTP API event (payload format 2.0): the claims its JWT authorizer validated
/// (<c>requestContext.authorizer.jwt.claims</c>), or the IAM caller it authenticated (<c>requestContext.authorizer.iam</c>).
/// </summary>
public static class HttpApiEvent
{
    /// <summary>The caller, or null when the event names none. Throws <see cref="MalformedEventException"/> for an event that is not an HTTP API request.</summary>
    public static CallerIdentity? ReadCaller(byte[] payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new MalformedEventException($"the event is not JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requestContext", out var context) || context.ValueKind != JsonValueKind.Object)
                throw new MalformedEventException("the event has no requestContext: not an API Gateway HTTP API request");
            if (root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String && version.GetString() != "2.0")
                throw new MalformedEventException($"payload format {version.GetString()} is not 2.0");
            if (!context.TryGetProperty("authorizer", out var authorizer) || authorizer.ValueKind != JsonValueKind.Object) return null;
            if (authorizer.TryGetProperty("jwt", out var jwt) && jwt.ValueKind == JsonValueKind.Object
                && jwt.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Object)
                return FromClaims(claims);
            if (authorizer.TryGetProperty("iam", out var iam) && iam.ValueKind == JsonValueKind.Object)
                return FromIam(iam);
            return null;
        }
    }

    private static CallerIdentity? FromClaims(JsonElement claims)
    {
        var email = Text(claims, "email");
        if (string.IsNullOrWhiteSpace(email)) return null;
        var groups = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in (string[])["groups", "cognito:groups"])
            if (claims.TryGetProperty(name, out var value)) AddGroups(value, groups);
        // A department claim counts as a group named "department:<value>" (upstream's convention for Cognito).
        if (Text(claims, "custom:department") is { Length: > 0 } department) groups.Add("department:" + department);
        return new CallerIdentity(QuotaSchema.UserKey(email), [.. groups]);
    }

    // The JWT authorizer hands every claim over as a string: a JSON array claim arrives as "[a b c]" (its elements
    // space-separated in brackets). Some IdPs send one comma-separated string instead. A JSON array is read as such.
    private static void AddGroups(JsonElement value, SortedSet<string> groups)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
                if (item.ValueKind == JsonValueKind.String && item.GetString()!.Trim() is { Length: > 0 } g) groups.Add(g);
            return;
        }
        if (value.ValueKind != JsonValueKind.String) return;
        var text = value.GetString()!.Trim();
        char[] separators = [','];
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
            separators = [' ', ','];
        }
        foreach (var part in text.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            groups.Add(part);
    }

    // IAM Identity Center roles are assumed with the user name as the session name:
    // arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_<permission set>_<id>/alice@example.com.
    // Any other role counts only when its session name is an email address (passthrough users who set one).
    private static CallerIdentity? FromIam(JsonElement iam)
    {
        var arn = Text(iam, "userArn");
        if (string.IsNullOrEmpty(arn) || !arn.Contains(":assumed-role/", StringComparison.Ordinal)) return null;
        var session = arn[(arn.LastIndexOf('/') + 1)..];
        if (session.Length == 0) return null;
        var identityCenter = arn.Contains(":assumed-role/AWSReservedSSO_", StringComparison.Ordinal);
        return identityCenter || session.Contains('@') ? new CallerIdentity(QuotaSchema.UserKey(session), []) : null;
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>The invocation is not an HTTP API request this function can answer.</summary>
public sealed class MalformedEventException(string message) : Exception(message);
