using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Credentials.Tests.Support;

/// <summary>
/// A user's world for one test: a temporary HOME with config.json, a free callback port, the AWS endpoints pointed
/// at the peer, and a browser command. Runs the built credential-process binary as a process.
/// </summary>
public sealed class Sandbox : IDisposable
{
    private readonly TempDirectory home = new("ccwb-home");

    public Sandbox(string browser = "follow-redirects.sh")
    {
        Port = AwsPeer.FreePort();
        Environment["HOME"] = home.Path;
        Environment["USERPROFILE"] = home.Path;
        Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        Environment["BROWSER"] = Path.Combine(AppContext.BaseDirectory, "Browsers", browser);
        Environment["REDIRECT_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "20";
    }

    public string Home => home.Path;
    public int Port { get; }
    /// <summary>The complete environment of the process (nothing is inherited but PATH).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// credential-process as installed: the front, with credential-process-full beside it (<c>CREDENTIAL_PROCESS_PATH</c>
    /// names a front that has the full helper beside it).
    /// </summary>
    public static string Binary { get; } = LocateBinary();

    /// <summary>The full helper beside <see cref="Binary"/>, which the front hands every call it does not answer to.</summary>
    public static string FullBinary { get; } = Path.Combine(Path.GetDirectoryName(Binary)!, ProgramName("credential-process-full"));

    /// <summary>
    /// otel-helper as installed: the front, with otel-helper-full beside it (<c>OTEL_HELPER_PATH</c> overrides, as
    /// <c>CREDENTIAL_PROCESS_PATH</c> does).
    /// </summary>
    public static string OtelHelper { get; } = LocateInstalled("OTEL_HELPER_PATH", "installed-otel-helper", "otel-helper");

    /// <summary>The full program beside <see cref="OtelHelper"/>, which the front hands every call it does not answer to.</summary>
    public static string OtelHelperFull { get; } = Path.Combine(Path.GetDirectoryName(OtelHelper)!, ProgramName("otel-helper-full"));

    /// <summary>
    /// Puts credential-process where upstream installs it, <c>~/claude-code-with-bedrock/</c>, where otel-helper
    /// looks for it when it is not beside otel-helper itself.
    /// </summary>
    public void InstallCredentialProcess() =>
        WriteExecutable(Path.Combine("claude-code-with-bedrock", "credential-process"), $"#!/bin/sh\nexec '{Binary}' \"$@\"\n");

    public void WriteExecutable(string relative, string content)
    {
        WriteFile(relative, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(HomePath(relative), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string HomePath(params string[] parts) => Path.Combine([Home, .. parts]);

    public void WriteConfig(JsonNode config) => WriteFile(Path.Combine("claude-code-with-bedrock", "config.json"), config.ToJsonString());

    public void WriteFile(string relative, string content)
    {
        var path = HomePath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>A profile signing in at <paramref name="oidc"/> and federating through <paramref name="aws"/>.</summary>
    public JsonObject Profile(OidcPeer oidc, AwsPeer aws, string federation = "direct")
    {
        Environment["AWS_ENDPOINT_URL"] = aws.Endpoint;
        var profile = new JsonObject
        {
            ["provider_domain"] = oidc.Issuer,
            ["provider_type"] = "generic",
            ["client_id"] = "claude-code-client",
            ["aws_region"] = "us-east-1",
            ["credential_storage"] = "session",
        };
        if (federation == "direct")
        {
            profile["federated_role_arn"] = AwsPeer.RoleArn;
            profile["federation_type"] = "direct";
        }
        else
        {
            profile["identity_pool_id"] = AwsPeer.IdentityPoolId;
            profile["federation_type"] = "cognito";
        }
        return profile;
    }

    public Task<Run.Result> RunAsync(params string[] args) => RunAsync(Binary, args);

    public Task<Run.Result> RunAsync(string program, string[] args, string? stdin = null) =>
        Run.ToolAsync(program, args, Home, Run.OnlyEnvironment(Environment), timeoutSeconds: 120, standardInput: stdin);

    /// <summary>Every file under HOME (except config.json) with its mode and content, to prove what was or was not written.</summary>
    public SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Home, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Home, path);
            if (relative.EndsWith("config.json", StringComparison.Ordinal)) continue;
            files[relative] = File.ReadAllText(path);
        }
        return files;
    }

    private static string LocateBinary() =>
        LocateInstalled("CREDENTIAL_PROCESS_PATH", "installed-credential-process", "credential-process");

    private static string ProgramName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    /// <summary>The front named <paramref name="name"/> in <paramref name="folder"/>, where this project's build merges front and full program.</summary>
    private static string LocateInstalled(string variable, string folder, string name)
    {
        var configured = System.Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured)) return configured;
        var path = Path.Combine(AppContext.BaseDirectory, folder, ProgramName(name));
        return File.Exists(path) ? path : throw new FileNotFoundException(name + " is not built", path);
    }

    public void Dispose() => home.Dispose();
}
