using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Otel;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// The flags that show what the id token says (<c>--show-claims</c>, <c>--show-tags</c>, <c>--get-tag</c>) and the MCP
/// header (<c>--get-mcp-auth-header</c>). IAM Identity Center and passthrough profiles have no id token: they answer
/// from a cached one if there is one, and never sign in for it.
/// </summary>
public sealed partial class CredentialCommands
{
    /// <summary><c>--show-claims</c>: every claim of the id token, 2-space indented, keys sorted.</summary>
    public async Task<int> ShowClaimsAsync(CancellationToken cancellation = default)
    {
        var claims = await ClaimsForDisplayAsync(cancellation).ConfigureAwait(false);
        if (claims is null || !claims.All.Any())
        {
            diagnostics.Info("No ID token claims available for this profile.");
            diagnostics.Info("(IDC auth has no JWT — identity comes from the IAM ARN, not IdP claims.)");
            return 1;
        }
        stdout.WriteLine(Indented(json =>
        {
            json.WriteStartObject();
            foreach (var (name, value) in claims.All.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                json.WritePropertyName(name);
                WriteSorted(json, value);
            }
            json.WriteEndObject();
        }));
        return 0;
    }

    /// <summary>
    /// <c>--show-tags</c>: the session-tag claims: the nested claim verbatim, the flat <c>principal_tags/&lt;Key&gt;</c>
    /// claims as one map, and the value telemetry uses for <c>cost_attribution_tag_key</c>.
    /// </summary>
    public async Task<int> ShowTagsAsync(CancellationToken cancellation = default)
    {
        var claims = await ClaimsForDisplayAsync(cancellation).ConfigureAwait(false);
        var nested = claims?.Element(AttributionHeaders.NestedTagsClaim);
        var flat = claims?.All.Where(c => c.Key.StartsWith(AttributionHeaders.FlatTagClaimPrefix, StringComparison.Ordinal)
                                         && c.Key.Length > AttributionHeaders.FlatTagClaimPrefix.Length)
            .OrderBy(c => c.Key, StringComparer.Ordinal).ToList() ?? [];
        if (nested is null && flat.Count == 0)
        {
            diagnostics.Info("No `https://aws.amazon.com/tags` claim present in the ID token.");
            diagnostics.Info("Your IdP is not configured to emit session tags. See assets/docs/COST_ATTRIBUTION.md section 3.");
            return 1;
        }
        var key = config.CostAttributionTagKey.Length > 0 ? config.CostAttributionTagKey : "Project";
        var resolved = AttributionHeaders.PrincipalTag(claims!, key);
        // Go marshals a map: keys in byte order.
        var entries = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal);
        if (nested is { } nestedClaim) entries[AttributionHeaders.NestedTagsClaim] = json => WriteSorted(json, nestedClaim);
        if (flat.Count > 0)
            entries["principal_tags (flat)"] = json =>
            {
                json.WriteStartObject();
                foreach (var (name, value) in flat)
                {
                    json.WritePropertyName(name[AttributionHeaders.FlatTagClaimPrefix.Length..]);
                    WriteSorted(json, value);
                }
                json.WriteEndObject();
            };
        if (resolved is not null) entries[$"{key} (resolved)"] = json => json.WriteStringValue(resolved);
        stdout.WriteLine(Indented(json =>
        {
            json.WriteStartObject();
            foreach (var (name, write) in entries) { json.WritePropertyName(name); write(json); }
            json.WriteEndObject();
        }));
        return 0;
    }

    /// <summary>
    /// <c>--get-tag KEY</c>: one principal tag of the stored id token, purely local. Exit 2 when there is no token or
    /// no such tag, 4 when the token has expired.
    /// </summary>
    public int GetTag(string key)
    {
        var stored = FreshEnvironmentToken() ?? cache.ReadMonitoringToken(config.Name)?.Token;
        if (stored is null)
        {
            diagnostics.Info($"No cached ID token for profile '{config.Name}'; run the credential process once to authenticate.");
            return 2;
        }
        JwtClaims claims;
        try { claims = JwtClaims.Decode(stored); }
        catch (FormatException)
        {
            diagnostics.Info($"The cached ID token for profile '{config.Name}' cannot be decoded.");
            return 2;
        }
        if (claims.Expires < clock.GetUtcNow().ToUnixTimeSeconds())
        {
            diagnostics.Info($"The cached ID token for profile '{config.Name}' has expired; run the credential process to sign in again.");
            return 4;
        }
        if (AttributionHeaders.PrincipalTag(claims, key) is not { } value)
        {
            diagnostics.Info($"The ID token has no principal tag '{TerminalText.Clean(key, 100)}'.");
            return 2;
        }
        stdout.WriteLine(TerminalText.Clean(value, 1000));
        return 0;
    }

    /// <summary>
    /// <c>--get-mcp-auth-header</c>: <c>{"Authorization":"Bearer &lt;id token&gt;"}</c> for an MCP server's headersHelper.
    /// Never opens a browser: a cached token, else (OIDC) the refresh token, else an error.
    /// </summary>
    public async Task<int> GetMcpAuthHeaderAsync(CancellationToken cancellation = default)
    {
        var token = FreshEnvironmentToken() ?? CachedToken();
        if (token is null && !config.IsIdentityCenter && !config.IsPassthrough)
        {
            var port = options.RedirectPort(config.RedirectPort);
            // Refresh tokens rotate: redeem under the sign-in lock, but do not wait long for a browser sign-in to end.
            using var callback = await SignInLock.AcquireAsync(port, TimeSpan.FromSeconds(10), diagnostics.Debug, cancellation).ConfigureAwait(false);
            token = CachedToken() ?? (callback is null ? null : IdTokens(DetectProvider()).TryRefresh()?.IdToken);
        }
        if (token is null)
        {
            diagnostics.Info($"Error: no valid cached token for profile '{config.Name}'; run the credential process once to authenticate.");
            if (cache.ReadMonitoringToken(config.Name) is not null)
                diagnostics.Info("(The cached token is expired or about to expire.)");
            return 1;
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Authorization", "Bearer " + token);
            json.WriteEndObject();
        }
        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        return 0;
    }

    /// <summary>The stored monitoring token while it has more than 10 minutes left.</summary>
    private string? CachedToken()
    {
        var stored = cache.ReadMonitoringToken(config.Name);
        return stored is not null && stored.Expires - clock.GetUtcNow().ToUnixTimeSeconds() > 600 ? stored.Token : null;
    }

    /// <summary>The claims of the id token for <c>--show-*</c>: signs in when needed (OIDC only).</summary>
    private async Task<JwtClaims?> ClaimsForDisplayAsync(CancellationToken cancellation)
    {
        var token = config.IsIdentityCenter || config.IsPassthrough
            ? FreshEnvironmentToken() ?? CachedToken()
            : await MonitoringTokenAsync(cancellation).ConfigureAwait(false);
        if (token is null) return null;
        try { return JwtClaims.Decode(token); }
        catch (FormatException) { return null; }
    }

    /// <summary>Two-space indented JSON; control characters stay escaped, so claims cannot drive the terminal.</summary>
    private static string Indented(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A JSON value with every object's keys in byte order (as Go prints a decoded map).</summary>
    private static void WriteSorted(Utf8JsonWriter json, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                json.WriteStartObject();
                foreach (var p in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    json.WritePropertyName(p.Name);
                    WriteSorted(json, p.Value);
                }
                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteSorted(json, item);
                json.WriteEndArray();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }
}
