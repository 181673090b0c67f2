using System.Diagnostics;

namespace Ccwb.Credentials.Oidc;

/// <summary>
/// Opens the sign-in URL: <c>$BROWSER &lt;url&gt;</c> when set (WSL, tests), else the desktop's default browser.
/// The browser's output never reaches stdout, which carries only the credential JSON.
/// </summary>
public static class BrowserLauncher
{
    public static bool TryOpen(string url, Action<string> warn)
    {
        var browser = Environment.GetEnvironmentVariable("BROWSER");
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
            warn($"Could not open browser. Visit: {url}");
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

    internal static ProcessStartInfo StartInfo(string url, string? browserVariable)
    {
        if (!string.IsNullOrWhiteSpace(browserVariable)) return Detached(browserVariable.Trim(), url);
        if (OperatingSystem.IsWindows())
            return new ProcessStartInfo("rundll32", ["url.dll,FileProtocolHandler", url]) { UseShellExecute = false, CreateNoWindow = true };
        return Detached(OperatingSystem.IsMacOS() ? "open" : "xdg-open", url);
    }

    // Through sh so the browser gets /dev/null for its standard streams: an inherited stdout would mix browser output
    // into the credential JSON and keep the caller's pipe open for as long as the browser runs.
    private static ProcessStartInfo Detached(string program, string url)
    {
        if (OperatingSystem.IsWindows()) return new ProcessStartInfo(program, [url]) { UseShellExecute = false, CreateNoWindow = true };
        return new ProcessStartInfo("/bin/sh", ["-c", "exec \"$0\" \"$1\" </dev/null >/dev/null 2>&1", program, url]) { UseShellExecute = false };
    }
}
