using System.Diagnostics;
using System.Text.RegularExpressions;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests.Support;

/// <summary>
/// A real pseudo-terminal: ccwb runs in a detached tmux session on a server of its own (<c>-L</c>, one per instance),
/// keys are sent with send-keys and the screen read with capture-pane. Every wait is for expected text, with a
/// timeout, so the tests do not depend on timing. The server is killed on dispose.
/// </summary>
internal sealed partial class TmuxTerminal : IDisposable
{
    private const string ExitMarker = "[ccwb exited ";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private readonly string socket = "ccwb-test-" + Guid.NewGuid().ToString("N")[..12];
    private string? socketPath;

    /// <summary>Starts <c>ccwb &lt;arguments&gt;</c> in <paramref name="home"/> with the environment tests give ccwb.</summary>
    public static TmuxTerminal StartCcwb(string home, IReadOnlyDictionary<string, string?>? extraEnvironment, params string[] arguments)
    {
        var environment = Ccwb.Environment(home);
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>()) environment[name] = value;
        var unset = environment.Where(e => e.Value is null).Select(e => "-u " + Quote(e.Key));
        var set = environment.Where(e => e.Value is not null).Select(e => Quote($"{e.Key}={e.Value}"));
        var command = $"env {string.Join(' ', unset)} {string.Join(' ', set)} TERM=xterm-256color dotnet {Quote(Ccwb.AssemblyPath)} " +
                      $"{string.Join(' ', arguments.Select(Quote))}; echo \"{ExitMarker}$?]\"; sleep 600";
        var terminal = new TmuxTerminal();
        terminal.Tmux("-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "150", "-c", home, "-s", "wizard", command);
        terminal.socketPath = terminal.Tmux("display-message", "-p", "#{socket_path}").Output.Trim();
        return terminal;
    }

    /// <summary>The whole screen and scroll-back, lines joined where tmux wrapped them.</summary>
    public string Screen => Tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "wizard").Output;

    /// <summary>Waits until the screen shows <paramref name="text"/> (at least <paramref name="times"/> times).</summary>
    public string WaitFor(string text, int times = 1, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = Screen;
            if (Count(screen, text) >= times) return screen;
            if (screen.Contains(ExitMarker, StringComparison.Ordinal) || deadline.Elapsed > (timeout ?? DefaultTimeout))
                throw new Xunit.Sdk.XunitException($"'{text}' did not appear (x{times}) on the terminal; it shows:\n{screen}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Waits for a prompt, then types <paramref name="text"/> and Enter.</summary>
    public void Answer(string prompt, string text, int times = 1)
    {
        WaitFor(prompt, times);
        if (text.Length > 0) Tmux("send-keys", "-t", "wizard", "-l", text);
        Tmux("send-keys", "-t", "wizard", "Enter");
    }

    /// <summary>Sends named keys (tmux key names such as C-c, Down, Enter).</summary>
    public void Keys(params string[] keys) => Tmux(["send-keys", "-t", "wizard", .. keys]);

    /// <summary>Waits for ccwb to end and returns its exit code.</summary>
    public int WaitForExit()
    {
        var screen = WaitForMarker();
        return int.Parse(ExitCode().Match(screen).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private string WaitForMarker()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = Screen;
            if (ExitCode().IsMatch(screen)) return screen;
            if (deadline.Elapsed > DefaultTimeout) throw new Xunit.Sdk.XunitException($"ccwb did not exit; the terminal shows:\n{screen}");
            Thread.Sleep(100);
        }
    }

    [GeneratedRegex(@"\[ccwb exited (\d+)\]")]
    private static partial Regex ExitCode();

    private static int Count(string screen, string text)
    {
        var count = 0;
        for (var at = screen.IndexOf(text, StringComparison.Ordinal); at >= 0; at = screen.IndexOf(text, at + text.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private Run.Result Tmux(params string[] arguments)
    {
        // TMUX unset: the tests may themselves run inside a tmux session, and this server is a separate one.
        var result = Run.Tool("/usr/bin/tmux", ["-L", socket, .. arguments], environment: new Dictionary<string, string?> { ["TMUX"] = null },
            timeoutSeconds: 30);
        if (result.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose()
    {
        try { Run.Tool("/usr/bin/tmux", ["-L", socket, "kill-server"], timeoutSeconds: 30); }
        catch (TimeoutException) { }
        // kill-server leaves the socket file behind.
        if (socketPath is { Length: > 0 }) File.Delete(socketPath);
    }
}
