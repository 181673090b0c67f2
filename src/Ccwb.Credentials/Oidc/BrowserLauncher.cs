using System.Diagnostics;
using Ccwb.Http;

namespace Ccwb.Credentials.Oidc;

/// <summary>
/// Opens the sign-in URL: <c>$BROWSER &lt;url&gt;</c> when set (WSL, tests), else the desktop's default browser.
/// The browser's output never reaches stdout, which carries only the credential JSON.
/// </summary>
public static class BrowserLauncher
{
    public static bool TryOpen(string url, Action<string> warn) => TryOpen(url, Environment.GetEnvironmentVariable("BROWSER"), warn);

    internal static bool TryOpen(string url, string? browser, Action<string> warn)
    {
        try
        {
            var start = StartInfo(url, browser);
            var program = start.FileName == "/bin/sh" ? start.ArgumentList[2] : start.FileName;
            if (!IsRunnable(program)) throw new InvalidOperationException($"{program} not found");
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            if (e is InvalidOperationException { Source: "BROWSER" }) warn(e.Message + ".");
            // The URL holds text from outside (a discovery document, IAM Identity Center): cleaned, never shortened.
            warn($"Could not open browser. Visit: {TerminalText.Clean(url, url.Length)}");
            return false;
        }
    }

    private static bool IsRunnable(string program)
    {
        if (OperatingSystem.IsWindows()) return true;
        if (program.Contains('/', StringComparison.Ordinal)) return File.Exists(program);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, program)));
    }

    internal static ProcessStartInfo StartInfo(string url, string? browserVariable) =>
        StartInfo(url, browserVariable, OperatingSystem.IsWindows(), Environment.GetFolderPath(Environment.SpecialFolder.System));

    /// <remarks>
    /// On Windows a program named without a full path is looked up in the current directory first, so a
    /// <c>rundll32.exe</c> or a <c>$BROWSER</c> planted there would run instead: rundll32 is started from System32 by
    /// its full path, and a relative <c>$BROWSER</c> is refused.
    /// </remarks>
    internal static ProcessStartInfo StartInfo(string url, string? browserVariable, bool windows, string systemDirectory)
    {
        if (!string.IsNullOrWhiteSpace(browserVariable))
        {
            var browser = browserVariable.Trim();
            if (windows && !IsFullWindowsPath(browser))
                throw new InvalidOperationException($"BROWSER '{TerminalText.Clean(browser, 200)}' is not a full path (such as C:\\Program Files\\…\\browser.exe); on Windows it is not run") { Source = "BROWSER" };
            return windows ? Windowless(browser, url) : Detached(browser, url);
        }
        if (windows) return Windowless(systemDirectory.TrimEnd('\\', '/') + "\\rundll32.exe", "url.dll,FileProtocolHandler", url);
        return Detached(OperatingSystem.IsMacOS() ? "open" : "xdg-open", url);
    }

    private static bool IsFullWindowsPath(string path) =>
        (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/') || path.StartsWith(@"\\", StringComparison.Ordinal);

    private static ProcessStartInfo Windowless(string program, params string[] arguments) =>
        new(program, arguments) { UseShellExecute = false, CreateNoWindow = true };

    // Through sh so the browser gets /dev/null for its standard streams: an inherited stdout would mix browser output
    // into the credential JSON and keep the caller's pipe open for as long as the browser runs.
    private static ProcessStartInfo Detached(string program, string url) =>
        new("/bin/sh", ["-c", "exec \"$0\" \"$1\" </dev/null >/dev/null 2>&1", program, url]) { UseShellExecute = false };
}
