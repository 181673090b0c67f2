namespace Ccwb.Contract.CommandLine;

/// <summary>
/// Every program a package ships, with its command line. Generated files (Claude Code settings, Cowork policies, AWS
/// profiles, installers) may run only these, with flags marked available.
/// </summary>
public static class ShippedPrograms
{
    /// <summary>The AWS credential_process helper (drop-in for upstream's Go binary: the same flags and exit codes).</summary>
    public static readonly ProgramSurface CredentialProcess = new("credential-process", Platforms.All,
        "AWS credential_process helper for Claude Code with Amazon Bedrock: signs in through your identity provider\n" +
        "and prints temporary AWS credentials as one JSON line on stdout.\n\nExit status: 0 success, 1 failure, 2 bad flags.",
        [
            Flag.Value("profile", "NAME", "profile in config.json (default: $CCWB_PROFILE or ClaudeCode; a single-profile config.json is used whatever the name)", "p"),
            Flag.Switch("version", "print version and commit", "v"),
            Flag.Switch("get-monitoring-token", "print the id token used for telemetry (signs in if needed)"),
            Flag.Switch("clear-cache", "forget cached AWS credentials and the refresh token"),
            Flag.Switch("check-expiration", "exit 0 if ~/.aws/credentials holds valid credentials for the profile, else 1"),
            Flag.Switch("refresh-if-needed", "print nothing if the cached credentials are valid, else sign in (session storage)"),
            Flag.Switch("set-client-secret", "store the Entra ID client secret ($CCWB_CLIENT_SECRET or a prompt)"),
            Flag.Switch("explain", "print the resolved settings as JSON (no sign-in, no network)"),
            Flag.Switch("show-tags", "print the session tags of the cached id token"),
            Flag.Switch("show-claims", "print the claims of the cached id token"),
            Flag.Value("get-tag", "KEY", "print one principal tag of the cached id token"),
            Flag.Switch("get-mcp-auth-header", "print {\"Authorization\":\"Bearer <id token>\"} for an MCP server (never opens a browser)"),
            Flag.Switch("desktop", "print the Bedrock bearer token for Claude Desktop (signs in only if CLAUDE_HELPER_CONTEXT is empty or interactive)"),
            Flag.Switch("login", "IAM Identity Center: sign in and cache the SSO token, print no credentials"),
            Flag.Switch("help", "show this help", "h"),
        ]);

    /// <summary>
    /// Claude Code's <c>otelHeadersHelper</c> (drop-in for upstream's Go binary): prints the attribution headers of the
    /// signed-in user as one JSON object, and always exits 0 in that mode so telemetry is never dropped.
    /// </summary>
    public static readonly ProgramSurface OtelHelper = new("otel-helper", Platforms.All,
        "Claude Code otelHeadersHelper for Claude Code with Amazon Bedrock: prints the telemetry attribution headers of\n" +
        "the signed-in user as one JSON object on stdout ({} when there is none yet).\n\nExit status: 0 (also when no headers are known), 1 failure of --status/--test, 2 bad flags.",
        [
            Flag.Value("profile", "NAME", "profile in config.json (default: $CCWB_PROFILE, $AWS_PROFILE or ClaudeCode)"),
            Flag.Switch("test", "print the headers and the attributes they come from, for people; writes no cache"),
            Flag.Switch("verbose", "log each step to stderr (also when $DEBUG_MODE is set)"),
            Flag.Switch("version", "print version and commit"),
            Flag.Switch("status", "print the state of the signing proxy and the header cache as JSON"),
            Flag.Switch("proxy", "run the local SigV4 signing proxy for OTLP/HTTP"),
            Flag.Value("proxy-port", "N", "port of the signing proxy (default 4318)"),
            Flag.Value("proxy-region", "REGION", "region of the signing proxy (default $AWS_REGION, $AWS_DEFAULT_REGION)"),
            Flag.Switch("help", "show this help", "h"),
        ]);

    /// <summary>
    /// The Windows installers' per-user step (the MSI's, and install.bat's from the package folder): merges the Claude
    /// Code settings and adds the AWS profiles, and takes out exactly that on uninstall. install.bat also has it write a
    /// managed profile's machine-wide settings.
    /// </summary>
    public static readonly ProgramSurface UserSetup = new("ccwb-user-setup", Platforms.Windows,
        "Adds or removes this package's Claude Code settings and AWS profiles for the current user.",
        [Flag.Switch("help", "show this help", "h")],
        [
            new Subcommand("install", "add this package's settings and AWS profiles for the current user",
            [
                Flag.Value("install-dir", "DIR", "where credential-process.exe is installed (default: this program's folder)"),
                Flag.Value("settings", "FILE", "the package's Claude Code settings (with placeholders) to merge into the user's settings.json"),
                Flag.Value("profile", "NAME=REGION", "an AWS profile to add (repeatable)", repeatable: true),
                Flag.Value("cowork-reg", "FILE", "the package's Claude Desktop policy (.reg) to copy into the install folder with the user's home folder written in"),
            ]),
            new Subcommand("managed-settings", "write the package's managed Claude Code settings with the installed paths filled in (as administrator)",
            [
                Flag.Value("install-dir", "DIR", "where credential-process.exe is installed (default: this program's folder)"),
                Flag.Value("settings", "FILE", "the package's managed Claude Code settings (with placeholders)"),
                Flag.Value("output", "FILE", "the machine-wide managed settings file to write (replaced whole)"),
            ]),
            new Subcommand("uninstall", "take out what the last installation added for the current user", []),
        ]);

    /// <summary>
    /// The Cowork credential helper wrapper (<c>cowork-credential-helper.sh</c> / <c>.cmd</c>), a rendered script that runs
    /// <c>credential-process --desktop</c> for the profile; Claude Desktop runs it with no arguments.
    /// </summary>
    public static readonly ProgramSurface CoworkCredentialHelper = new("cowork-credential-helper", Platforms.All,
        "Prints the Claude Desktop bearer token for this package's profile.", []);

    /// <summary>
    /// The web search MCP server's header helper (<c>websearch-headers</c> / <c>.cmd</c>), written by the install scripts:
    /// runs <c>credential-process --get-mcp-auth-header</c> for the profile.
    /// </summary>
    public static readonly ProgramSurface WebSearchHeaders = new("websearch-headers", Platforms.All,
        "Prints the bearer header for the web search MCP server.", []);

    /// <summary>
    /// The IAM Identity Center launcher (<c>claude-bedrock</c> / <c>.cmd</c>), written by the install scripts: signs in with
    /// <c>credential-process --login</c>, then runs <c>claude</c> with the arguments it was given.
    /// </summary>
    public static readonly ProgramSurface IdentityCenterLauncher = new("claude-bedrock", Platforms.All,
        "Signs in through IAM Identity Center when needed, then starts Claude Code.", []);

    /// <summary>
    /// The deb's and the macOS package's per-user step (<c>ccwb-configure-aws-profile</c>, a shell script in
    /// installers/linux and installers/macos): sets the package's AWS profiles in ~/.aws/config, or takes them out with
    /// <c>--remove</c>.
    /// </summary>
    public static readonly ProgramSurface ConfigureAwsProfile = new("configure-aws-profile", Platforms.Unix,
        "Sets (or with --remove, removes) this package's AWS profiles in ~/.aws/config.",
        [Flag.Switch("remove", "take the profiles out"), Flag.Switch("help", "show this help", "h")]);

    /// <summary>
    /// The full credential helper, installed beside <see cref="CredentialProcess"/> (<c>.exe</c> on Windows): the
    /// credential-process program is a small front that answers the cached call itself and hands every other call,
    /// with the same arguments, to this one. Shipped by every package, but never run by a generated file, so it has no
    /// surface of its own (its command line is <see cref="CredentialProcess"/>'s) and is not in <see cref="All"/>.
    /// </summary>
    public const string CredentialProcessFull = "credential-process-full";

    /// <summary>
    /// The full otel-helper, installed beside <see cref="OtelHelper"/> wherever that is (<c>.exe</c> on Windows): the
    /// otel-helper program is a small front that answers the warm header call itself and hands every other call, with
    /// the same arguments, to this one. Never run by a generated file: its command line is <see cref="OtelHelper"/>'s.
    /// </summary>
    public const string OtelHelperFull = "otel-helper-full";

    /// <summary>
    /// Programs packages install that no generated file runs (see <see cref="CredentialProcessFull"/> and
    /// <see cref="OtelHelperFull"/>): each is run only by its front (<see cref="FrontOf"/>).
    /// </summary>
    public static IReadOnlyList<string> NotRunByGeneratedFiles { get; } = [CredentialProcessFull, OtelHelperFull];

    /// <summary>The front that runs a program of <see cref="NotRunByGeneratedFiles"/>: its name without <c>-full</c>.</summary>
    public static string FrontOf(string fullProgram) =>
        fullProgram.EndsWith("-full", StringComparison.Ordinal) ? fullProgram[..^"-full".Length] : fullProgram;

    public static IReadOnlyList<ProgramSurface> All { get; } =
        [CredentialProcess, OtelHelper, UserSetup, CoworkCredentialHelper, WebSearchHeaders, IdentityCenterLauncher, ConfigureAwsProfile];

    /// <summary>The program of this name (without a path or <c>.exe</c>, <c>.sh</c>, <c>.cmd</c>), or null.</summary>
    public static ProgramSurface? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
