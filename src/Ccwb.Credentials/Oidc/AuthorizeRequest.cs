using System.Text;
using Ccwb.Credentials.Config;

namespace Ccwb.Credentials.Oidc;

/// <summary>The browser URL that starts a sign-in (authorization code with PKCE).</summary>
public static class AuthorizeRequest
{
    public static string RedirectUri(int port) => $"http://localhost:{port}/callback";

    public static string Build(ProviderEndpoints endpoints, ProfileConfig config, PkceSession session, int port)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["client_id"] = config.ClientId,
            ["response_type"] = "code",
            ["scope"] = endpoints.Scopes,
            ["redirect_uri"] = RedirectUri(port),
            ["state"] = session.State,
            ["nonce"] = session.Nonce,
            ["code_challenge_method"] = "S256",
            ["code_challenge"] = session.CodeChallenge,
        };
        if (endpoints.Kind == ProviderKind.Azure)
        {
            parameters["response_mode"] = "query";
            var prompt = config.OidcPrompt ?? "select_account";
            if (prompt.Length > 0) parameters["prompt"] = prompt;
        }
        var url = new StringBuilder(endpoints.AuthorizeUrl);
        url.Append(endpoints.AuthorizeUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?');
        url.Append(FormEncoding.Encode(parameters));
        return url.ToString();
    }
}

/// <summary><c>application/x-www-form-urlencoded</c> as query strings and token requests use it.</summary>
public static class FormEncoding
{
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>Decodes a query string (without the leading '?'); later duplicates are ignored.</summary>
    public static Dictionary<string, string> Decode(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Unescape(pair[(equals + 1)..]);
            result.TryAdd(key, value);
        }
        return result;
    }

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
