using System.Text.Json;

namespace Ccwb.Credentials.Jwt;

/// <summary>The decoded payload of a JWT. Decoding alone proves nothing; see <see cref="IdTokenValidator"/>.</summary>
public sealed class JwtClaims
{
    private readonly Dictionary<string, JsonElement> claims;

    private JwtClaims(Dictionary<string, JsonElement> claims) => this.claims = claims;

    /// <summary>Decodes the payload segment of a compact JWT; throws <see cref="FormatException"/> when it is not one.</summary>
    public static JwtClaims Decode(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0) throw new FormatException("the token is not a JWT (expected three dot-separated parts)");
        try
        {
            using var document = JsonDocument.Parse(Base64Url.Decode(parts[1]));
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("the JWT payload is not a JSON object");
            var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in document.RootElement.EnumerateObject()) map[p.Name] = p.Value.Clone();
            return new JwtClaims(map);
        }
        catch (JsonException e)
        {
            throw new FormatException("the JWT payload is not valid JSON", e);
        }
    }

    /// <summary>Claims made from plain string values (identities that come from somewhere other than a JWT).</summary>
    public static JwtClaims FromStrings(IReadOnlyDictionary<string, string> values)
    {
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in values) map[name] = JsonSerializer.SerializeToElement(value, Json.CredentialJson.Default.String);
        return new JwtClaims(map);
    }

    public string? Text(string name) =>
        claims.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Every claim, in the token's order.</summary>
    public IEnumerable<KeyValuePair<string, JsonElement>> All => claims;

    /// <summary>A claim of any JSON type, or null when absent.</summary>
    public JsonElement? Element(string name) => claims.TryGetValue(name, out var v) ? v : null;

    /// <summary>A NumericDate claim (<c>exp</c>, <c>iat</c>, <c>nbf</c>), or null when absent or not a number.</summary>
    public long? Seconds(string name) =>
        claims.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? (long)d : null;

    /// <summary>The <c>aud</c> claim as a list (it may be one string or an array).</summary>
    public IReadOnlyList<string> Audiences()
    {
        if (!claims.TryGetValue("aud", out var v)) return [];
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array) return [];
        return v.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList();
    }

    public long Expires => Seconds("exp") ?? 0;
    public string? Issuer => Text("iss");
    public string? Subject => Text("sub");
    public string? Email => Text("email");
    public string? Nonce => Text("nonce");
}
