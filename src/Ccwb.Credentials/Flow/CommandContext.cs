using Ccwb.Credentials.Config;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// What every command of one invocation works with: the profile, the user's files, the output streams, the process
/// environment and the clock. Commands take this one object instead of each repeating a long constructor.
/// </summary>
public sealed record CommandContext(
    ProfileConfig Config,
    SessionPaths Paths,
    ICredentialCache Cache,
    TextWriter Stdout,
    Diagnostics Diagnostics,
    Func<string, string?> Environment,
    TimeProvider Clock)
{
    /// <summary>The OS secret store (client secrets); nothing is contacted until it is used.</summary>
    public Func<ISecretStore> SecretStore { get; init; } = CredentialCaches.SecretStore;

    /// <summary>Whether stderr is a terminal; asked only when a sign-in needs the user (the cached path does not touch the console).</summary>
    public Func<bool> StderrIsTerminal { get; init; } = () => false;

    /// <summary>The <c>claude-bedrock</c> launcher beside this program, named when a sign-in needs a terminal.</summary>
    public string Launcher { get; init; } = "claude-bedrock";

    /// <summary>Version and commit of the running program, for <c>--explain</c>.</summary>
    public (string Version, string Commit) Build { get; init; } = ("dev", "unknown");

    /// <summary>The directory of the running program (config.json's first place, <c>paths.install_dir</c> of <c>--explain</c>).</summary>
    public string? ProgramDirectory { get; init; }

    private HttpTransport? http;

    /// <summary>One HTTP client per invocation, made on first use (the cached path never makes one).</summary>
    public HttpTransport Http() => http ??= HttpTransport.FromEnvironment(Environment, "credential-process");
}
