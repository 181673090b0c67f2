using Ccwb.Credentials.Config;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Otel;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// The credential_process commands of an OIDC profile. <see cref="RunAsync"/> climbs the refresh ladder: cached AWS
/// credentials → (sign-in lock) → cached id token → refresh token → browser, federating and caching on each rung.
/// </summary>
public sealed partial class CredentialCommands
{
    private readonly CommandContext context;
    private readonly ProfileConfig config;
    private readonly SessionPaths paths;
    private readonly ICredentialCache cache;
    private readonly TextWriter stdout;
    private readonly Diagnostics diagnostics;
    private readonly Func<string, string?> environment;
    private readonly SignInOptions options;
    private readonly TimeProvider clock;
    private readonly QuotaGate quota;

    public CredentialCommands(CommandContext context)
    {
        this.context = context;
        (config, paths, cache, stdout, diagnostics, environment, clock) = context;
        options = SignInOptions.FromEnvironment(environment);
        quota = new QuotaGate(context);
    }

    /// <summary>The normal credential_process call: print fresh credentials, signing in only when needed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellation = default)
    {
        try
        {
            return await SignInAndPrintAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            await quota.LingerAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> SignInAndPrintAsync(CancellationToken cancellation)
    {
        if (TryPrintCached()) return 0;

        var kind = DetectProvider();
        var port = options.RedirectPort(config.RedirectPort);
        using var callback = await SignInLock.AcquireAsync(port, options.LockWait, diagnostics.Debug, cancellation).ConfigureAwait(false);
        // Whoever held the lock before may have cached credentials meanwhile.
        if (TryPrintCached()) return 0;
        if (callback is null)
            throw new OidcException($"another credential-process sign-in held port {port} for {options.LockWait.TotalSeconds:0} s and produced no credentials.");
        // A sign-in of this profile that failed while this call waited is shared at the browser rung (FailedSignInRecord):
        // the lock is per port, and another profile's sign-in on the same port says nothing about this one.
        var tokens = IdTokens(kind);
        var federator = new Federator(config, kind, Http(), environment);

        if (TryRenewSilently(tokens, federator) is { } renewed)
        {
            Emit(renewed);
            return 0;
        }

        var user = await tokens.SignInWithBrowserAsync(callback, cancellation).ConfigureAwait(false);
        AwsCredentials credentials;
        try
        {
            credentials = Mint(federator, user);
        }
        catch (FederationException e)
        {
            // For the callers waiting on the lock: the browser sign-in did not end in credentials.
            new FailedSignInRecord(paths.FailedSignIn(config.Name)).TrySave();
            if (!e.MeansInvalidCredentials) throw;
            ClearCredentialsAndRefreshToken();
            throw new FederationException("Authentication failed - cached credentials were invalid and have been cleared.\n" +
                                          $"Please try again to re-authenticate.\nCause: {e.Message}", e.ErrorCode, e);
        }
        Emit(credentials);
        return 0;
    }

    /// <summary><c>--refresh-if-needed</c>: silent when the session file's credentials are fresh, else a normal run.</summary>
    public async Task<int> RefreshIfNeededAsync(CancellationToken cancellation = default)
    {
        if (config.UsesKeyring) throw new OidcException("--refresh-if-needed only works with session storage mode");
        if (CredentialOutput.IsFresh(new SharedCredentialsFile(paths.AwsCredentials).Read(config.Name), clock.GetUtcNow())) return 0;
        return await RunAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary><c>--check-expiration</c>: looks only at <c>~/.aws/credentials</c>, the file the AWS SDKs read.</summary>
    public int CheckExpiration()
    {
        var credentials = new SharedCredentialsFile(paths.AwsCredentials).Read(config.Name);
        if (CredentialOutput.IsFresh(credentials, clock.GetUtcNow()))
        {
            diagnostics.Info($"Credentials valid for profile '{config.Name}'");
            return 0;
        }
        diagnostics.Info($"Credentials expired or missing for profile '{config.Name}'");
        return 1;
    }

    /// <summary><c>--clear-cache</c>: forget AWS credentials and the refresh token (the monitoring token stays).</summary>
    public int ClearCache()
    {
        ClearCredentialsAndRefreshToken();
        diagnostics.Info($"Cleared cached credentials for profile '{config.Name}'");
        return 0;
    }

    /// <summary>
    /// <c>--get-monitoring-token</c>: print the id token for telemetry. Cached or environment token, else a silent
    /// refresh, else a browser sign-in; never mints AWS credentials.
    /// </summary>
    public async Task<int> GetMonitoringTokenAsync(CancellationToken cancellation = default) =>
        Print(await MonitoringTokenAsync(cancellation).ConfigureAwait(false));

    /// <summary>The id token: environment, cached, refreshed, else from a browser sign-in (saved, never federated).</summary>
    private async Task<string> MonitoringTokenAsync(CancellationToken cancellation)
    {
        if (FreshEnvironmentToken() is { } fromEnvironment) return fromEnvironment;
        var kind = DetectProvider();
        var tokens = IdTokens(kind);
        if (tokens.CachedMonitoringToken() is { } cached) return cached.Token;

        // The refresh token is redeemed under the lock too: providers rotate it, and two processes redeeming the same
        // one would leave one of them with a refusal.
        var port = options.RedirectPort(config.RedirectPort);
        using var callback = await SignInLock.AcquireAsync(port, options.LockWait, diagnostics.Debug, cancellation).ConfigureAwait(false);
        if (tokens.CachedMonitoringToken() is { } afterWait) return afterWait.Token;
        if (callback is null) throw new OidcException($"another credential-process sign-in held port {port} and produced no token.");
        if (tokens.TryRefresh() is { } refreshed) return refreshed.IdToken;
        var user = await tokens.SignInWithBrowserAsync(callback, cancellation).ConfigureAwait(false);
        return user.IdToken;
    }

    private int Print(string line)
    {
        stdout.WriteLine(line);
        return 0;
    }

    /// <summary><c>CLAUDE_CODE_MONITORING_TOKEN</c> when its exp is more than 60 s away (no or garbled exp counts as expired).</summary>
    private string? FreshEnvironmentToken()
    {
        var token = environment("CLAUDE_CODE_MONITORING_TOKEN");
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            return JwtClaims.Decode(token).Expires - clock.GetUtcNow().ToUnixTimeSeconds() > 60 ? token : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The rungs that need no user: the cached id token, then the refresh token, each federated. Null when neither
    /// gives credentials. The caller caches what it gets (<see cref="Cache"/>) after handing it out.
    /// </summary>
    public AwsCredentials? TryRenewSilently()
    {
        var kind = DetectProvider();
        return TryRenewSilently(IdTokens(kind), new Federator(config, kind, Http(), environment));
    }

    private AwsCredentials? TryRenewSilently(IdTokenSource tokens, Federator federator)
    {
        if (tokens.CachedMonitoringToken() is { } cached)
        {
            diagnostics.Debug("Using the cached id token.");
            if (TryFederate(federator, new SignedInUser(cached.Token, JwtClaims.Decode(cached.Token), null)) is { } credentials)
                return credentials;
        }
        if (tokens.TryRefresh() is { } refreshed)
        {
            diagnostics.Debug("Signed in with the refresh token.");
            return TryFederate(federator, refreshed);
        }
        return null;
    }

    private AwsCredentials? TryFederate(Federator federator, SignedInUser user)
    {
        try
        {
            return Mint(federator, user);
        }
        catch (FederationException e)
        {
            diagnostics.Debug($"Federation with the saved token failed ({e.Message}); trying the next way to sign in.");
            return null;
        }
    }

    /// <summary>
    /// Every mint of AWS credentials (normal run, <c>--desktop</c>, each rung of the ladder) passes here: the one place
    /// for checks that must come before STS, such as the quota check.
    /// </summary>
    private AwsCredentials Mint(Federator federator, SignedInUser user)
    {
        quota.BeforeMint(user.IdToken);
        return federator.Federate(user);
    }

    /// <summary>
    /// The periodic quota check of the cached path, when due (otherwise one small file read). A blocked user loses the
    /// cached credentials too, so every later call asks again.
    /// </summary>
    private void CheckQuotaOfCachedCredentials()
    {
        if (!quota.DueOnCachedPath()) return;
        try
        {
            quota.OnCachedPath(QuotaToken);
        }
        catch (QuotaBlockedException)
        {
            ClearCredentials();
            throw;
        }
    }

    /// <summary>The id token for a quota check without a user: environment, cached, else the refresh token; never a browser.</summary>
    private string? QuotaToken()
    {
        if (FreshEnvironmentToken() is { } fromEnvironment) return fromEnvironment;
        var tokens = IdTokens(DetectProvider());
        return tokens.CachedMonitoringToken()?.Token ?? tokens.TryRefresh()?.IdToken;
    }

    /// <summary>Prints the credentials, then caches them (see <see cref="CredentialHandOut"/>).</summary>
    private void Emit(AwsCredentials credentials) => CredentialHandOut.PrintThenCache(context, credentials);

    /// <summary>Saves credentials already handed out; a cache that cannot be written is a warning.</summary>
    public void Cache(AwsCredentials credentials) => CredentialHandOut.Cache(context, credentials);

    private bool TryPrintCached()
    {
        var credentials = cache.ReadCredentials(config.Name);
        if (!CredentialOutput.IsServableFromCache(credentials, clock.GetUtcNow())) return false;
        CheckQuotaOfCachedCredentials();
        stdout.WriteLine(CredentialOutput.Format(credentials!));
        return true;
    }

    private void ClearCredentialsAndRefreshToken()
    {
        ClearCredentials();
        RefreshTokenStore.For(config, paths, clock).Delete(config.Name);
    }

    /// <summary>
    /// Forgets the cached AWS credentials only. The refresh token stays (upstream §8.2 clears the credentials on a quota
    /// block): once the user is unblocked, the next call renews without a browser.
    /// </summary>
    private void ClearCredentials()
    {
        cache.ClearCredentials(config.Name);
        // A section left in ~/.aws/credentials would shadow credential_process in every SDK, whatever the storage mode.
        if (config.UsesKeyring) new SharedCredentialsFile(paths.AwsCredentials).Remove(config.Name);
    }

    private ProviderKind DetectProvider()
    {
        var kind = ProviderDetector.Detect(config.ProviderType, config.ProviderDomain);
        return kind != ProviderKind.Unknown ? kind : throw new OidcException(ProviderDetector.UnknownProviderMessage(config.ProviderDomain));
    }

    private IdTokenSource IdTokens(ProviderKind kind) =>
        new(config, kind, Http(), cache, RefreshTokenStore.For(config, paths, clock), context.SecretStore, options, diagnostics, clock,
            new OtelHeaderCache(paths, config.Name, clock), new FailedSignInRecord(paths.FailedSignIn(config.Name)));

    private HttpTransport Http() => context.Http();
}
