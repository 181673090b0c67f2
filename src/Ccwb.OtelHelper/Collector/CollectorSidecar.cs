using System.Collections;
using System.Globalization;
using Ccwb.Contract.Files;
using Ccwb.Contract.Install;
using Ccwb.Credentials.Otel;
using Ccwb.Credentials.Storage;

namespace Ccwb.OtelHelper.Collector;

/// <summary>
/// Keeps the local OpenTelemetry Collector of a sidecar-mode install running, as upstream's otel-helper does before
/// answering: when <c>otelcol</c> and <c>collector-config.yaml</c> are installed (beside this program, else in
/// <c>~/claude-code-with-bedrock</c>) and the process recorded in <c>~/claude-code-with-bedrock/collector.pid</c> is
/// not that collector, starts <c>otelcol --config &lt;collector-config.yaml&gt;</c> detached under the AWS profile
/// <c>&lt;profile&gt;-collector</c>, output appended to <c>~/.claude-code-session/collector.log</c> and
/// <c>collector.err</c>, and records its pid. The rendered configuration is the collector's only setting.
/// </summary>
internal sealed class CollectorSidecar(string profile, SessionPaths paths, Action<string> log)
{
    private string PidFile => SidecarCollectorState.PidFile(paths.Home);

    /// <summary>Never throws and never waits for another otel-helper: Claude Code must get its headers regardless.</summary>
    public void EnsureRunning()
    {
        try
        {
            if (SidecarCollectorState.Installed(paths.Home) is not { } installed) return;
            var (program, config) = installed;
            // The common case, one file read and one /proc read: the recorded collector is alive.
            if (Running(program)) return;

            // Concurrent calls: the one holding the lock starts the collector; the others go on without waiting.
            using var held = TryLock();
            if (held is null)
            {
                log("another otel-helper is starting the collector");
                return;
            }
            if (Running(program)) return;
            AtomicFile.CreatePrivateDirectory(paths.SessionDirectory);
            var pid = CollectorProcess.StartDetached(program, ["--config", config], CollectorEnvironment(),
                Path.Combine(paths.SessionDirectory, "collector.log"), Path.Combine(paths.SessionDirectory, "collector.err"));
            AtomicFile.WriteAllText(PidFile, pid.ToString(CultureInfo.InvariantCulture));
            log($"started the collector sidecar (pid {pid})");
        }
        catch (Exception e)
        {
            // Whatever went wrong, telemetry waits for the next call to retry; the headers still go out.
            log($"warning: collector: {e.Message}");
        }
    }

    private bool Running(string program) => SidecarCollectorState.RecordedCollectorRuns(paths.Home, program, CollectorProcess.IsRunning);

    // An exclusive open of a lock file beside the pid file: an advisory flock on Unix, a share lock on Windows; both end
    // with the process, so a crashed otel-helper never leaves it held.
    private FileStream? TryLock()
    {
        var lockFile = Path.Combine(Path.GetDirectoryName(PidFile)!, ".collector.pid.lock");
        AtomicFile.CreatePrivateDirectory(Path.GetDirectoryName(lockFile)!);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.OwnerReadWrite;
        try
        {
            return new FileStream(lockFile, options);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// This program's environment with the collector's own AWS profile, whose credential_process is credential-process
    /// (a static key section of the main profile in ~/.aws/credentials would shadow it and never refresh).
    /// </summary>
    private List<string> CollectorEnvironment()
    {
        var variables = new List<string>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name is "AWS_PROFILE" or "AWS_SDK_LOAD_CONFIG") continue;
            variables.Add($"{name}={variable.Value}");
        }
        variables.Add("AWS_PROFILE=" + SidecarCollector.AwsProfile(profile));
        variables.Add("AWS_SDK_LOAD_CONFIG=1");
        return variables;
    }
}
