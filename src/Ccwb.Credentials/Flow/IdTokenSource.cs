using System.Text.Json;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Otel;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>A validated id token with what came with it.</summary>
public sealed record SignedInUser(string IdToken, JwtClaims Claims, string? RefreshToken);

/// <summary>
/// Obtains validated id tokens from the profile's provider: through the browser (authorization code + PKCE) or
/// silently with the stored refresh token. Every token is checked by <see cref="IdTokenValidator"/> before use, and
/// each new one is saved as the monitoring token.
/// </summary>
public sealed class IdTokenSource(
    ProfileConfig config,
    ProviderKind kind,
    HttpTransport http,
    ICredentialCache cache,
    RefreshTokenStore refreshTokens,
    Func<ISecretStore> secretStore,
    SignInOptions options,
    Diagnostics diagnostics,
    TimeProvider clock,
    OtelHeaderCache headerCache,
    FailedSignInRecord failedSignIns)
{
    private ProviderEndpoints? endpoints;

    public ProviderEndpoints Endpoints()
    {
        if (endpoints is not null) return endpoints;
        DiscoveryDocument? discovery = null;
        if (kind == ProviderKind.Generic && ProviderCatalog.NeedsDiscovery(config))
        {
            var url = ProviderCatalog.DiscoveryUrl(config);
            discovery = GetJson(url, "the provider's discovery document", CredentialJson.Default.DiscoveryDocument);
            ProviderCatalog.RequireIssuerOf(discovery, url);
        }
        return endpoints = ProviderCatalog.For(config, kind, discovery);
    }

    /// <summary>
    /// Signs in through the browser, answering on the already bound <paramref name="callback"/> server; not when a
    /// sign-in failed while this process was already running (see <see cref="FailedSignInRecord"/>).
    /// </summary>
    public async Task<SignedInUser> SignInWithBrowserAsync(CallbackServer callback, CancellationToken cancellation)
    {
        if (failedSignIns.FailedSinceThisProcessStarted()) throw new OidcException(FailedSignInRecord.SharedFailure);
        try
        {
            return await SignInAsync(callback, cancellation).ConfigureAwait(false);
        }
        catch
        {
            failedSignIns.TrySave();
            throw;
        }
    }

    private async Task<SignedInUser> SignInAsync(CallbackServer callback, CancellationToken cancellation)
    {
        var provider = Endpoints();
        var session = PkceSession.Create();
        var url = AuthorizeRequest.Build(provider, config, session, callback.Port);
        callback.ExpectState(session.State); // before the browser opens: its redirect may come at once
        if (HeadlessSession.IsHeadless(Environment.GetEnvironmentVariable))
        {
            // No browser here (SSH, no display): the user opens the URL elsewhere, forwarding the callback port.
            diagnostics.Info($"No browser is available in this session. Open this URL in a browser that can reach localhost:{callback.Port} " +
                             $"on this computer (for SSH: ssh -L {callback.Port}:localhost:{callback.Port} …):\n{url}");
        }
        else
        {
            diagnostics.Debug($"Opening browser for sign-in at {provider.AuthorizeUrl}");
            BrowserLauncher.TryOpen(url, diagnostics.Info);
        }
        var code = await callback.WaitForCodeAsync(options.AuthenticationTimeout, cancellation).ConfigureAwait(false);

        var client = new TokenClient(http);
        var tokens = client.ExchangeCode(provider.TokenUrl, config.ClientId, code, AuthorizeRequest.RedirectUri(callback.Port),
            session.CodeVerifier, Authentication().For(provider.TokenUrl));
        var claims = Validate(tokens.IdToken!, session.Nonce);
        SaveTokens(tokens.IdToken!, claims, tokens.RefreshToken);
        return new SignedInUser(tokens.IdToken!, claims, tokens.RefreshToken);
    }

    /// <summary>
    /// Redeems the stored refresh token; null when there is none or it failed. Only a definitive refusal
    /// (<c>invalid_grant</c>, <c>invalid_token</c>) deletes it: outages must not force a browser sign-in later.
    /// </summary>
    public SignedInUser? TryRefresh()
    {
        var stored = refreshTokens.ReadWithOwner(config.Name);
        if (stored is null) return null;
        var refreshToken = stored.Token;
        try
        {
            var provider = Endpoints();
            var tokens = new TokenClient(http).Refresh(provider.TokenUrl, config.ClientId, refreshToken, Authentication().For(provider.TokenUrl));
            var claims = Validate(tokens.IdToken!, nonce: null);
            RequireSameUser(stored, claims);
            // Providers that rotate refresh tokens send a new one; the old one is then spent.
            SaveTokens(tokens.IdToken!, claims, tokens.RefreshToken);
            return new SignedInUser(tokens.IdToken!, claims, tokens.RefreshToken ?? refreshToken);
        }
        catch (TokenEndpointException e) when (e.IsDefinitive)
        {
            diagnostics.Debug("The stored refresh token was refused; it is deleted and a browser sign-in follows.");
            refreshTokens.DeleteIfUnchanged(config.Name, refreshToken);
            return null;
        }
        catch (Exception e) when (e is OidcException or InvalidIdTokenException)
        {
            diagnostics.Debug($"Refresh-token sign-in failed ({e.Message}); the refresh token is kept.");
            return null;
        }
    }

    /// <summary>
    /// OpenID Connect Core §12.2: an id token from a refresh must have the iss and sub of the one it follows, or the
    /// refresh token has changed hands. The refresh token's record names that user; a record written before it did
    /// falls back to the last saved monitoring token.
    /// </summary>
    private void RequireSameUser(StoredRefreshToken stored, JwtClaims refreshed)
    {
        var (issuer, subject) = (stored.Issuer, stored.Subject);
        if (issuer is null || subject is null)
        {
            if (cache.ReadMonitoringToken(config.Name) is not { } previous) return;
            try
            {
                var before = JwtClaims.Decode(previous.Token);
                (issuer, subject) = (before.Issuer, before.Subject);
            }
            catch (FormatException) { return; }
        }
        if (issuer != refreshed.Issuer || subject != refreshed.Subject)
            throw new InvalidIdTokenException("the id token from the refresh is for another user or issuer (iss or sub differ from the signed-in user's).");
    }

    /// <summary>
    /// Saves the refresh token (with the user it belongs to) and the monitoring token after a sign-in. Both only spare
    /// a later sign-in: a session folder or keyring that cannot be written is a warning, never the loss of this one.
    /// </summary>
    private void SaveTokens(string idToken, JwtClaims claims, string? refreshToken)
    {
        try
        {
            refreshTokens.Save(config.Name, refreshToken, claims.Issuer, claims.Subject);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecretStoreException)
        {
            diagnostics.Info($"warning: refresh token: cannot save it ({TerminalText.Clean(e.Message, 200)}); a later sign-in may need the browser.");
        }
        try
        {
            SaveMonitoringToken(idToken, claims);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecretStoreException)
        {
            diagnostics.Info($"warning: monitoring token: cannot save it ({TerminalText.Clean(e.Message, 200)}).");
        }
    }

    /// <summary>The saved monitoring token when it has more than 10 minutes left (enough for STS to accept it).</summary>
    public MonitoringToken? CachedMonitoringToken()
    {
        var token = cache.ReadMonitoringToken(config.Name);
        return token is not null && token.Expires - clock.GetUtcNow().ToUnixTimeSeconds() > 600 ? token : null;
    }

    /// <summary>Saves the id token for monitoring and re-federation, and the attribution headers otel-helper serves.</summary>
    private void SaveMonitoringToken(string idToken, JwtClaims claims)
    {
        cache.SaveMonitoringToken(config.Name, new MonitoringToken(idToken, claims.Expires, claims.Email, config.Name));
        headerCache.WriteOrReport(AttributionHeaders.From(claims, config.CostAttributionTagKey), claims.Expires, diagnostics.Debug);
    }

    private ClientAuthentication Authentication() => new(config, kind, secretStore, clock);

    private JwtClaims Validate(string idToken, string? nonce)
    {
        var provider = Endpoints();
        JwtClaims unverified;
        try { unverified = JwtClaims.Decode(idToken); }
        catch (FormatException e) { throw new InvalidIdTokenException($"the provider returned an id token that cannot be decoded: {e.Message}.", e); }
        var issuer = unverified.Issuer ?? "";
        // The issuer is checked before its keys are fetched, so a forged token cannot point at its own key set.
        if (!provider.IssuerMatches(issuer))
            throw new InvalidIdTokenException($"the id token was issued by '{issuer}', expected {provider.IssuerDescription}.");
        var jwksUri = provider.JwksUri;
        if (jwksUri is null)
        {
            var discoveryUrl = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
            var discovery = GetJson(discoveryUrl, "the provider's discovery document", CredentialJson.Default.DiscoveryDocument);
            ProviderCatalog.RequireIssuerOf(discovery, discoveryUrl);
            jwksUri = discovery.JwksUri ?? throw new OidcException($"the discovery document of {issuer} has no jwks_uri.");
        }
        var keys = GetJson(jwksUri, "the provider's signing keys (JWKS)", CredentialJson.Default.JsonWebKeySet);
        return new IdTokenValidator(clock).Validate(idToken, keys,
            new IdTokenExpectations(provider.IssuerMatches, provider.IssuerDescription, config.ClientId, nonce));
    }

    private T GetJson<T>(string url, string what, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback)))
            throw new OidcException($"cannot fetch {what}: '{url}' is not an https URL.");
        try
        {
            var response = http.Send(HttpRequest.Get(uri), TokenClient.Timeout);
            if (!response.IsSuccess) throw new OidcException($"cannot fetch {what} from {url}: HTTP {response.StatusCode}.");
            return JsonSerializer.Deserialize(response.Body, type) ?? throw new OidcException($"{what} at {url} is empty.");
        }
        catch (HttpTransportException e)
        {
            throw new OidcException($"cannot fetch {what} from {url}: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new OidcException($"{what} at {url} is not valid JSON.", e);
        }
    }
}
