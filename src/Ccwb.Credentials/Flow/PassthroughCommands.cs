using Ccwb.Credentials.Config;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Passthrough;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// A profile with <c>sso_enabled: false</c> and no Identity Center settings: the credentials the standard AWS chain
/// resolves, printed in the credential_process format. Nothing is cached: the chain's own sources are the cache.
/// </summary>
public sealed class PassthroughCommands(ProfileConfig config, SessionPaths paths, TextWriter stdout, Diagnostics diagnostics,
    Func<string, string?> environment, TimeProvider clock)
{
    public const string Hint = "Hint: provide AWS credentials the standard way (environment variables, a profile in ~/.aws, aws sso login, " +
                               "or a container or instance role), or ask your administrator for a profile with sign-in enabled.";

    public int Run()
    {
        AmbientCredentials credentials;
        try
        {
            credentials = new AmbientCredentialChain(paths.Home, new HttpTransport(new ProxySelector(environment), "credential-process"), environment,
                clock, diagnostics.Debug).Resolve();
        }
        catch (Exception e) when (e is AmbientCredentialsException or IdentityCenterException or IOException or UnauthorizedAccessException)
        {
            throw new AmbientCredentialsException(e.Message + "\n" + Hint, e);
        }
        if (credentials.AccessKeyId.Length == 0 || credentials.SecretAccessKey.Length == 0)
            throw new AmbientCredentialsException("ambient credentials resolved but access key is empty.\n" + Hint);
        diagnostics.Debug($"Using ambient credentials from the {credentials.Source} for profile '{config.Name}'.");
        stdout.WriteLine(credentials.Format());
        return 0;
    }
}
