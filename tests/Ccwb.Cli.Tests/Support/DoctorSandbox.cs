using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ccwb.Testing;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests.Support;

/// <summary>
/// An end user's computer for <c>ccwb doctor</c>: a private HOME holding a real installation as install.sh lays it
/// out (the built credential-process and otel-helper in <c>~/claude-code-with-bedrock</c>, config.json beside them,
/// the AWS profile and Claude Code settings), a free callback port, and a local HTTP server whose Date header is
/// the time reference. ccwb runs with exactly the environment set here (nothing of the runner's leaks in).
/// </summary>
internal sealed class DoctorSandbox : IDisposable
{
    public const string Profile = "ClaudeCode";
    private readonly TempDirectory home = new("ccwb-doctor");
    private readonly LoopbackHttpServer clockServer;

    public DoctorSandbox()
    {
        CallbackPort = AwsPeer.FreePort();
        var clockPort = AwsPeer.FreePort();
        ClockEndpoint = $"http://127.0.0.1:{clockPort}/";
        clockServer = new LoopbackHttpServer(ClockEndpoint, context =>
        {
            context.Response.Headers["Date"] = (DateTimeOffset.UtcNow + ClockOffset).ToString("r", CultureInfo.InvariantCulture);
            context.Response.StatusCode = (int)HttpStatusCode.OK;
            context.Response.Close();
            return Task.CompletedTask;
        });
        Environment["HOME"] = home.Path;
        Environment["USERPROFILE"] = home.Path;
        Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        Environment["DOTNET_NOLOGO"] = "1";
        if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) Environment["DOTNET_ROOT"] = root;
    }

    public string Home => home.Path;

    public int CallbackPort { get; }

    public string ClockEndpoint { get; }

    /// <summary>How far the clock server's Date is from the real time (a skewed computer seen from the server).</summary>
    public TimeSpan ClockOffset { get; set; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string InstallFolder => HomePath("claude-code-with-bedrock");

    public string CredentialProcess => Path.Combine(InstallFolder, "credential-process");

    /// <summary>The front with credential-process-full beside it, as installed (see InstalledCredentialProcess.targets).</summary>
    public static string CredentialProcessBuild { get; } = Path.Combine(AppContext.BaseDirectory, "installed-credential-process", "credential-process");

    /// <summary>The front with otel-helper-full beside it, as installed (see InstalledOtelHelper.targets).</summary>
    public static string OtelHelperBuild { get; } = Path.Combine(AppContext.BaseDirectory, "installed-otel-helper", "otel-helper");

    public string HomePath(params string[] parts) => Path.Combine([Home, .. parts]);

    /// <summary>A working installation: both programs, config.json, the AWS profile and Claude Code's settings.</summary>
    public DoctorSandbox Healthy()
    {
        InstallProgram("credential-process", CredentialProcessBuild);
        InstallProgram("otel-helper", OtelHelperBuild);
        WriteConfig(ConfigProfile());
        WriteFile(".aws/config", $"[profile {Profile}]\ncredential_process = {CredentialProcess} --profile {Profile}\nregion = us-east-1\n");
        WriteFile(".claude/settings.json", new JsonObject
        {
            ["env"] = new JsonObject
            {
                ["CLAUDE_CODE_USE_BEDROCK"] = "1",
                ["AWS_REGION"] = "us-east-1",
                ["AWS_PROFILE"] = Profile,
                ["AWS_CREDENTIAL_PROCESS"] = $"{CredentialProcess} --profile {Profile}",
            },
            ["awsAuthRefresh"] = $"{CredentialProcess} --profile {Profile}",
            ["otelHeadersHelper"] = Path.Combine(InstallFolder, "otel-helper"),
        }.ToJsonString());
        return this;
    }

    /// <summary>The profile install.sh would have put in config.json (telemetry on, so otel-helper is required).</summary>
    public JsonObject ConfigProfile() => new()
    {
        ["provider_domain"] = "login.example.com",
        ["provider_type"] = "generic",
        ["client_id"] = "claude-code-client",
        ["aws_region"] = "us-east-1",
        ["credential_storage"] = "session",
        ["federation_type"] = "direct",
        ["federated_role_arn"] = "arn:aws:iam::123456789012:role/ClaudeCodeBedrock",
        ["redirect_port"] = CallbackPort,
        ["monitoring_enabled"] = true,
        ["otel_collector_endpoint"] = "https://collector.example.com",
    };

    public void WriteConfig(JsonObject profile) =>
        WriteFile("claude-code-with-bedrock/config.json", new JsonObject { ["profiles"] = new JsonObject { [Profile] = profile } }.ToJsonString());

    /// <summary>The program as install.sh puts it; a script that runs the build (which keeps its runtime files beside it).</summary>
    public void InstallProgram(string name, string build)
    {
        var path = Path.Combine(InstallFolder, name);
        WriteFile(Path.GetRelativePath(Home, path), $"#!/bin/sh\nexec '{build}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void WriteFile(string relative, string content)
    {
        var path = HomePath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Runs <c>ccwb doctor</c> with the sandbox's clock server as time reference.</summary>
    public Run.Result Doctor(params string[] args) => Ccwb(["doctor", "--clock-endpoint", ClockEndpoint, .. args]);

    public Run.Result Ccwb(params string[] args)
    {
        Assert.True(File.Exists(Tests.Ccwb.AssemblyPath), $"build src/Ccwb.Cli first: {Tests.Ccwb.AssemblyPath} not found");
        return Run.Tool("dotnet", [Tests.Ccwb.AssemblyPath, .. args], Home, Run.OnlyEnvironment(Environment), timeoutSeconds: 240);
    }

    /// <summary>
    /// Runs <c>ccwb doctor</c> on a private session bus (dbus-run-session) where a real GNOME Keyring provides the
    /// Secret Service, unlocked as a login would; bus and keyring end with the command.
    /// </summary>
    public Run.Result DoctorWithSecretService(params string[] args)
    {
        var runtime = HomePath("run");
        Directory.CreateDirectory(runtime);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(runtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment["XDG_RUNTIME_DIR"] = runtime;
        const string script = "printf %s keyring-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null && exec dotnet \"$@\"";
        return Run.Tool("dbus-run-session", ["--", "sh", "-c", script, "sh", Tests.Ccwb.AssemblyPath, "doctor", "--clock-endpoint", ClockEndpoint, .. args],
            Home, Run.OnlyEnvironment(Environment), timeoutSeconds: 240);
    }

    /// <summary>Text with the sandbox's own values (home, port, helper version) replaced by stable names, for snapshots.</summary>
    public string Normalize(string text, string helperVersion, string otelHelperVersion) => text
        .Replace(Home, "<home>", StringComparison.Ordinal)
        .Replace(CallbackPort.ToString(CultureInfo.InvariantCulture), "<port>", StringComparison.Ordinal)
        .Replace(new Uri(ClockEndpoint).Authority, "<clock-server>", StringComparison.Ordinal)
        .Replace(helperVersion, "<credential-process version>", StringComparison.Ordinal)
        .Replace(otelHelperVersion, "<otel-helper version>", StringComparison.Ordinal);

    public void Dispose()
    {
        clockServer.Dispose();
        home.Dispose();
    }
}
