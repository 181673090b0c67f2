using Ccwb.Contract.Files;
using Ccwb.Contract.Install;

namespace Ccwb.UserSetup;

/// <summary>
/// The files of one user that the setup reads and writes, and the user's home folder (written into the Claude Desktop
/// policy file, <c>--cowork-reg</c>).
/// </summary>
public sealed record UserPaths(string Home, string Settings, string AwsConfig, string Record, string Log)
{
    /// <summary>
    /// Claude Code's user settings, the AWS config file (AWS_CONFIG_FILE as the AWS CLI honours it) and this package's
    /// record and log under the user's local application data (not the install folder: per-machine installs put that in
    /// Program Files, which users cannot write).
    /// </summary>
    public static UserPaths ForCurrentUser()
    {
        // DoNotVerify: a folder not made yet is still named (by default an absent one reads as "", which made the state
        // files relative to wherever the program was started).
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        var awsConfig = AwsIniFile.ConfigPath(Environment.GetEnvironmentVariable, home);
        var state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), InstallLocations.FolderName);
        return new UserPaths(
            home,
            InstallLocations.UserClaudeSettings(home),
            awsConfig,
            Path.Combine(state, "user-setup.json"),
            Path.Combine(state, "user-setup.log"));
    }
}
