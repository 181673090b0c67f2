using System.Text.Json;
using Ccwb.Http;
using Ccwb.Credentials.Json;

namespace Ccwb.Credentials.Oidc;

/// <summary>A token endpoint call failed. <see cref="IsDefinitive"/>: the refresh token is dead and should be deleted.</summary>
public sealed class TokenEndpointException(string message, bool isDefinitive, Exception? inner = null) : OidcException(message, inner)
{
    public bool IsDefinitive { get; } = isDefinitive;
}

/// <summary>The token endpoint: authorization-code exchange and refresh-token grant, form-encoded POSTs with a 30 s timeout.</summary>
public sealed class TokenClient(HttpTransport http)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public TokenResponse ExchangeCode(string tokenUrl, string clientId, string code, string redirectUri, string codeVerifier,
        IReadOnlyList<KeyValuePair<string, string>> clientAuthentication) =>
        Post(tokenUrl, "token exchange", [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
            new("client_id", clientId),
            new("code_verifier", codeVerifier),
            .. clientAuthentication,
        ]);

    public TokenResponse Refresh(string tokenUrl, string clientId, string refreshToken,
        IReadOnlyList<KeyValuePair<string, string>> clientAuthentication) =>
        Post(tokenUrl, "token refresh", [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", clientId),
            .. clientAuthentication,
        ]);

    private TokenResponse Post(string tokenUrl, string what, List<KeyValuePair<string, string>> form)
    {
        // The URL may come from a discovery document: shown only cleaned.
        var shownUrl = TerminalText.Clean(tokenUrl, 200);
        if (!Uri.TryCreate(tokenUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            throw new TokenEndpointException($"{what} failed: the token URL '{shownUrl}' is not an http(s) URL.", isDefinitive: false);
        if (url.Scheme == "http" && !url.IsLoopback)
            throw new TokenEndpointException($"{what} failed: the token URL '{shownUrl}' uses plain http; only https is allowed off this computer.", isDefinitive: false);
        HttpResponse response;
        try
        {
            response = http.Send(HttpRequest.PostForm(url, form), Timeout);
        }
        catch (HttpTransportException e)
        {
            throw new TokenEndpointException($"{what} failed: cannot reach {shownUrl}: {e.Message}", isDefinitive: false, e);
        }
        var body = response.BodyText;
        if (response.StatusCode != 200)
        {
            var error = TryParse(body, CredentialJson.Default.OAuthError)?.Error;
            var definitive = error is "invalid_grant" or "invalid_token";
            throw new TokenEndpointException($"{what} failed (HTTP {response.StatusCode}): {Shorten(body)}", definitive);
        }
        var tokens = TryParse(body, CredentialJson.Default.TokenResponse)
                     ?? throw new TokenEndpointException(
                         $"{what} failed: the token endpoint answered HTTP 200 with a body that is not a JSON token response " +
                         $"(Content-Type: {TerminalText.Clean(response.MediaType ?? "none", 80)}): {Shorten(body)}", isDefinitive: false);
        if (string.IsNullOrEmpty(tokens.IdToken))
            throw new TokenEndpointException($"{what} failed: the token response has no id_token (is the 'openid' scope allowed for this client?).", isDefinitive: false);
        return tokens;
    }

    private static T? TryParse<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try { return JsonSerializer.Deserialize(body, type); }
        catch (JsonException) { return null; }
    }

    /// <summary>Error bodies are shown to the user: on one line, without control characters, long HTML error pages cut.</summary>
    internal static string Shorten(string body) => TerminalText.Clean(body.ReplaceLineEndings(" ").Trim(), 300);
}
