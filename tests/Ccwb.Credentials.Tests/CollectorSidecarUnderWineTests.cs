using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// otel-helper's Windows start of the sidecar collector (CreateProcessW: a new process group without a window, the
/// standard handles on the log files and only those inherited) and its liveness check by process name, under wine64.
/// otel-helper is published for win-x64 as installed (the front, which hands these calls to otel-helper-full beside it,
/// a child process on Windows); the stand-in otelcol.exe is a small .NET program that records its command
/// line, environment and working folder, writes to both streams and runs until killed. Skipped on hosts other than
/// Linux; on Linux a missing Wine fails.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class CollectorSidecarUnderWineTests(CollectorSidecarUnderWineTests.WinePrograms programs)
    : IClassFixture<CollectorSidecarUnderWineTests.WinePrograms>
{
    private const string CachedHeaders = "{\"x-team-id\":\"platform\"}";

    [Fact]
    public async Task Concurrent_calls_start_one_collector_with_its_config_profile_and_log_files_and_a_killed_one_is_restarted()
    {
        programs.SkipUnlessAvailable();
        var prefix = programs.Prefix;
        var install = Path.Combine(prefix.UserProfile, "claude-code-with-bedrock");
        var session = Path.Combine(prefix.UserProfile, ".claude-code-session");
        Directory.CreateDirectory(install);
        Directory.CreateDirectory(session);
        foreach (var file in Directory.GetFiles(programs.StandIn))
            File.Copy(file, Path.Combine(install, Path.GetFileName(file) == "standin.exe" ? "otelcol.exe" : Path.GetFileName(file)), overwrite: true);
        File.WriteAllText(Path.Combine(install, "collector-config.yaml"), "receivers:\n  otlp: {}\n");
        File.WriteAllText(Path.Combine(session, "Team-otel-headers.json"),
            $"{{\"schema_version\":2,\"headers\":{CachedHeaders},\"token_exp\":1,\"cached_at\":1}}");

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => prefix.Exec(programs.OtelHelper, "--profile", "Team"))));

        foreach (var result in results) AssertHeaders(result);
        var pid = File.ReadAllText(Path.Combine(install, "collector.pid"));
        var record = await WaitForFileAsync(Path.Combine(install, $"otelcol.args.{pid}"));
        var lines = record.Split('\n');
        Assert.Equal(["--config", @"C:\users\" + Environment.UserName + @"\claude-code-with-bedrock\collector-config.yaml"], lines[1..3]);
        Assert.Contains("AWS_PROFILE=Team-collector", lines);
        Assert.Contains("AWS_SDK_LOAD_CONFIG=1", lines);
        Assert.Equal(@"cwd=C:\users\" + Environment.UserName + @"\claude-code-with-bedrock", lines[^1]);
        Assert.Equal("collector stdout", (await WaitForFileAsync(Path.Combine(session, "collector.log"))).TrimEnd());
        Assert.Equal("collector stderr", (await WaitForFileAsync(Path.Combine(session, "collector.err"))).TrimEnd());
        // The others found the collector starting (the lock) or running (its name): one start only.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Single(Directory.GetFiles(install, "otelcol.args.*"));

        // A later call leaves the live collector alone; once it is killed, the next call starts another.
        AssertHeaders(prefix.Exec(programs.OtelHelper, "--profile", "Team"));
        Assert.Equal(pid, File.ReadAllText(Path.Combine(install, "collector.pid")));
        Assert.Equal(0, prefix.Exec("taskkill", "/F", "/PID", pid).ExitCode);
        AssertHeaders(prefix.Exec(programs.OtelHelper, "--profile", "Team"));
        var restarted = File.ReadAllText(Path.Combine(install, "collector.pid"));
        Assert.NotEqual(pid, restarted);
        await WaitForFileAsync(Path.Combine(install, $"otelcol.args.{restarted}"));
    }

    /// <summary>What Claude Code gets is the same as without a collector.</summary>
    private static void AssertHeaders(Run.Result result) => Assert.Equal((0, CachedHeaders, ""), (result.ExitCode, result.Output.TrimEnd(), result.Error));

    private static async Task<string> WaitForFileAsync(string path)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(100, TestContext.Current.CancellationToken))
        {
            try
            {
                if (File.Exists(path) && File.ReadAllText(path) is { Length: > 0 } text) return text;
            }
            catch (IOException)
            {
                // Still being written.
            }
        }
        throw new TimeoutException($"{path} was never written");
    }

    /// <summary>Publishes otel-helper (front and full program) and the stand-in for win-x64 once, and owns a private Wine prefix.</summary>
    public sealed class WinePrograms : IDisposable
    {
        private const string WineLoader = "/usr/lib/wine/wine64";
        private readonly TempDirectory _root = new("ccwb-wine-sidecar");
        private readonly WinePrefix? _prefix;

        public WinePrograms()
        {
            if (!File.Exists(WineLoader)) return;
            try
            {
                Directory.CreateDirectory(_root.Combine("standin"));
                File.WriteAllText(_root.Combine("standin", "standin.csproj"), StandInProject);
                File.WriteAllText(_root.Combine("standin", "Program.cs"), StandInProgram);
                // Private artifacts paths keep these win-x64 builds out of the projects' own bin and obj folders.
                Publish(Repo.PathOf("src", "Ccwb.OtelHelper", "Ccwb.OtelHelper.csproj"), "otel-helper", "otel-helper-full",
                    "-r", "win-x64", "--self-contained", "-p:PublishAot=false");
                Publish(Repo.PathOf("src", "Ccwb.OtelHelper.Front", "Ccwb.OtelHelper.Front.csproj"), "otel-helper", "otel-helper-front",
                    "-r", "win-x64", "--self-contained", "-p:PublishAot=false");
                Publish(_root.Combine("standin", "standin.csproj"), "standin-out", "standin-out");
                OtelHelper = _root.Combine("otel-helper", "otel-helper.exe");
                StandIn = _root.Combine("standin-out");
                _prefix = WinePrefix.ForDotNetPrograms();
            }
            catch
            {
                _root.Dispose(); // xunit does not dispose a fixture whose constructor failed
                throw;
            }
        }

        public string OtelHelper { get; } = "";
        public string StandIn { get; } = "";
        public WinePrefix Prefix => _prefix!;

        public void SkipUnlessAvailable()
        {
            // Skipped only where Wine cannot run at all; on Linux a missing wine64 is a broken machine, not a pass.
            Assert.SkipUnless(OperatingSystem.IsLinux(), "Wine runs Windows programs on Linux hosts only");
            Assert.True(_prefix is not null, "wine64 is not installed (build/install-prerequisites.sh installs it)");
        }

        private void Publish(string project, string output, string artifacts, params string[] options)
        {
            var publish = Run.Tool("dotnet", ["publish", project, "-c", "Release", "--artifacts-path", _root.Combine("artifacts-" + artifacts),
                "-o", _root.Combine(output), .. options], timeoutSeconds: 600);
            if (publish.ExitCode != 0) throw new InvalidOperationException($"publishing {project} for win-x64 failed:\n{publish}");
        }

        private const string StandInProject = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
                <RuntimeIdentifier>win-x64</RuntimeIdentifier>
                <SelfContained>true</SelfContained>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """;

        // Its record: the command line, "---", the environment sorted, "---", the working folder; written whole at once.
        private const string StandInProgram = """
            var record = Path.Combine(AppContext.BaseDirectory, $"otelcol.args.{Environment.ProcessId}");
            var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal)
                .Select(name => name + "=" + Environment.GetEnvironmentVariable(name));
            File.WriteAllText(record + ".tmp", string.Join("\n", [.. Environment.GetCommandLineArgs(), "---", .. variables, "---", "cwd=" + Environment.CurrentDirectory]));
            File.Move(record + ".tmp", record);
            Console.WriteLine("collector stdout");
            Console.Error.WriteLine("collector stderr");
            Thread.Sleep(Timeout.Infinite);
            """;

        public void Dispose()
        {
            _prefix?.Dispose();
            _root.Dispose();
        }
    }
}
