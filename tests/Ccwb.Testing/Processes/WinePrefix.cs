namespace Ccwb.Testing.Processes;

/// <summary>
/// A fresh, throw-away wine prefix in which the real Windows programs (regedit, reg.exe, msiexec) run. Creating one
/// takes tens of seconds, so a test class usually shares one through a fixture.
/// </summary>
public sealed class WinePrefix : IDisposable
{
    private readonly TempDirectory _directory = new("ccwb-wine");

    /// <summary>A prefix without Mono and Gecko, so no install prompt appears (what native Windows tools need).</summary>
    public WinePrefix() : this("mscoree,mshtml=")
    {
    }

    private WinePrefix(string dllOverrides)
    {
        Environment = new Dictionary<string, string?>
        {
            ["WINEPREFIX"] = _directory.Combine("prefix"),
            ["WINEDEBUG"] = "-all",
            ["WINEDLLOVERRIDES"] = dllOverrides,
            ["DISPLAY"] = null,
        };
        // wineboot now and then fails to load kernel32.dll in a fresh prefix on a loaded machine (status c0000135,
        // exit 53) while other wine prefixes start beside it; a failed start is retried in a new prefix.
        var boot = Exec("wineboot", "-i");
        for (var attempt = 2; boot.ExitCode != 0 && attempt <= 3; attempt++)
        {
            StopServer();
            if (Directory.Exists(_directory.Combine("prefix"))) Directory.Delete(_directory.Combine("prefix"), recursive: true);
            boot = Exec("wineboot", "-i");
        }
        if (boot.ExitCode != 0)
        {
            _directory.Dispose();
            throw new InvalidOperationException("wineboot failed three times: " + boot);
        }
        // A persistent server keeps each later command fast (no server start-up); Dispose stops it.
        Run.Tool("/bin/sh", ["-c", "\"$0\" -p >/dev/null 2>&1", WineServer], _directory.Path, Environment);
    }

    /// <summary>
    /// A prefix for self-contained .NET programs built for Windows: mscoree stays enabled because .NET PE images load
    /// through it (only Gecko is disabled).
    /// </summary>
    public static WinePrefix ForDotNetPrograms() => new("mshtml=");

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public static string Wine => File.Exists("/usr/lib/wine/wine64") ? "/usr/lib/wine/wine64" : "wine";

    private static string WineServer =>
        Path.GetDirectoryName(Wine) is { Length: > 0 } directory ? Path.Combine(directory, "wineserver") : "wineserver";

    /// <summary>The wine user's %USERPROFILE% as a host path.</summary>
    public string UserProfile => Path.Combine(_directory.Combine("prefix"), "drive_c", "users", System.Environment.UserName);

    /// <summary>
    /// Runs a Windows program (or a wine tool such as wineboot). Output goes through files, not pipes: wine's helper
    /// processes outlive the command and would hold a pipe open until the server exits.
    /// </summary>
    public Run.Result Exec(params string[] arguments)
    {
        var id = Guid.NewGuid().ToString("N");
        var stdout = _directory.Combine($"stdout-{id}.txt");
        var stderr = _directory.Combine($"stderr-{id}.txt");
        try
        {
            var run = Run.Tool("/bin/sh", ["-c", "\"$0\" \"$@\" >\"$CCWB_OUT\" 2>\"$CCWB_ERR\"", Wine, .. arguments],
                _directory.Path, new Dictionary<string, string?>(Environment) { ["CCWB_OUT"] = stdout, ["CCWB_ERR"] = stderr },
                timeoutSeconds: 300);
            return run with { Output = File.ReadAllText(stdout), Error = File.ReadAllText(stderr) };
        }
        finally
        {
            File.Delete(stdout);
            File.Delete(stderr);
        }
    }

    /// <summary>A host path as Windows programs in the prefix see it (Z: maps the Unix root).</summary>
    public static string WindowsPath(string unixPath) => "Z:" + unixPath.Replace('/', '\\');

    /// <summary>A path in this prefix's scratch folder (beside, not inside, the prefix).</summary>
    public string Combine(string name) => _directory.Combine(name);

    public void Dispose()
    {
        StopServer();
        _directory.Dispose();
    }

    /// <summary>-k stops this prefix's server and its helpers; -w waits until they are gone (before the folder goes).</summary>
    private void StopServer() =>
        Run.Tool("/bin/sh", ["-c", "\"$0\" -k >/dev/null 2>&1; \"$0\" -w >/dev/null 2>&1", WineServer], _directory.Path, Environment);
}
