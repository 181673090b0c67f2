using Ccwb.Credentials.Config;
using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Quota;

/// <summary>
/// Client-side quota enforcement for one invocation. Before every mint of credentials the quota API is asked; on the
/// cached path only when <c>quota_check_interval</c> has passed since the last check (one small state file read
/// otherwise). Allowed → go on (with a warning at 80 %); blocked → banner, no credentials, exit 1. A check that fails
/// (no answer, a refused token, garbage) allows under <c>quota_fail_mode: open</c> and blocks under <c>closed</c>.
/// </summary>
public sealed class QuotaGate(CommandContext context)
{
    private QuotaStatusPage? page;

    private bool Enabled => context.Config.QuotaEnabled;
    private QuotaState State => new(context.Paths.Home, context.Config.Name);

    /// <summary>Before minting credentials from an id token (OIDC): the token is the bearer.</summary>
    public void BeforeMint(string idToken)
    {
        if (!Enabled) return;
        Enforce(Client().CheckWithBearer(idToken), saveStateWhenAllowed: true);
    }

    /// <summary>Before handing out AWS credentials (IAM Identity Center, passthrough): the request is SigV4-signed with them.</summary>
    public void BeforeMint(AwsCredentials credentials, string region)
    {
        if (!Enabled) return;
        Enforce(Client().CheckWithSigV4(credentials, region, context.Clock.GetUtcNow()), saveStateWhenAllowed: true);
    }

    /// <summary>Whether the cached path must check now: quota on and the interval passed (or never checked).</summary>
    public bool DueOnCachedPath() => DueOnCachedPath(context.Config, context.Paths.Home, context.Clock.GetUtcNow());

    /// <summary><see cref="DueOnCachedPath()"/> without an invocation (the credential-process front decides with it).</summary>
    public static bool DueOnCachedPath(ProfileConfig config, string home, DateTimeOffset now) =>
        config.QuotaEnabled && new QuotaState(home, config.Name).IsDue(now, TimeSpan.FromMinutes(config.QuotaCheckIntervalMinutes));

    /// <summary>
    /// The periodic check on the cached path with an id token. With no token to check with (none cached, no refresh)
    /// the cached credentials are served and no check is recorded, so the next call tries again: forcing a browser
    /// sign-in from a background credential call would be worse (upstream's behaviour).
    /// </summary>
    public void OnCachedPath(Func<string?> idToken)
    {
        if (idToken() is not { } token)
        {
            context.Diagnostics.Debug("No id token for the periodic quota check; the cached credentials are served and the check is retried next call.");
            return;
        }
        Enforce(Client().CheckWithBearer(token), saveStateWhenAllowed: false);
    }

    /// <summary>The periodic check on the cached path, signed with the cached credentials.</summary>
    public void OnCachedPath(AwsCredentials credentials, string region) =>
        Enforce(Client().CheckWithSigV4(credentials, region, context.Clock.GetUtcNow()), saveStateWhenAllowed: false);

    /// <summary>After the answer went to stdout: leaves the status page up until it was fetched, at most 5 s.</summary>
    public async Task LingerAsync()
    {
        if (page is null) return;
        var shown = page;
        page = null;
        await shown.DisposeAsync().ConfigureAwait(false);
    }

    private QuotaClient Client() =>
        new(context.Http(), context.Config.QuotaApiEndpoint, TimeSpan.FromSeconds(context.Config.QuotaCheckTimeoutSeconds));

    /// <param name="saveStateWhenAllowed">Before a mint the check is recorded only when it let the user through; on the cached path always.</param>
    private void Enforce(QuotaResult result, bool saveStateWhenAllowed)
    {
        var config = context.Config;
        var blocked = result.Failed ? config.QuotaFailsClosed : !result.Allowed;
        if (!saveStateWhenAllowed || !blocked) SaveState();

        if (result.Failed)
        {
            if (!blocked)
            {
                context.Diagnostics.Info($"warning: quota check: {result.Message.TrimEnd('.')} ({result.Reason}); allowed because quota_fail_mode is open.");
                return;
            }
            throw new QuotaBlockedException(
                $"quota check failed ({result.Reason}): {result.Message.TrimEnd('.')}. Access is blocked because quota_fail_mode is closed; " +
                "try again later, or contact your administrator if this persists.");
        }
        if (blocked)
        {
            foreach (var line in QuotaBanner.Blocked(result)) context.Diagnostics.Info(line);
            ShowPage(result, blocked: true);
            LingerAsync().GetAwaiter().GetResult();
            throw new QuotaBlockedException($"access blocked by the quota policy for profile '{config.Name}' ({result.Reason}); no credentials were issued.");
        }
        if (result.NearLimit)
        {
            foreach (var line in QuotaBanner.Warning(result)) context.Diagnostics.Info(line);
            ShowPage(result, blocked: false);
        }
    }

    private void SaveState()
    {
        try
        {
            State.Save(context.Clock.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only costs an earlier check next time.
            context.Diagnostics.Debug($"Could not record the quota check: {e.Message}");
        }
    }

    /// <summary>Not with <c>CCWB_NO_BROWSER_NOTIFICATION=1</c>, in a session without a browser (SSH, no display), or without usage figures.</summary>
    private void ShowPage(QuotaResult result, bool blocked)
    {
        if (result.Usage is null || page is not null) return;
        if (context.Environment("CCWB_NO_BROWSER_NOTIFICATION") == "1" || HeadlessSession.IsHeadless(context.Environment)) return;
        try
        {
            page = QuotaStatusPage.Start(QuotaStatusPage.Html(result, blocked));
        }
        catch (System.Net.Sockets.SocketException e)
        {
            context.Diagnostics.Debug($"Could not serve the quota page: {e.Message}");
            return;
        }
        BrowserLauncher.TryOpen(page.Url, context.Diagnostics.Debug);
    }
}
