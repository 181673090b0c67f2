using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// The sidecar collector otel-helper starts in header mode, with a stand-in <c>otelcol</c> installed where install.sh
/// puts it: a script that records its arguments and environment, writes to both output streams and runs until killed.
/// Running collectors are found through /proc by the stand-in's path; the test kills every one it started.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait(Requires.Trait, Requires.Unix)]
public sealed class CollectorSidecarTests : IDisposable
{
    private const string CachedHeaders = "{\"x-team-id\":\"platform\",\"x-user-email\":\"alice@example.com\"}";

    // One line per start in otelcol.starts ("<pid> <arguments>", one write), then the environment in otelcol.env.<pid>.
    private const string StandIn = """
        #!/bin/sh
        dir=$(dirname "$0")
        line="$$"
        for argument in "$@"; do line="$line $argument"; done
        echo "$line" >> "$dir/otelcol.starts"
        env > "$dir/otelcol.env.tmp.$$" && mv "$dir/otelcol.env.tmp.$$" "$dir/otelcol.env.$$"
        echo "collector stdout"
        echo "collector stderr" >&2
        while :; do sleep 0.2; done
        """;

    private readonly Sandbox box = new();
    private readonly List<Process> unrelated = [];

    public CollectorSidecarTests()
    {
        // What otel-helper answers whatever the collector does: cached headers (no id token, so no bearer).
        foreach (var profile in (string[])["ClaudeCode", "Team"])
            box.WriteFile($".claude-code-session/{profile}-otel-headers.json",
                $"{{\"schema_version\":2,\"headers\":{CachedHeaders},\"token_exp\":1,\"cached_at\":1}}");
    }

    private string Otelcol => box.HomePath("claude-code-with-bedrock", "otelcol");
    private string Config => box.HomePath("claude-code-with-bedrock", "collector-config.yaml");
    private string PidFile => box.HomePath("claude-code-with-bedrock", "collector.pid");

    private void Install(bool program = true, bool config = true)
    {
        if (program) box.WriteExecutable(Path.Combine("claude-code-with-bedrock", "otelcol"), StandIn);
        if (config) box.WriteFile(Path.Combine("claude-code-with-bedrock", "collector-config.yaml"), "receivers:\n  otlp: {}\n");
    }

    private Task<Run.Result> HelperAsync(params string[] args) => box.RunAsync(Sandbox.OtelHelper, args);

    /// <summary>Claude Code sees the same answer with or without a collector: the cached headers, nothing on stderr, exit 0.</summary>
    private static void AssertUnchanged(Run.Result result) =>
        Assert.Equal((0, CachedHeaders + "\n", ""), (result.ExitCode, result.Output, result.Error));

    /// <summary>
    /// Live processes running the stand-in (a killed one that is not reaped yet has no arguments left). The stand-in's
    /// shell forks for each <c>sleep</c>, and a child shows its parent's arguments until it has exec'd, so a process
    /// whose parent runs the stand-in too is that child, not a second collector.
    /// </summary>
    private List<int> Collectors()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0').Contains(Otelcol)) continue;
                // /proc/<pid>/stat: "pid (name) state ppid ...", the name in parentheses may hold spaces.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read.
            }
        }
        return [.. parents.Where(process => !parents.ContainsKey(process.Value)).Select(process => process.Key)];
    }

    private static async Task<string> WaitForFileAsync(string path, string content)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(50, TestContext.Current.CancellationToken))
            if (File.Exists(path) && File.ReadAllText(path) is var text && text.Contains(content, StringComparison.Ordinal)) return text;
        throw new TimeoutException($"{path} never contained '{content}'");
    }

    private string RecordedPid() => File.ReadAllText(PidFile);

    [Fact]
    public async Task Concurrent_calls_start_one_collector_and_record_its_pid_in_an_owner_only_file()
    {
        Install();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => HelperAsync()));

        foreach (var result in results) AssertUnchanged(result);
        var collector = Assert.Single(Collectors());
        Assert.Equal(collector.ToString(CultureInfo.InvariantCulture), RecordedPid());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PidFile));
        Assert.DoesNotContain(Directory.GetFiles(box.HomePath("claude-code-with-bedrock")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        // Later calls find it alive and leave it be.
        AssertUnchanged(await HelperAsync());
        Assert.Equal([collector], Collectors());
        var starts = await WaitForFileAsync(box.HomePath("claude-code-with-bedrock", "otelcol.starts"), "\n");
        Assert.Equal($"{collector} --config {Config}\n", starts);
    }

    [Fact]
    public async Task The_collector_gets_its_config_its_own_aws_profile_and_log_files_for_its_output()
    {
        Install();
        box.Environment["AWS_PROFILE"] = "ClaudeCode";
        box.Environment["AWS_SDK_LOAD_CONFIG"] = "0";
        box.Environment["CCWB_TEST_MARKER"] = "kept";

        AssertUnchanged(await HelperAsync("--profile", "Team"));

        var collector = Assert.Single(Collectors());
        var environment = (await WaitForFileAsync(box.HomePath("claude-code-with-bedrock", $"otelcol.env.{collector}"), "CCWB_TEST_MARKER"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The profile otel-helper serves (the flag beats AWS_PROFILE), as the <profile>-collector the installers write.
        Assert.Equal(["AWS_PROFILE=Team-collector"], environment.Where(v => v.StartsWith("AWS_PROFILE=", StringComparison.Ordinal)));
        Assert.Equal(["AWS_SDK_LOAD_CONFIG=1"], environment.Where(v => v.StartsWith("AWS_SDK_LOAD_CONFIG=", StringComparison.Ordinal)));
        Assert.Contains("CCWB_TEST_MARKER=kept", environment);
        Assert.Contains("HOME=" + box.Home, environment);
        Assert.Equal($"{collector} --config {Config}\n", File.ReadAllText(box.HomePath("claude-code-with-bedrock", "otelcol.starts")));
        var log = box.HomePath(".claude-code-session", "collector.log");
        var errors = box.HomePath(".claude-code-session", "collector.err");
        Assert.Equal("collector stdout\n", await WaitForFileAsync(log, "\n"));
        Assert.Equal("collector stderr\n", await WaitForFileAsync(errors, "\n"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(errors));
    }

    [Fact]
    public async Task A_killed_collector_is_started_again_on_the_next_call()
    {
        Install();
        AssertUnchanged(await HelperAsync());
        var first = Assert.Single(Collectors());

        Process.GetProcessById(first).Kill();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); Collectors().Contains(first) && DateTime.UtcNow < deadline;) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Empty(Collectors());
        AssertUnchanged(await HelperAsync());

        var second = Assert.Single(Collectors());
        Assert.NotEqual(first, second);
        Assert.Equal(second.ToString(CultureInfo.InvariantCulture), RecordedPid());
    }

    [Fact]
    public async Task A_stale_pid_file_naming_an_unrelated_live_process_does_not_count_as_running()
    {
        Install();
        var sleeper = Process.Start("sleep", "300");
        unrelated.Add(sleeper);
        box.WriteFile(Path.Combine("claude-code-with-bedrock", "collector.pid"), sleeper.Id.ToString(CultureInfo.InvariantCulture));

        AssertUnchanged(await HelperAsync());

        var collector = Assert.Single(Collectors());
        Assert.Equal(collector.ToString(CultureInfo.InvariantCulture), RecordedPid());
        Assert.False(sleeper.HasExited);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("not a pid")]
    [InlineData("")]
    public async Task A_pid_file_naming_no_collector_is_replaced(string content)
    {
        Install();
        box.WriteFile(Path.Combine("claude-code-with-bedrock", "collector.pid"), content);

        AssertUnchanged(await HelperAsync());

        Assert.Equal(Assert.Single(Collectors()).ToString(CultureInfo.InvariantCulture), RecordedPid());
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Without_otelcol_and_its_config_nothing_is_started_or_written(bool program, bool config)
    {
        Install(program, config);
        var before = box.Files();

        AssertUnchanged(await HelperAsync());

        Assert.Empty(Collectors());
        Assert.Equal(before, box.Files());
    }

    [Fact]
    public async Task A_collector_that_cannot_start_changes_nothing_for_claude_code_and_warns_only_when_verbose()
    {
        Install();
        File.SetUnixFileMode(Otelcol, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AssertUnchanged(await HelperAsync());
        var verbose = await HelperAsync("--verbose");

        Assert.Equal((0, CachedHeaders + "\n"), (verbose.ExitCode, verbose.Output));
        Assert.Contains($"otel-helper: warning: collector: cannot start {Otelcol}: ", verbose.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(PidFile));
        Assert.Empty(Collectors());
    }

    [Fact]
    public async Task Test_and_status_modes_start_no_collector()
    {
        Install();

        Assert.Equal(0, (await HelperAsync("--status")).ExitCode);
        Assert.Equal(0, (await HelperAsync("--test")).ExitCode);

        Assert.Empty(Collectors());
        Assert.False(File.Exists(PidFile));
    }

    public void Dispose()
    {
        foreach (var pid in Collectors())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        foreach (var process in unrelated)
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
        }
        box.Dispose();
    }
}
