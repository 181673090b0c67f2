using System.Globalization;
using System.Text;
using Ccwb.Contract.Install;

namespace Ccwb.Credentials.Otel;

/// <summary>
/// Whether a sidecar-mode install's local collector is installed and whether the process recorded for it is running:
/// otel-helper-full (re)starts the collector when it is not, and the otel-helper front answers only when no start can
/// be due.
/// </summary>
public static class SidecarCollectorState
{
    /// <summary>Upstream's pid file, which its wrapper scripts also read: the pid alone, in decimal.</summary>
    public static string PidFile(string home) => Path.Combine(InstallLocations.UserFolder(home), "collector.pid");

    /// <summary>
    /// The collector program and its configuration, when both are installed (beside this program, else in
    /// <c>~/claude-code-with-bedrock</c>).
    /// </summary>
    public static (string Program, string Config)? Installed(string home)
    {
        var name = InstallLocations.ProgramFileName(SidecarCollector.ProgramName);
        foreach (var directory in InstallLocations.SiblingFolders(home))
        {
            var program = Path.Combine(directory, name);
            var config = Path.Combine(directory, SidecarCollector.ConfigFileName);
            if (File.Exists(program) && File.Exists(config)) return (program, config);
        }
        return null;
    }

    /// <summary>Whether the pid file names a process that <paramref name="processRuns"/> says is running <paramref name="program"/>.</summary>
    public static bool RecordedCollectorRuns(string home, string program, Func<int, string, bool> processRuns)
    {
        string text;
        try
        {
            text = File.ReadAllText(PidFile(home));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && processRuns(pid, program);
    }

    /// <summary>
    /// Linux: whether <paramref name="pid"/> is a live process running <paramref name="program"/>, read from
    /// /proc/&lt;pid&gt;/cmdline: <c>&lt;program&gt; --config …</c>, after the interpreter's when otelcol is a script;
    /// a zombie has none.
    /// </summary>
    public static bool LinuxProcessRuns(int pid, string program)
    {
        byte[] arguments;
        try
        {
            arguments = File.ReadAllBytes("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        var list = Encoding.UTF8.GetString(arguments).Split('\0');
        for (var i = 0; i + 1 < list.Length; i++)
            if (list[i] == program && list[i + 1] == "--config") return true;
        return false;
    }
}
