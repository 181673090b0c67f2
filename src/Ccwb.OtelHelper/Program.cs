using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Ccwb.Contract.CommandLine;
using Ccwb.CredentialProcess;
using Ccwb.Credentials.Otel;
using Ccwb.Credentials.Storage;
using Ccwb.OtelHelper;
using Ccwb.OtelHelper.Collector;
using Ccwb.OtelHelper.Proxy;

var stdout = StandardOutput.Create();
var surface = ShippedPrograms.OtelHelper;
var commandLine = surface.Parse(args);
if (commandLine.Error is { } parseError)
{
    Console.Error.WriteLine(parseError);
    Console.Error.WriteLine(surface.Usage());
    return 2;
}
if (commandLine.Has("help"))
{
    Console.Error.WriteLine(surface.Usage());
    return 0;
}
if (commandLine.Has("version"))
{
    stdout.WriteLine(VersionText());
    return 0;
}
if (commandLine.UnavailableFlags.FirstOrDefault() is { } later)
{
    Console.Error.WriteLine($"error: --{later.Name}: not supported by this version of otel-helper");
    return 1;
}

// The flag or CCWB_PROFILE names the profile for this program and for the credential-process it may start.
var profile = OtelHeaderMode.SelectProfile(commandLine.Value("profile"), Environment.GetEnvironmentVariable);
// The name becomes file names and a credential-process argument: refused before anything is read, written or run.
if (Ccwb.Credentials.Config.ProfileSelector.Problem(profile) is { } badProfile)
{
    Console.Error.WriteLine($"error: profile: {badProfile}");
    if (commandLine.Has("proxy") || commandLine.Has("status") || commandLine.Has("test")) return 1;
    // Header mode keeps its contract (Claude Code drops the batch on any other answer): {} and exit 0.
    stdout.WriteLine("{}");
    return 0;
}
var testMode = commandLine.Has("test");
var verbose = testMode || commandLine.Has("verbose") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DEBUG_MODE"));
void Log(string message)
{
    if (verbose) Console.Error.WriteLine($"{DateTime.Now:yyyy-MM-dd HH:mm:ss} otel-helper: {Terminal.Printable(message)}");
}
var paths = SessionPaths.ForCurrentUser();
var source = new HeaderSource(profile, paths, Environment.GetEnvironmentVariable, TimeProvider.System, Log);

if (commandLine.Has("proxy"))
    return ProxyCommand.Run(profile, commandLine.Value("proxy-port"), commandLine.Value("proxy-region"), source, "otel-helper", Log);
if (commandLine.Has("status"))
{
    stdout.WriteLine(Status(profile, source.CachedHeaders()));
    return 0;
}
if (testMode)
{
    var (headers, claims) = source.Resolve(writeCache: false);
    stdout.Write(TestReport.Format(headers, claims));
    return 0;
}

// Header mode is what Claude Code runs, often: the moment to (re)start a sidecar-mode install's local collector.
new CollectorSidecar(profile, paths, Log).EnsureRunning();
try
{
    stdout.WriteLine(OtelHeaderMode.Json(source.Resolve(writeCache: true).Headers));
}
catch (Exception e)
{
    // Claude Code drops the telemetry batch when this helper fails: whatever went wrong, answer {}.
    Log($"failed: {e.Message}");
    stdout.WriteLine("{}");
}
return 0;

// --status: whether the signing proxy listens (upstream also reports 4319 when the default 4318 is free) and which
// headers are cached (names only).
static string Status(string profile, IReadOnlyDictionary<string, string>? cached)
{
    const int DefaultPort = ProxyCommand.DefaultPort;
    var port = DefaultPort;
    var listening = Listening(port);
    if (!listening && Listening(DefaultPort + 1))
    {
        port = DefaultPort + 1;
        listening = true;
    }
    using var buffer = new MemoryStream();
    using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
    {
        writer.WriteStartObject();
        writer.WriteString("version", VersionText()["otel-helper ".Length..]);
        writer.WriteString("platform", GoPlatform());
        writer.WriteString("profile", profile);
        writer.WriteStartObject("proxy");
        writer.WriteBoolean("listening", listening);
        writer.WriteNumber("port", port);
        writer.WriteString("mode", listening ? "sigv4" : "none");
        writer.WriteEndObject();
        writer.WriteStartObject("cache");
        writer.WriteBoolean("has_headers", cached is { Count: > 0 });
        writer.WriteStartArray("header_keys");
        foreach (var name in cached?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>()) writer.WriteStringValue(name);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
    return Encoding.UTF8.GetString(buffer.ToArray());
}

static bool Listening(int port)
{
    using var client = new TcpClient();
    try
    {
        return client.ConnectAsync(System.Net.IPAddress.Loopback, port).Wait(TimeSpan.FromMilliseconds(500)) && client.Connected;
    }
    catch (AggregateException)
    {
        return false;
    }
}

// Upstream reports Go's names (linux/amd64, darwin/arm64, windows/amd64).
static string GoPlatform()
{
    var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
    var arch = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };
    return $"{os}/{arch}";
}

// InformationalVersion is "<Version>+<SourceRevisionId>", stamped by the build.
static string VersionText()
{
    var informational = typeof(HeaderSource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    var plus = informational.IndexOf('+', StringComparison.Ordinal);
    var version = plus < 0 ? informational : informational[..plus];
    var commit = plus < 0 ? "unknown" : informational[(plus + 1)..];
    return $"otel-helper {version} ({commit})";
}
