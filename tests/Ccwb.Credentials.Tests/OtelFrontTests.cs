using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// otel-helper is a small front that answers the warm header call itself and hands every other call, unchanged, to
/// otel-helper-full beside it. For each state, the front and the full program run on the same files with the same
/// arguments and environment must agree on stdout, stderr, exit code and the files left behind.
/// </summary>
/// <remarks>
/// No credential-process is installed, so a call that needs a token the files do not hold ends without one and
/// without network, in both programs alike.
/// </remarks>
[Trait(Requires.Trait, Requires.Unix)]
public partial class OtelFrontTests
{
    private const string Headers = "{\"x-team-id\":\"platform\",\"x-user-email\":\"alice@example.com\",\"x-user-name\":\"al\\u00EFce <a&b>\"}";

    /// <summary>
    /// The states, by name: the arguments, the seeding of the sandbox, and whether the front answers itself (then with
    /// the cached headers and a bearer).
    /// </summary>
    private static readonly Dictionary<string, (string[] Args, Action<Sandbox> Seed, bool Fast)> States = new(StringComparer.Ordinal)
    {
        ["warm: cache hit, stored token"] = ([], box => Warm(box), true),
        ["warm: --profile"] = (["--profile", "Team"], box => Warm(box, "Team"), true),
        ["warm: --profile=X"] = (["--profile=Team"], box => Warm(box, "Team"), true),
        ["warm: repeated --profile (last wins)"] = (["--profile", "Nope", "--profile", "Team"], box => Warm(box, "Team"), true),
        ["warm: CCWB_PROFILE"] = ([], box =>
        {
            box.Environment["CCWB_PROFILE"] = "Team";
            box.Environment["AWS_PROFILE"] = "Other";
            Warm(box, "Team");
        }, true),
        ["warm: AWS_PROFILE"] = ([], box =>
        {
            box.Environment["AWS_PROFILE"] = "Team";
            Warm(box, "Team");
        }, true),
        ["warm: empty --profile falls back to CCWB_PROFILE"] = (["--profile="], box =>
        {
            box.Environment["CCWB_PROFILE"] = "Team";
            Warm(box, "Team");
        }, true),
        ["warm: --profile wins over CCWB_PROFILE"] = (["--profile", "Team"], box =>
        {
            box.Environment["CCWB_PROFILE"] = "ClaudeCode";
            Warm(box, "Team");
        }, true),
        ["warm: environment token"] = ([], box =>
        {
            Cache(box, "ClaudeCode");
            box.Environment["CLAUDE_CODE_MONITORING_TOKEN"] = Jwt(DateTimeOffset.UtcNow.AddHours(1), "env");
        }, true),
        ["warm: environment token wins over the stored one"] = ([], box =>
        {
            Warm(box);
            box.Environment["CLAUDE_CODE_MONITORING_TOKEN"] = Jwt(DateTimeOffset.UtcNow.AddHours(1), "env");
        }, true),
        ["warm: environment token within 60 s of expiry, stored token used"] = ([], box =>
        {
            Warm(box);
            box.Environment["CLAUDE_CODE_MONITORING_TOKEN"] = Jwt(DateTimeOffset.UtcNow.AddSeconds(30), "env");
        }, true),
        ["warm: environment token that is no JWT, stored token used"] = ([], box =>
        {
            Warm(box);
            box.Environment["CLAUDE_CODE_MONITORING_TOKEN"] = "not-a-jwt";
        }, true),
        ["warm: empty entry not yet expired"] = ([], box =>
        {
            Entry(box, "ClaudeCode", $"{{\"schema_version\":2,\"headers\":{{}},\"token_exp\":{Seconds(60)},\"cached_at\":1}}");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, true),
        ["warm: entry with a byte order mark"] = ([], box =>
        {
            Entry(box, "ClaudeCode", "\uFEFF" + CacheJson());
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, true),
        ["warm: entry past its token_exp still serves its headers"] = ([], box =>
        {
            Entry(box, "ClaudeCode", $"{{\"schema_version\":2,\"headers\":{Headers},\"token_exp\":1,\"cached_at\":1}}");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, true),
        ["warm: missing config.json (a cache hit reads none)"] = ([], box =>
        {
            Warm(box);
            Directory.Delete(box.HomePath("claude-code-with-bedrock"), recursive: true);
        }, true),
        ["warm: collector program without its configuration (no sidecar)"] = ([], box =>
        {
            Warm(box);
            box.WriteExecutable(Path.Combine("claude-code-with-bedrock", "otelcol"), ExitingCollector);
        }, true),
        ["warm: sidecar collector running"] = ([], box =>
        {
            Warm(box);
            InstallCollector(box, LongRunningCollector);
            StartCollector(box);
        }, OperatingSystem.IsLinux()),
        ["sidecar collector installed, not running"] = ([], box =>
        {
            Warm(box);
            InstallCollector(box, ExitingCollector);
        }, false),
        ["sidecar collector installed, pid file names another process"] = ([], box =>
        {
            Warm(box);
            InstallCollector(box, ExitingCollector);
            box.WriteFile(Path.Combine("claude-code-with-bedrock", "collector.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }, false),
        ["stored token within 60 s of expiry"] = ([], box =>
        {
            Cache(box, "ClaudeCode");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddSeconds(30));
        }, false),
        ["expired environment token, no stored token"] = ([], box =>
        {
            Cache(box, "ClaudeCode");
            box.Environment["CLAUDE_CODE_MONITORING_TOKEN"] = Jwt(DateTimeOffset.UtcNow.AddHours(-1), "env");
        }, false),
        ["no token at all"] = ([], box => Cache(box, "ClaudeCode"), false),
        ["stored token of another profile"] = (["--profile", "Team"], box =>
        {
            Cache(box, "Team");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, false),
        ["stored token that is not JSON"] = ([], box =>
        {
            Cache(box, "ClaudeCode");
            box.WriteFile(Path.Combine(".claude-code-session", "ClaudeCode-monitoring.json"), "{\"token\":");
        }, false),
        ["cache miss, stored token (headers extracted and cached)"] = ([], box =>
        {
            Config(box);
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, false),
        ["cache miss, nothing at all (empty entry written)"] = ([], Config, false),
        ["empty entry expired"] = ([], box =>
        {
            Entry(box, "ClaudeCode", "{\"schema_version\":2,\"headers\":{},\"token_exp\":1,\"cached_at\":1}");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, false),
        ["old schema"] = ([], box =>
        {
            Entry(box, "ClaudeCode", $"{{\"schema_version\":1,\"headers\":{Headers},\"token_exp\":{Seconds(3600)},\"cached_at\":1}}");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, false),
        ["entry that is not JSON"] = ([], box =>
        {
            Entry(box, "ClaudeCode", "{\"schema_version\":2,");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, false),
        ["entry with a header that is not a string"] = ([], box =>
        {
            Entry(box, "ClaudeCode", $"{{\"schema_version\":2,\"headers\":{{\"x-team-id\":7}},\"token_exp\":{Seconds(3600)},\"cached_at\":1}}");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, false),
        ["entry that is JSON null"] = ([], box =>
        {
            Entry(box, "ClaudeCode", "null");
            StoredToken(box, "ClaudeCode", DateTimeOffset.UtcNow.AddHours(1));
        }, false),
        ["bad profile name"] = (["--profile", "../x"], box => Warm(box), false),
        ["bad profile name from AWS_PROFILE"] = ([], box =>
        {
            box.Environment["AWS_PROFILE"] = "a]b";
            Warm(box);
        }, false),
        ["DEBUG_MODE"] = ([], box =>
        {
            box.Environment["DEBUG_MODE"] = "1";
            Warm(box);
        }, false),
        ["DEBUG_MODE empty"] = ([], box =>
        {
            box.Environment["DEBUG_MODE"] = "";
            Warm(box);
        }, false),
        ["--verbose"] = (["--verbose"], box => Warm(box), false),
        ["--verbose on a miss"] = (["--verbose"], Config, false),
        ["--proxy-port without --proxy"] = (["--proxy-port", "9"], box => Warm(box), false),
        ["--status"] = (["--status"], box => Warm(box), false),
        ["--test"] = (["--test"], box => Warm(box), false),
        ["--version"] = (["--version"], box => Warm(box), false),
        ["--help"] = (["--help"], box => Warm(box), false),
        ["-h"] = (["-h"], box => Warm(box), false),
        ["undefined flag"] = (["--bogus"], box => Warm(box), false),
        ["--profile without a value"] = (["--profile"], box => Warm(box), false),
        ["a positional argument"] = (["extra"], box => Warm(box), false),
    };

    public static TheoryData<string> StateNames() => [.. States.Keys];

    /// <summary>Header mode: the answer is {} or headers, exit 0, even without otel-helper-full.</summary>
    private static readonly HashSet<string> NotHeaderMode = new(StringComparer.Ordinal)
    {
        "--status", "--test", "--version", "--help", "-h", "undefined flag", "--profile without a value",
    };

    [Theory]
    [MemberData(nameof(StateNames))]
    public async Task Front_and_full_program_agree(string state)
    {
        var (args, seed, fast) = States[state];
        using var box = new Sandbox();
        try
        {
            seed(box);
            var seeded = HomeFiles.Save(box.Home);

            var front = await box.RunAsync(Sandbox.OtelHelper, args);
            var frontFiles = Tree(box.Home);
            StopCollectorStartedBy(box, seeded);
            HomeFiles.Restore(box.Home, seeded);
            var full = await box.RunAsync(Sandbox.OtelHelperFull, args);
            var fullFiles = Tree(box.Home);
            StopCollectorStartedBy(box, seeded);

            Assert.Equal(Normalized(full), Normalized(front));
            Assert.Equal(fullFiles, frontFiles);
            if (fast) AssertWarmAnswer(state, front);
        }
        finally
        {
            StopCollector(box);
        }
    }

    /// <summary>
    /// Without otel-helper-full beside it, the front still answers every warm state with the headers, header mode with
    /// {} and exit 0 (Claude Code drops telemetry on any other answer), and reports the missing program for any other
    /// mode: this fails when the front stops answering the warm call itself.
    /// </summary>
    [Fact]
    public async Task The_front_answers_the_warm_call_itself_and_header_mode_without_the_full_program()
    {
        using var alone = new TempDirectory("ccwb-otel-front-alone");
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Sandbox.OtelHelper)!))
        {
            if (Path.GetFileName(file).StartsWith("otel-helper-full", StringComparison.Ordinal)) continue;
            File.Copy(file, Path.Combine(alone.Path, Path.GetFileName(file)));
        }
        var front = Path.Combine(alone.Path, Path.GetFileName(Sandbox.OtelHelper));
        var missing = $"Error: cannot run {Path.Combine(alone.Path, "otel-helper-full")} (errno 2); it is installed beside otel-helper. Reinstall the package.\n";

        foreach (var (state, (args, seed, fast)) in States)
        {
            using var box = new Sandbox();
            try
            {
                seed(box);
                var seeded = Tree(box.Home);
                var result = await box.RunAsync(front, args);
                if (fast)
                {
                    AssertWarmAnswer(state, result);
                    Assert.Equal("", result.Error);
                }
                else if (NotHeaderMode.Contains(state))
                {
                    Assert.True(result.ExitCode == 1, $"{state}: {result}");
                    Assert.Equal("", result.Output);
                    Assert.Equal(missing, result.Error);
                }
                else
                {
                    Assert.True(result.ExitCode == 0, $"{state}: {result}");
                    Assert.Equal("{}\n", result.Output);
                    Assert.Equal(missing, result.Error);
                }
                // The front writes nothing, answering or not.
                Assert.Equal(seeded, Tree(box.Home));
            }
            finally
            {
                StopCollector(box);
            }
        }
    }

    private static void AssertWarmAnswer(string state, Run.Result result)
    {
        Assert.True(result.ExitCode == 0, $"{state}: {result}");
        Assert.Contains("\"authorization\":\"Bearer ey", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("}\n", result.Output, StringComparison.Ordinal);
    }

    private const string ExitingCollector = "#!/bin/sh\nexit 0\n";
    private const string LongRunningCollector = "#!/bin/sh\nwhile :; do sleep 0.2; done\n";

    private static long Seconds(int fromNow) => DateTimeOffset.UtcNow.AddSeconds(fromNow).ToUnixTimeSeconds();

    private static string CacheJson() => $"{{\"schema_version\":2,\"headers\":{Headers},\"token_exp\":{Seconds(3600)},\"cached_at\":{Seconds(0)}}}";

    /// <summary>The state after a sign-in: config.json, the header cache and the stored monitoring token.</summary>
    private static void Warm(Sandbox box) => Warm(box, "ClaudeCode");

    private static void Warm(Sandbox box, string profile)
    {
        Config(box);
        Cache(box, profile);
        StoredToken(box, profile, DateTimeOffset.UtcNow.AddHours(1));
    }

    private static void Config(Sandbox box) => box.WriteFile(Path.Combine("claude-code-with-bedrock", "config.json"),
        "{\"profiles\": {\"ClaudeCode\": {\"provider_domain\": \"idp.example.invalid\", \"client_id\": \"c\", \"credential_storage\": \"session\"}," +
        " \"Team\": {\"provider_domain\": \"idp.example.invalid\", \"client_id\": \"c\", \"credential_storage\": \"session\"}}}");

    private static void Cache(Sandbox box, string profile)
    {
        Config(box);
        Entry(box, profile, CacheJson());
    }

    private static void Entry(Sandbox box, string profile, string json)
    {
        box.WriteFile(Path.Combine(".claude-code-session", $"{profile}-otel-headers.json"), json);
        box.WriteFile(Path.Combine(".claude-code-session", $"{profile}-otel-headers.raw"), Headers);
    }

    private static void StoredToken(Sandbox box, string profile, DateTimeOffset expires) =>
        box.WriteFile(Path.Combine(".claude-code-session", $"{profile}-monitoring.json"),
            $"{{\"token\":\"{Jwt(expires, "stored")}\",\"expires\":{expires.ToUnixTimeSeconds()},\"email\":\"alice@example.com\",\"profile\":\"{profile}\"}}");

    /// <summary>An unsigned id token (otel-helper only reads its claims) whose subject tells where it came from.</summary>
    private static string Jwt(DateTimeOffset expires, string source)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Part("{\"alg\":\"none\"}") + "." +
               Part($"{{\"exp\":{expires.ToUnixTimeSeconds()},\"sub\":\"{source}\",\"email\":\"{source}@example.com\",\"team\":\"platform\"}}") + ".sig";
    }

    private static void InstallCollector(Sandbox box, string script)
    {
        box.WriteExecutable(Path.Combine("claude-code-with-bedrock", "otelcol"), script);
        box.WriteFile(Path.Combine("claude-code-with-bedrock", "collector-config.yaml"), "receivers:\n  otlp: {}\n");
    }

    /// <summary>The collector as otel-helper-full starts it (<c>otelcol --config …</c>), recorded in the pid file.</summary>
    private static void StartCollector(Sandbox box)
    {
        var start = new ProcessStartInfo(box.HomePath("claude-code-with-bedrock", "otelcol"))
        {
            UseShellExecute = false, RedirectStandardInput = true,
        };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(box.HomePath("claude-code-with-bedrock", "collector-config.yaml"));
        using var process = Process.Start(start)!;
        box.WriteFile(Path.Combine("claude-code-with-bedrock", "collector.pid"), process.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Ends a collector recorded in the pid file that runs from this sandbox (the test's, or one a run started).</summary>
    private static void StopCollector(Sandbox box)
    {
        var pidFile = box.HomePath("claude-code-with-bedrock", "collector.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid)) return;
        try
        {
            if (!File.ReadAllText($"/proc/{pid}/cmdline").Contains(box.Home, StringComparison.Ordinal)) return;
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            // Already gone, or not a Linux /proc.
        }
    }

    /// <summary>Ends a collector a run started (one the seeding started stays for the next run).</summary>
    private static void StopCollectorStartedBy(Sandbox box, Dictionary<string, (byte[] Content, UnixFileMode Mode)> seeded)
    {
        var pidFile = Path.Combine("claude-code-with-bedrock", "collector.pid");
        if (seeded.TryGetValue(pidFile, out var recorded) && File.Exists(box.HomePath(pidFile))
            && File.ReadAllBytes(box.HomePath(pidFile)).AsSpan().SequenceEqual(recorded.Content)) return;
        StopCollector(box);
    }

    /// <summary>The result with the times of log lines blanked (the two runs may straddle a second).</summary>
    private static string Normalized(Run.Result result) => LogTime().Replace(result.ToString(), "<time>");

    /// <summary>
    /// Every folder and file under HOME with its content; the times a cache entry was written and the pid of a
    /// collector a run started are blanked.
    /// </summary>
    private static SortedDictionary<string, string> Tree(string home) => HomeFiles.Describe(home, (relative, content) =>
        Path.GetFileName(relative) == "collector.pid" ? "<pid>" : CacheTime().Replace(content, "\"$1\":N"));

    [GeneratedRegex("\"(cached_at|token_exp)\":[0-9]+")]
    private static partial Regex CacheTime();

    [GeneratedRegex("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} ")]
    private static partial Regex LogTime();
}
