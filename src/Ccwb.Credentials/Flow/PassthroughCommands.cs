using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Passthrough;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// A profile with <c>sso_enabled: false</c> and no Identity Center settings: the credentials the standard AWS chain
/// resolves, printed in the credential_process format. No credentials are cached: the chain's own sources are the
/// cache, so the quota is checked and the otel header cache refreshed from the caller identity on every call (as
/// upstream does).
/// </summary>
public sealed class PassthroughCommands(CommandContext context)
{
    public const string Hint = "Hint: provide AWS credentials the standard way (environment variables, a profile in ~/.aws, aws sso login, " +
                               "or a container or instance role), or ask your administrator for a profile with sign-in enabled.";

    public int Run()
    {
        var quota = new QuotaGate(context);
        try
        {
            var credentials = Resolve();
            var signing = ForSigning(credentials);
            quota.BeforeMint(signing, context.Config.AwsRegion);
            context.Stdout.WriteLine(credentials.Format());
            context.Stdout.Flush();
            CallerIdentity.WriteHeaderCacheAfterHandOut(context, signing, context.Config.AwsRegion);
            return 0;
        }
        finally
        {
            quota.LingerAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary><c>--get-monitoring-token</c>: no id token here; the ambient identity feeds the otel header cache, an empty line is printed.</summary>
    public int GetMonitoringToken()
    {
        CallerIdentity.WriteHeaderCache(context, ForSigning(Resolve()), context.Config.AwsRegion);
        context.Stdout.WriteLine();
        return 0;
    }

    private AmbientCredentials Resolve()
    {
        AmbientCredentials credentials;
        try
        {
            credentials = new AmbientCredentialChain(context.Paths.Home, context.Http(), context.Environment, context.Clock,
                context.Diagnostics.Debug).Resolve();
        }
        catch (Exception e) when (e is AmbientCredentialsException or IdentityCenterException or IOException or UnauthorizedAccessException)
        {
            throw new AmbientCredentialsException(e.Message + "\n" + Hint, e);
        }
        if (credentials.AccessKeyId.Length == 0 || credentials.SecretAccessKey.Length == 0)
            throw new AmbientCredentialsException("ambient credentials resolved but access key is empty.\n" + Hint);
        context.Diagnostics.Debug($"Using ambient credentials from the {credentials.Source} for profile '{context.Config.Name}'.");
        return credentials;
    }

    private static AwsCredentials ForSigning(AmbientCredentials credentials) =>
        new(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken ?? "", credentials.Expiration ?? DateTimeOffset.MaxValue);
}
