using Ccwb.Credentials.Config;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// The credential_process commands of an IAM Identity Center profile (<c>auth_type: idc</c>): role credentials for the
/// profile's account and permission set from the SSO portal, with the SSO sign-in shared with the AWS CLI.
/// </summary>
public sealed class IdentityCenterCommands
{
    /// <summary>A normal run gives up on device authorization after this long.</summary>
    public static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(120);
    /// <summary><c>--login</c> stays below Claude Code's fixed 180 s limit for <c>awsAuthRefresh</c>.</summary>
    public static readonly TimeSpan LoginDeadline = TimeSpan.FromSeconds(165);

    private readonly CommandContext context;
    private readonly ProfileConfig config;
    private readonly ICredentialCache cache;
    private readonly TextWriter stdout;
    private readonly Diagnostics diagnostics;
    private readonly TimeProvider clock;
    private readonly QuotaGate quota;

    public IdentityCenterCommands(CommandContext context)
    {
        this.context = context;
        (config, _, cache, stdout, diagnostics, _, clock) = context;
        quota = new QuotaGate(context);
    }

    /// <summary>
    /// The normal credential_process call: cached role credentials, else the SSO token and GetRoleCredentials, then
    /// the otel header cache from the new credentials' identity (the cached path does no network work at all).
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellation = default)
    {
        try
        {
            var cached = cache.ReadCredentials(config.Name);
            // Cached values with a control character (an edited or damaged file) are never printed: new ones are fetched.
            if (CredentialOutput.IsServableFromCache(cached, clock.GetUtcNow()))
            {
                if (quota.DueOnCachedPath()) CheckQuotaOfCachedCredentials(cached!);
                stdout.WriteLine(CredentialOutput.Format(cached!));
                return 0;
            }
            var minted = await MintAsync(cancellation).ConfigureAwait(false);
            CredentialHandOut.PrintThenCache(context, minted);
            CallerIdentity.WriteHeaderCacheAfterHandOut(context, minted, config.IdcRegion);
            return 0;
        }
        finally
        {
            await quota.LingerAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>--get-monitoring-token</c>: Identity Center has no id token. The role's identity (GetCallerIdentity) feeds the
    /// otel header cache instead, and an empty line is printed (upstream's contract with otel-helper).
    /// </summary>
    public async Task<int> GetMonitoringTokenAsync(CancellationToken cancellation = default)
    {
        var cached = cache.ReadCredentials(config.Name);
        // Role credentials fetched only to learn who the user is are not cached: they did not pass the quota check.
        var credentials = CredentialOutput.IsFresh(cached, clock.GetUtcNow()) ? cached! : await RoleCredentialsAsync(cancellation).ConfigureAwait(false);
        CallerIdentity.WriteHeaderCache(context, credentials, config.IdcRegion);
        stdout.WriteLine();
        return 0;
    }

    /// <summary>Role credentials from the SSO sign-in, checked against the quota before anyone sees them.</summary>
    private async Task<AwsCredentials> MintAsync(CancellationToken cancellation)
    {
        var credentials = await RoleCredentialsAsync(cancellation).ConfigureAwait(false);
        quota.BeforeMint(credentials, config.IdcRegion);
        return credentials;
    }

    private async Task<AwsCredentials> RoleCredentialsAsync(CancellationToken cancellation)
    {
        RequireCompleteConfig();
        var (accessToken, _) = await Session().AccessTokenAsync(context.StderrIsTerminal(), Deadline(RunDeadline), context.Launcher, cancellation)
            .ConfigureAwait(false);
        return RoleCredentials(accessToken);
    }

    private void CheckQuotaOfCachedCredentials(AwsCredentials cached)
    {
        try
        {
            quota.OnCachedPath(cached, config.IdcRegion);
        }
        catch (QuotaBlockedException)
        {
            cache.ClearCredentials(config.Name);
            throw;
        }
    }

    /// <summary>
    /// <c>--login</c> (Claude Code's <c>awsAuthRefresh</c>): sign in and cache the SSO token, print no credentials.
    /// The first stderr line is always the takeaway: Claude Code may show only that one.
    /// </summary>
    public async Task<int> LoginAsync(CancellationToken cancellation = default)
    {
        RequireCompleteConfig();
        try
        {
            var (_, origin) = await Session().AccessTokenAsync(canPrompt: true, Deadline(LoginDeadline), context.Launcher, cancellation).ConfigureAwait(false);
            diagnostics.Info(origin switch
            {
                SsoTokenOrigin.Cached => "Already signed in to IAM Identity Center — cached session is still valid.",
                SsoTokenOrigin.Refreshed => "Signed in to IAM Identity Center — session refreshed.",
                _ => "Signed in to IAM Identity Center. Claude Code can now run without further prompts until the session expires.",
            });
            return 0;
        }
        catch (DeviceAuthorizationTimeoutException)
        {
            diagnostics.Info("Sign-in timed out — the code wasn't approved in time.");
            diagnostics.Info("Send Claude Code another message to show a fresh sign-in link and try again.");
            return 1;
        }
        catch (IdentityCenterException e)
        {
            diagnostics.Info("Sign-in didn't complete. Send Claude Code another message to try again.");
            diagnostics.Info("Details: " + e.Message);
            return 1;
        }
    }

    private AwsCredentials RoleCredentials(string accessToken)
    {
        try
        {
            return new SsoPortalClient(Http(), AwsEndpoints.SsoPortal(config.IdcRegion, context.Environment))
                .GetRoleCredentials(config.IdcAccountId, config.IdcPermissionSetName, accessToken);
        }
        catch (IdentityCenterException e)
        {
            var hint = e.ErrorCode switch
            {
                "ForbiddenException" or "ResourceNotFoundException" =>
                    $" Check idc_account_id ({config.IdcAccountId}) and idc_permission_set_name ({config.IdcPermissionSetName}) in config.json: " +
                    "your user must be assigned that permission set in that account.",
                "UnauthorizedException" => " The SSO session is no longer accepted; sign in again with credential-process --login.",
                _ => "",
            };
            throw new IdentityCenterException($"IDC authentication failed: {e.Message.TrimEnd('.')}.{hint}", e.ErrorCode, e);
        }
    }

    /// <summary>Upstream's message for a profile that names Identity Center but not where or which role.</summary>
    private void RequireCompleteConfig()
    {
        var missing = new List<string>();
        if (config.IdcStartUrl.Length == 0) missing.Add("  Missing: idc_start_url (e.g. https://d-xxxxxxxxxx.awsapps.com/start)");
        if (config.IdcAccountId.Length == 0) missing.Add("  Missing: idc_account_id (e.g. 123456789012)");
        if (config.IdcPermissionSetName.Length == 0) missing.Add("  Missing: idc_permission_set_name (e.g. ClaudeCodeUser)");
        if (missing.Count > 0)
            throw new IdentityCenterException("incomplete IDC configuration in config.json.\n" + string.Join('\n', missing) +
                                              "\nRun 'ccwb init' to reconfigure, or edit config.json directly.");
    }

    private IdentityCenterSession Session() => new(config, new SsoTokenCache(context.Paths.Home, config.IdcStartUrl),
        new SsoOidcClient(Http(), AwsEndpoints.SsoOidc(config.IdcRegion, context.Environment)), diagnostics, clock, context.Environment);

    /// <summary><c>CCWB_AUTH_TIMEOUT_SECONDS</c> may shorten the deadline (tests, scripted environments).</summary>
    private TimeSpan Deadline(TimeSpan standard)
    {
        var configured = SignInOptions.FromEnvironment(context.Environment).AuthenticationTimeout;
        return configured < standard ? configured : standard;
    }

    private HttpTransport Http() => context.Http();
}
