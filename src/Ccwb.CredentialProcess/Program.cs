using System.Reflection;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Flow;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Passthrough;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Ccwb.Contract.CommandLine;
using Ccwb.CredentialProcess;

// First, before config.json is read: a sign-in that fails after this moment was one this call ran beside.
FailedSignInRecord.NoteProcessStart();
// The cached path (parse flags, read config.json, read the cache, print) does no other work: no HttpClient, no
// provider lookup, no second config read, no console set-up.
var stdout = StandardOutput.Create();
// Console.Error is created on first use: the cached path never writes to it.
var stderr = new LazyWriter(() => Console.Error);

var surface = ShippedPrograms.CredentialProcess;
var commandLine = surface.Parse(args);
if (commandLine.Error is { } parseError)
{
    stderr.WriteLine(parseError);
    stderr.WriteLine(surface.Usage());
    return 2;
}
if (commandLine.Has("help"))
{
    stderr.WriteLine(surface.Usage());
    return 0;
}
if (commandLine.Has("version"))
{
    stdout.WriteLine(VersionText());
    return 0;
}

var ccwbProfile = Environment.GetEnvironmentVariable("CCWB_PROFILE");
var diagnostics = new Diagnostics(stderr, Diagnostics.DebugRequested(Environment.GetEnvironmentVariable("COGNITO_AUTH_DEBUG")));
var paths = SessionPaths.ForCurrentUser();

try
{
    // Checked before any command runs (--set-client-secret does not read config.json), and again when config.json's
    // only profile stands in for the default name.
    var profileName = ProfileSelector.Checked(ProfileSelector.Resolve(commandLine.Value("p"), commandLine.Value("profile"), ccwbProfile));
    if (commandLine.Has("set-client-secret")) return ClientSecretCommand.Run(profileName, diagnostics);

    var configFile = ConfigLoader.LoadFirst(Path.GetDirectoryName(Environment.ProcessPath), paths.Home);
    profileName = ProfileSelector.Checked(ProfileSelector.ApplySoleProfile(profileName, ccwbProfile, configFile));
    var config = configFile.Get(profileName);

    if (commandLine.UnavailableFlags.FirstOrDefault() is { } later)
        throw new OidcException($"--{later.Name} is not supported by this version of credential-process.");
    var programDirectory = Path.GetDirectoryName(Environment.ProcessPath);
    var context = new CommandContext(config, paths, CredentialCaches.For(config, paths), stdout, diagnostics,
        Environment.GetEnvironmentVariable, TimeProvider.System)
    {
        StderrIsTerminal = () => !Console.IsErrorRedirected,
        Launcher = LoginCommand.Launcher(programDirectory),
        ProgramDirectory = programDirectory,
    };
    if (commandLine.Has("explain")) return ExplainCommand.Run(context with { Build = BuildInfo() }, configFile.Path);
    var commands = new CredentialCommands(context);
    if (commandLine.Has("clear-cache")) return commands.ClearCache();
    if (commandLine.Has("show-tags")) return await commands.ShowTagsAsync();
    if (commandLine.Has("show-claims")) return await commands.ShowClaimsAsync();
    if (commandLine.Value("get-tag") is { } tag) return commands.GetTag(tag);
    if (commandLine.Has("get-monitoring-token"))
    {
        // Identity Center and passthrough have no id token: the role's identity feeds the header cache instead.
        if (config.IsIdentityCenter) return await new IdentityCenterCommands(context).GetMonitoringTokenAsync();
        if (config.IsPassthrough) return new PassthroughCommands(context).GetMonitoringToken();
        return await commands.GetMonitoringTokenAsync();
    }
    if (commandLine.Has("get-mcp-auth-header")) return await commands.GetMcpAuthHeaderAsync();
    if (commandLine.Has("desktop")) return await commands.DesktopAsync();
    if (commandLine.Has("check-expiration")) return commands.CheckExpiration();
    if (commandLine.Has("login") && !config.IsIdentityCenter) return LoginCommand.NotIdentityCenter(config, diagnostics);
    if (config.IsIdentityCenter)
    {
        var idc = new IdentityCenterCommands(context);
        return commandLine.Has("login") ? await idc.LoginAsync() : await idc.RunAsync();
    }
    if (config.IsPassthrough) return new PassthroughCommands(context).Run();
    if (commandLine.Has("refresh-if-needed")) return await commands.RefreshIfNeededAsync();
    return await commands.RunAsync();
}
catch (Exception e) when (e is ConfigException or OidcException or InvalidIdTokenException or FederationException or SecretStoreException
                           or IdentityCenterException or AmbientCredentialsException or QuotaBlockedException)
{
    stderr.WriteLine("Error: " + e.Message);
    return 1;
}
catch (IOException e)
{
    stderr.WriteLine($"Error: cannot read or write a credential file: {e.Message}");
    return 1;
}
catch (UnauthorizedAccessException e)
{
    stderr.WriteLine($"Error: permission denied on a credential file: {e.Message}");
    return 1;
}

static string VersionText()
{
    var (version, commit) = BuildInfo();
    return $"credential-process {version} ({commit})";
}

// InformationalVersion is "<Version>+<SourceRevisionId>", stamped by the build.
static (string Version, string Commit) BuildInfo()
{
    var informational = typeof(StandardOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    var plus = informational.IndexOf('+', StringComparison.Ordinal);
    return (plus < 0 ? informational : informational[..plus], plus < 0 ? "unknown" : informational[(plus + 1)..]);
}
