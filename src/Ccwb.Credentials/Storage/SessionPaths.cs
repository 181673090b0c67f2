namespace Ccwb.Credentials.Storage;

/// <summary>Where the per-user files live, all under the user's home folder.</summary>
public sealed class SessionPaths(string home)
{
    public string Home { get; } = home;
    public string AwsCredentials => Path.Combine(Home, ".aws", "credentials");
    public string SessionDirectory => Path.Combine(Home, ".claude-code-session");
    public string MonitoringToken(string profile) => Path.Combine(SessionDirectory, $"{profile}-monitoring.json");
    public string RefreshToken(string profile) => Path.Combine(SessionDirectory, $"{profile}-refresh.json");
    public string DesktopToken(string profile) => Path.Combine(SessionDirectory, $"{profile}-desktop-token");
    public string FailedSignIn(string profile) => Path.Combine(SessionDirectory, $"{profile}-sign-in-failed.json");

    /// <summary><c>$HOME</c> on Unix, <c>%USERPROFILE%</c> on Windows.</summary>
    public static SessionPaths ForCurrentUser() => new(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
}
