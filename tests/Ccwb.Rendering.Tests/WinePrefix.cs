using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// One throw-away wine prefix for the whole test class (creating one takes tens of seconds): the real regedit
/// imports our .reg files and the real reg.exe reads them back.
/// </summary>
public sealed class WinePrefix : IDisposable
{
    private readonly TempDirectory _directory = new("ccwb-rendering-wine");

    public WinePrefix()
    {
        Environment = new Dictionary<string, string?>
        {
            ["WINEPREFIX"] = _directory.Combine("prefix"),
            ["WINEDEBUG"] = "-all",
            ["WINEDLLOVERRIDES"] = "mscoree,mshtml=",
            ["DISPLAY"] = null,
        };
        var boot = Run("wineboot", "-i");
        if (boot.ExitCode != 0)
        {
            _directory.Dispose();
            throw new InvalidOperationException("wineboot failed: " + boot);
        }
        // A persistent server keeps each later command fast (no server start-up); Dispose stops it.
        ExternalTool.Run("/bin/sh", ["-c", "\"$0\" -p >/dev/null 2>&1", WineServer], _directory.Path, Environment);
    }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public static string Wine => File.Exists("/usr/lib/wine/wine64") ? "/usr/lib/wine/wine64" : "wine";

    private static string WineServer => Path.Combine(Path.GetDirectoryName(Wine)!, "wineserver");

    /// <summary>
    /// Runs a Windows program. Output goes through files, not pipes: wine's helper processes outlive the command and
    /// would hold a pipe open until the server exits.
    /// </summary>
    public ExternalTool.Result Run(params string[] arguments)
    {
        var stdout = _directory.Combine("stdout.txt");
        var stderr = _directory.Combine("stderr.txt");
        var run = ExternalTool.Run("/bin/sh", ["-c", "\"$0\" \"$@\" >\"$CCWB_OUT\" 2>\"$CCWB_ERR\"", Wine, .. arguments],
            _directory.Path, new Dictionary<string, string?>(Environment) { ["CCWB_OUT"] = stdout, ["CCWB_ERR"] = stderr },
            timeoutSeconds: 300);
        return run with { StdOut = File.ReadAllText(stdout), StdErr = File.ReadAllText(stderr) };
    }

    /// <summary>A file's path as Windows programs in the prefix see it (Z: maps the Unix root).</summary>
    public static string WindowsPath(string unixPath) => "Z:" + unixPath.Replace('/', '\\');

    public string Combine(string name) => _directory.Combine(name);

    public void Dispose()
    {
        ExternalTool.Run("/bin/sh", ["-c", "\"$0\" -k >/dev/null 2>&1; \"$0\" -w >/dev/null 2>&1", WineServer], _directory.Path, Environment);
        _directory.Dispose();
    }
}
