using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>A fresh wine prefix (one per test): the real msiexec installs and removes our MSIs in it.</summary>
public sealed class WinePrefix : IDisposable
{
    private readonly TempDirectory _directory = new("ccwb-wine");

    public WinePrefix()
    {
        Environment = new Dictionary<string, string?>
        {
            ["WINEPREFIX"] = _directory.Combine("prefix"),
            ["WINEDEBUG"] = "-all",
            ["WINEDLLOVERRIDES"] = "mscoree,mshtml=",
            ["DISPLAY"] = null,
        };
        var boot = Exec("wineboot", "-i");
        if (boot.ExitCode != 0) throw new InvalidOperationException("wineboot failed: " + boot);
    }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public static string Wine => File.Exists("/usr/lib/wine/wine64") ? "/usr/lib/wine/wine64" : "wine";

    /// <summary>The wine user's %USERPROFILE% as a host path.</summary>
    public string UserProfile => Path.Combine(_directory.Combine("prefix"), "drive_c", "users", System.Environment.UserName);

    public Run.Result Exec(params string[] arguments) =>
        Run.Tool(Wine, arguments, _directory.Path, Environment, timeoutSeconds: 300);

    /// <summary>A host path as Windows programs in the prefix see it (Z: maps the Unix root).</summary>
    public static string WindowsPath(string unixPath) => "Z:" + unixPath.Replace('/', '\\');

    public void Dispose()
    {
        Run.Tool(Path.Combine(Path.GetDirectoryName(Wine) is { Length: > 0 } d ? d : "/usr/bin", "wineserver"), ["-k"], _directory.Path, Environment);
        _directory.Dispose();
    }
}
