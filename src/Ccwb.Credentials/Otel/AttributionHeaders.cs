using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Ccwb.Contract.Providers;
using Ccwb.Credentials.Jwt;

namespace Ccwb.Credentials.Otel;

/// <summary>
/// The attribution headers telemetry carries, made from the id token's claims (upstream's mapping; the header names
/// are a contract with the collectors and dashboards). Each value is the first claim of its chain that is a
/// non-empty string; claims of other JSON types are skipped.
/// </summary>
public static class AttributionHeaders
{
    /// <summary>The bearer header for central collectors; sent, never cached.</summary>
    public const string Authorization = "authorization";
    public const string NestedTagsClaim = "https://aws.amazon.com/tags";
    public const string FlatTagClaimPrefix = "https://aws.amazon.com/tags/principal_tags/";

    /// <summary>The headers by name, in ordinal order; empty values are left out.</summary>
    public static SortedDictionary<string, string> From(JwtClaims claims, string costAttributionTagKey)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) headers[name] = value;
        }

        var email = First(claims, "email", "preferred_username", "mail") ?? "unknown@example.com";
        Add("x-user-email", email);
        Add("x-user-id", UserId(First(claims, "sub", "user_id")));
        var at = email.IndexOf('@', StringComparison.Ordinal);
        Add("x-user-name", First(claims, "cognito:username", "preferred_username") ?? (at < 0 ? email : email[..at]));
        Add("x-organization", Organization(claims.Issuer));
        Add("x-department", First(claims, "department", "dept", "division") ?? "unspecified");
        Add("x-team-id", First(claims, "team", "team_id", "group") ?? "default-team");
        Add("x-cost-center", First(claims, "cost_center", "costCenter", "cost_code") ?? "general");
        Add("x-manager", First(claims, "manager", "manager_email") ?? "unassigned");
        Add("x-location", First(claims, "location", "office_location", "office") ?? "remote");
        Add("x-role", First(claims, "role", "job_title", "title") ?? "user");
        Add("x-project", PrincipalTag(claims, string.IsNullOrEmpty(costAttributionTagKey) ? "Project" : costAttributionTagKey));
        return headers;
    }

    private static string? First(JwtClaims claims, params string[] names)
    {
        foreach (var name in names)
            if (claims.Text(name) is { Length: > 0 } value) return value;
        return null;
    }

    /// <summary>A stable pseudonymous id: the first 32 hex digits of SHA-256(sub), shaped like a UUID.</summary>
    private static string? UserId(string? subject)
    {
        if (subject is null) return null;
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static string Organization(string? issuer) => ProviderDetection.FromDomain(issuer) ?? "amazon-internal";

    /// <summary>The flat claim <c>…/principal_tags/&lt;key&gt;</c> wins; else the nested tags claim's value (a string or the first of an array).</summary>
    public static string? PrincipalTag(JwtClaims claims, string key)
    {
        if (StringOrFirst(claims.Element(FlatTagClaimPrefix + key)) is { } flat) return flat;
        if (claims.Element(NestedTagsClaim) is { ValueKind: JsonValueKind.Object } tags
            && tags.TryGetProperty("principal_tags", out var principal) && principal.ValueKind == JsonValueKind.Object
            && principal.TryGetProperty(key, out var value))
            return StringOrFirst(value);
        return null;
    }

    private static string? StringOrFirst(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e when e.GetString() is { Length: > 0 } s => s,
        { ValueKind: JsonValueKind.Array } e when e.GetArrayLength() > 0 && e[0].ValueKind == JsonValueKind.String
                                                  && e[0].GetString() is { Length: > 0 } s => s,
        _ => null,
    };
}
