namespace Ccwb.Contract.Install;

/// <summary>
/// Where each installer puts the shipped programs (with config.json beside them) and Claude Code's managed settings,
/// per OS, so tools that look for an installation (<c>ccwb doctor</c>) search the places the installers write:
/// <list type="bullet">
/// <item>install.sh / install.bat and the per-user MSI: <c>~/claude-code-with-bedrock</c>.</item>
/// <item>the deb: <c>/usr/lib/claude-code-with-bedrock</c>; the macOS pkg: <c>/usr/local/lib/claude-code-with-bedrock</c>;
/// the per-machine MSI: <c>Program Files\claude-code-with-bedrock</c>.</item>
/// </list>
/// </summary>
public static class InstallLocations
{
    /// <summary>The folder name every installer uses (upstream's).</summary>
    public const string FolderName = "claude-code-with-bedrock";

    /// <summary>The per-user install folder, the first place looked at.</summary>
    public static string UserFolder(string home) => Path.Combine(home, FolderName);

    /// <summary>
    /// Where a shipped program finds its siblings (config.json, credential-process, otelcol): beside itself, else in the
    /// per-user install folder.
    /// </summary>
    public static IEnumerable<string> SiblingFolders(string home)
    {
        if (Path.GetDirectoryName(Environment.ProcessPath) is { Length: > 0 } beside) yield return beside;
        yield return UserFolder(home);
    }

    /// <summary>The program folders of an installation on this OS, most specific (per-user) first.</summary>
    public static IReadOnlyList<string> ProgramFolders(string home)
    {
        if (OperatingSystem.IsWindows())
            return [UserFolder(home), Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), FolderName)];
        if (OperatingSystem.IsMacOS()) return [UserFolder(home), "/usr/local/lib/" + FolderName];
        return [UserFolder(home), "/usr/lib/" + FolderName];
    }

    /// <summary>The file name of a shipped program once installed (<c>.exe</c> on Windows).</summary>
    public static string ProgramFileName(string program) => OperatingSystem.IsWindows() ? program + ".exe" : program;

    /// <summary>Claude Code's user settings, which install.sh / install.bat and the per-user installers merge into.</summary>
    public static string UserClaudeSettings(string home) => Path.Combine(home, ".claude", "settings.json");

    /// <summary>Claude Code's machine-wide settings, where the system packages and <c>settings_target: managed</c> write.</summary>
    public static string ManagedClaudeSettings()
    {
        if (OperatingSystem.IsWindows()) return @"C:\Program Files\ClaudeCode\managed-settings.json";
        if (OperatingSystem.IsMacOS()) return "/Library/Application Support/ClaudeCode/managed-settings.json";
        return "/etc/claude-code/managed-settings.json";
    }
}
