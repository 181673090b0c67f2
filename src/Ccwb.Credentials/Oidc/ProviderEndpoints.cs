using Ccwb.Credentials.Config;

namespace Ccwb.Credentials.Oidc;

/// <summary>The URLs and scopes of one provider, and how to recognise the issuer of its id tokens.</summary>
public sealed record ProviderEndpoints(
    ProviderKind Kind,
    string AuthorizeUrl,
    string TokenUrl,
    string Scopes,
    Func<string, bool> IssuerMatches,
    string IssuerDescription,
    string? JwksUri);

/// <summary>
/// Builds every provider URL in one place (the token URL of the code exchange and of the refresh must be the same).
/// </summary>
public static class ProviderCatalog
{
    public const string GoogleTokenUrl = "https://oauth2.googleapis.com/token";
    private const string FullScopes = "openid profile email offline_access";

    /// <summary>
    /// Endpoints for a detected provider. Generic OIDC without explicit endpoints needs its discovery document;
    /// pass it as <paramref name="discovery"/>.
    /// </summary>
    public static ProviderEndpoints For(ProfileConfig config, ProviderKind kind, Json.DiscoveryDocument? discovery = null)
    {
        var baseUrl = BaseUrl(config.ProviderDomain, kind);
        switch (kind)
        {
            case ProviderKind.Okta:
                var okta = config.OktaAuthServerId.Length > 0 ? $"{baseUrl}/oauth2/{config.OktaAuthServerId}" : baseUrl;
                var oktaPrefix = config.OktaAuthServerId.Length > 0 ? $"{baseUrl}/oauth2/{config.OktaAuthServerId}/v1" : $"{baseUrl}/oauth2/v1";
                return new(kind, oktaPrefix + "/authorize", oktaPrefix + "/token", FullScopes, Exactly(okta), $"'{okta}'", null);
            case ProviderKind.Auth0:
                return new(kind, baseUrl + "/authorize", baseUrl + "/oauth/token", FullScopes, Exactly(baseUrl), $"'{baseUrl}/'", null);
            case ProviderKind.Azure:
                return new(kind, baseUrl + "/oauth2/v2.0/authorize", baseUrl + "/oauth2/v2.0/token", FullScopes,
                    AzureIssuer(baseUrl), $"'{baseUrl}/v2.0'", null);
            case ProviderKind.Cognito:
                return new(kind, baseUrl + "/oauth2/authorize", baseUrl + "/oauth2/token", "openid email",
                    CognitoIssuer(config), config.CognitoUserPoolId.Length > 0
                        ? $"'https://cognito-idp.<region>.amazonaws.com/{config.CognitoUserPoolId}'" : "a Cognito user pool issuer", null);
            case ProviderKind.Google:
                return new(kind, baseUrl + "/o/oauth2/v2/auth", GoogleTokenUrl, "openid email profile",
                    iss => iss is "https://accounts.google.com" or "accounts.google.com", "'https://accounts.google.com'", null);
            case ProviderKind.Generic:
                var issuer = (config.OidcIssuer.Length > 0 ? config.OidcIssuer : discovery?.Issuer ?? baseUrl).TrimEnd('/');
                var authorize = FirstNonEmpty(config.OidcAuthorizationEndpoint, discovery?.AuthorizationEndpoint);
                var token = FirstNonEmpty(config.OidcTokenEndpoint, discovery?.TokenEndpoint);
                if (authorize.Length == 0 || token.Length == 0)
                    throw new OidcException("generic OIDC provider has no authorization or token endpoint: set oidc_authorization_endpoint and " +
                                            "oidc_token_endpoint in config.json, or make the provider publish them in its discovery document.");
                RequireSecureUrl(authorize, "oidc_authorization_endpoint");
                RequireSecureUrl(token, "oidc_token_endpoint");
                return new(kind, authorize, token, FullScopes, Exactly(issuer), $"'{issuer}'",
                    FirstNonEmpty(config.OidcJwksUri, discovery?.JwksUri) is { Length: > 0 } jwks ? jwks : null);
            default:
                throw new OidcException(ProviderDetector.UnknownProviderMessage(config.ProviderDomain));
        }
    }

    /// <summary>Where a generic provider publishes its discovery document.</summary>
    public static string DiscoveryUrl(ProfileConfig config) =>
        (config.OidcIssuer.Length > 0 ? config.OidcIssuer : BaseUrl(config.ProviderDomain, ProviderKind.Generic)).TrimEnd('/') +
        "/.well-known/openid-configuration";

    /// <summary>
    /// Checks that a discovery document speaks for the issuer whose URL it was fetched from (OpenID Connect Discovery
    /// §4.3): a document that names another issuer would let that issuer's tokens through.
    /// </summary>
    public static void RequireIssuerOf(Json.DiscoveryDocument document, string discoveryUrl)
    {
        const string suffix = "/.well-known/openid-configuration";
        var expected = discoveryUrl.EndsWith(suffix, StringComparison.Ordinal) ? discoveryUrl[..^suffix.Length] : discoveryUrl;
        if (!string.Equals(document.Issuer?.TrimEnd('/'), expected.TrimEnd('/'), StringComparison.Ordinal))
            throw new OidcException($"the discovery document at {discoveryUrl} names the issuer '{Ccwb.Http.TerminalText.Clean(document.Issuer, 200)}', " +
                                    $"not '{expected}' it was fetched from.");
    }

    /// <summary>Whether a generic profile must fetch its discovery document to know its endpoints or keys.</summary>
    public static bool NeedsDiscovery(ProfileConfig config) =>
        config.OidcAuthorizationEndpoint.Length == 0 || config.OidcTokenEndpoint.Length == 0 || config.OidcJwksUri.Length == 0;

    /// <summary>
    /// <c>https://</c> + the domain (host and optional path) without a trailing slash; Azure drops one trailing
    /// <c>/v2.0</c> so the token URL is never <c>…/v2.0/oauth2/v2.0/token</c> (a 404). A domain given with
    /// <c>http://</c> is accepted only for a loopback host, so tokens never cross a network in clear text.
    /// </summary>
    public static string BaseUrl(string domain, ProviderKind kind)
    {
        var trimmed = domain.Trim().TrimEnd('/');
        if (trimmed.Length == 0) throw new OidcException("provider_domain is not set in config.json.");
        var url = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "https://" + trimmed;
        RequireSecureUrl(url, "provider_domain");
        if (kind == ProviderKind.Azure && url.EndsWith("/v2.0", StringComparison.OrdinalIgnoreCase)) url = url[..^"/v2.0".Length];
        return url;
    }

    internal static void RequireSecureUrl(string url, string key)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new OidcException($"{key} '{url}' is not a valid https URL.");
        if (uri.Scheme == "http" && !uri.IsLoopback)
            throw new OidcException($"{key} '{url}' uses plain http; only https is allowed for a provider that is not on this computer.");
    }

    private static Func<string, bool> Exactly(string issuer) =>
        iss => string.Equals(iss.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal);

    private static Func<string, bool> AzureIssuer(string baseUrl)
    {
        var tenant = baseUrl.TrimEnd('/').Split('/')[^1].ToLowerInvariant();
        // Multi-tenant endpoints issue tokens under the user's own tenant id.
        if (tenant is "common" or "organizations" or "consumers")
            return IsAzureTenantIssuer;
        return Exactly(baseUrl + "/v2.0");
    }

    /// <summary>
    /// The issuer of a Cognito user pool: <c>https://cognito-idp.&lt;region&gt;.amazonaws.com/&lt;pool id&gt;</c>, the
    /// host pinned to the region the pool id names (a pool id is <c>&lt;region&gt;_&lt;id&gt;</c>), and to the configured
    /// pool when there is one.
    /// </summary>
    private static Func<string, bool> CognitoIssuer(ProfileConfig config)
    {
        if (config.CognitoUserPoolId.Length > 0) return Exactly(CognitoIssuerOf(config.CognitoUserPoolId));
        return iss => IsCognitoPoolIssuer(iss) && iss == CognitoIssuerOf(new Uri(iss).AbsolutePath.TrimStart('/'));
    }

    internal static string CognitoIssuerOf(string poolId)
    {
        var region = poolId.Split('_')[0];
        return $"https://cognito-idp.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/{poolId}";
    }

    private static string FirstNonEmpty(string first, string? second) => first.Length > 0 ? first : second ?? "";

    // Hand-written matching instead of Regex: the regex engine adds about half a megabyte to the native binary.

    /// <summary><c>https://login.microsoftonline.com/&lt;tenant GUID&gt;/v2.0</c>.</summary>
    internal static bool IsAzureTenantIssuer(string iss)
    {
        const string prefix = "https://login.microsoftonline.com/", suffix = "/v2.0";
        if (!iss.StartsWith(prefix, StringComparison.Ordinal) || !iss.EndsWith(suffix, StringComparison.Ordinal)) return false;
        return Guid.TryParseExact(iss[prefix.Length..^suffix.Length], "D", out _);
    }

    /// <summary><c>https://cognito-idp.&lt;region&gt;.amazonaws.com[.cn]/&lt;region&gt;_&lt;id&gt;</c>.</summary>
    internal static bool IsCognitoPoolIssuer(string iss)
    {
        if (!Uri.TryCreate(iss, UriKind.Absolute, out var uri) || uri.Scheme != "https" || !uri.IsDefaultPort) return false;
        var host = uri.Host;
        if (!host.StartsWith("cognito-idp.", StringComparison.Ordinal) ||
            !(host.EndsWith(".amazonaws.com", StringComparison.Ordinal) || host.EndsWith(".amazonaws.com.cn", StringComparison.Ordinal)))
            return false;
        var pool = uri.AbsolutePath.TrimStart('/');
        var underscore = pool.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 && underscore < pool.Length - 1 && pool.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') &&
               uri.Query.Length == 0 && uri.Fragment.Length == 0 && iss.Length == uri.GetLeftPart(UriPartial.Path).Length;
    }
}
