namespace Ccwb.Credentials.Oidc;

/// <summary>
/// Whether a browser can be opened on this computer: <c>$BROWSER</c> set → yes; an SSH session → no; Windows and
/// macOS → yes; otherwise only with a display (<c>DISPLAY</c> or <c>WAYLAND_DISPLAY</c>).
/// </summary>
public static class HeadlessSession
{
    private static readonly string[] SshVariables = ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"];

    public static bool IsHeadless(Func<string, string?> environment, bool isWindowsOrMac)
    {
        if (!string.IsNullOrEmpty(environment("BROWSER"))) return false;
        if (SshVariables.Any(v => !string.IsNullOrEmpty(environment(v)))) return true;
        if (isWindowsOrMac) return false;
        return string.IsNullOrEmpty(environment("DISPLAY")) && string.IsNullOrEmpty(environment("WAYLAND_DISPLAY"));
    }

    public static bool IsHeadless(Func<string, string?> environment) =>
        IsHeadless(environment, OperatingSystem.IsWindows() || OperatingSystem.IsMacOS());
}
