using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Packaging.Windows;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>The MSIs of a real build: their tables (msiinfo), and msiexec installing them under wine.</summary>
public class MsiPackageTests(PackageFixture package)
{
    private const string PerUser = "claude-code-with-bedrock-1.0.0-win-x64.msi";
    private const string PerMachine = "claude-code-with-bedrock-1.0.0-win-x64-machine.msi";
    private const string ArmPerUser = "claude-code-with-bedrock-1.0.0-win-arm64.msi";
    private const string NextPerUser = "claude-code-with-bedrock-1.0.1-win-x64.msi";
    private const string NextPerMachine = "claude-code-with-bedrock-1.0.1-win-x64-machine.msi";

    private static readonly string[] SnapshotTables =
        ["Property", "Directory", "Component", "File", "Registry", "CustomAction", "Upgrade", "InstallExecuteSequence"];

    [Theory]
    [InlineData(PerUser)]
    [InlineData(PerMachine)]
    [InlineData(ArmPerUser)]
    public void Tables(string msi)
    {
        Snapshot.Verify(MsiListing.Describe(package.Installer(msi), SnapshotTables), "txt", msi);
    }

    [Fact]
    public void Upgrade_code_is_stable_across_versions_and_product_code_changes()
    {
        string Property(string msi, string name) => MsiListing.Rows(msi, "Property")
            .Single(r => r[0] == name)[1];
        var current = package.Installer(PerUser);
        var next = package.NextInstaller(NextPerUser);
        Assert.Equal(Property(current, "UpgradeCode"), Property(next, "UpgradeCode"));
        Assert.NotEqual(Property(current, "ProductCode"), Property(next, "ProductCode"));
        Assert.NotEqual(Property(current, "UpgradeCode"), Property(package.Installer(PerMachine), "UpgradeCode"));
    }

    [Fact]
    public void The_next_per_machine_version_raises_the_active_setup_version_of_the_same_key()
    {
        string[] ActiveSetupVersion(string msi) => MsiListing.Rows(msi, "Registry")
            .Single(r => r[2].StartsWith(@"Software\Microsoft\Active Setup\Installed Components\", StringComparison.Ordinal) && r[3] == "Version");
        var current = ActiveSetupVersion(package.Installer(PerMachine));
        var next = ActiveSetupVersion(package.NextInstaller(NextPerMachine));
        Assert.Equal(current[2], next[2]);
        Assert.Equal("1,0,0", current[4]);
        Assert.Equal("1,0,1", next[4]);
    }

    // A user's own files before the installation: other keys and sections, CRLF, a comment, no final newline.
    private const string UsersSettings = "{\r\n  \"model\": \"opus\",\r\n  \"includeCoAuthoredBy\": true,\r\n  \"env\": {\r\n    \"FOO\": \"bar\"\r\n  }\r\n}\r\n";
    private const string UsersAwsConfig = "# mine\r\n[default]\r\nregion=eu-west-1\r\n\r\n[profile other]\r\nregion = eu-west-2";

    [Fact]
    public void Per_user_msi_merges_settings_and_profile_runs_upgrades_and_uninstall_restores_the_users_files()
    {
        using var wine = new WinePrefix();
        var home = wine.UserProfile;
        var installDir = Path.Combine(home, "claude-code-with-bedrock");
        var settingsPath = Path.Combine(home, ".claude", "settings.json");
        var awsConfig = Path.Combine(home, ".aws", "config");
        WriteUserFile(settingsPath, UsersSettings);
        WriteUserFile(awsConfig, UsersAwsConfig);
        var profileName = package.Manifest.Profile;
        var helper = $@"C:\users\{Environment.UserName}\claude-code-with-bedrock\credential-process.exe";

        var install = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.Installer(PerUser)), "/qn");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(File.Exists(Path.Combine(installDir, "credential-process.exe")));
        Assert.Equal(File.ReadAllBytes(package.RenderedFile("config.json")), File.ReadAllBytes(Path.Combine(installDir, "config.json")));

        // settings.json: the package's keys merged in with the installed path; the user's other keys kept.
        var settings = JsonNode.Parse(File.ReadAllText(settingsPath))!.AsObject();
        var rendered = JsonNode.Parse(File.ReadAllText(package.RenderedFile("claude-settings/settings.json")))!.AsObject();
        Assert.Equal("opus", (string?)settings["model"]);
        Assert.Equal("bar", (string?)settings["env"]!["FOO"]);
        foreach (var (key, value) in rendered["env"]!.AsObject())
            Assert.Equal(((string?)value)!.Replace("__CREDENTIAL_PROCESS_PATH__", helper.Replace('\\', '/'), StringComparison.Ordinal), (string?)settings["env"]![key]);
        Assert.Equal($"{helper.Replace('\\', '/')} --profile {profileName}", (string?)settings["env"]!["AWS_CREDENTIAL_PROCESS"]);
        Assert.Equal((bool?)rendered["includeCoAuthoredBy"], (bool?)settings["includeCoAuthoredBy"]);
        Assert.DoesNotContain("_PATH__", File.ReadAllText(settingsPath), StringComparison.Ordinal);

        // ~/.aws/config: every byte of the user's file, then the profile after a blank line.
        Assert.Equal(UsersAwsConfig + $"\r\n\r\n[profile {profileName}]\r\nregion = us-east-1\r\ncredential_process = \"{helper}\" --profile {profileName}\r\n",
            File.ReadAllText(awsConfig));

        var version = wine.Exec(Path.Combine(installDir, "credential-process.exe"), "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal($"credential-process {PackageFixture.Version} ({package.Manifest.Commit})", version.Output.Trim());
        CachedCredentials.Seed(home, profileName, "\r\n");
        CachedCredentials.AssertPrinted(wine.Exec(Path.Combine(installDir, "credential-process.exe"), "--profile", profileName));
        CachedCredentials.AssertDesktopToken(() => wine.Exec(Path.Combine(installDir, "credential-process.exe"), "--desktop", "--profile", profileName));
        CachedCredentials.SeedOtelHeaders(home, profileName);
        CachedCredentials.AssertOtelHeaders(wine.Exec(Path.Combine(installDir, "otel-helper.exe"), "--profile", profileName));

        var upgrade = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.NextInstaller(NextPerUser)), "/qn");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal(["1.0.1"], InstalledProducts(wine));
        Assert.True(File.Exists(Path.Combine(installDir, "credential-process.exe")));
        Assert.Single(File.ReadAllLines(awsConfig), l => l == $"[profile {profileName}]");
        var upgraded = JsonNode.Parse(File.ReadAllText(settingsPath))!;
        Assert.Equal("opus", (string?)upgraded["model"]);
        Assert.Equal(profileName, (string?)upgraded["env"]!["AWS_PROFILE"]);

        var uninstall = wine.Exec("msiexec", "/x", WinePrefix.WindowsPath(package.NextInstaller(NextPerUser)), "/qn");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(Directory.Exists(installDir));
        Assert.Empty(InstalledProducts(wine));
        Assert.Equal(UsersAwsConfig, File.ReadAllText(awsConfig));
        // The settings are rewritten by a JSON writer: their content and line endings are the user's again.
        var restored = File.ReadAllText(settingsPath);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(UsersSettings), JsonNode.Parse(restored)), restored);
        Assert.DoesNotContain("\n", restored.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home, "AppData", "Local", "claude-code-with-bedrock")));
    }

    [Fact]
    public void Per_user_msi_sets_its_keys_in_a_present_profile_section_and_uninstall_restores_it_and_deletes_only_the_files_it_created()
    {
        using var wine = new WinePrefix();
        var home = wine.UserProfile;
        var awsConfig = Path.Combine(home, ".aws", "config");
        var profileName = package.Manifest.Profile;
        var present = $"[profile {profileName}]\nregion = ap-southeast-2\ncredential_process = C:/elsewhere/helper.exe\n";
        WriteUserFile(awsConfig, present);

        var install = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.Installer(PerUser)), "/qn");
        Assert.True(install.ExitCode == 0, install.ToString());
        // The keys the package owns are set in place, as `aws configure set` would; the rest of the file is kept.
        var installed = File.ReadAllText(awsConfig);
        Assert.StartsWith($"[profile {profileName}]\nregion = ", installed, StringComparison.Ordinal);
        Assert.DoesNotContain("C:/elsewhere/helper.exe", installed, StringComparison.Ordinal);
        Assert.Contains($"credential-process.exe\" --profile {profileName}\n", installed, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(home, ".claude", "settings.json")));

        var uninstall = wine.Exec("msiexec", "/x", WinePrefix.WindowsPath(package.Installer(PerUser)), "/qn");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Equal(present, File.ReadAllText(awsConfig));
        Assert.False(File.Exists(Path.Combine(home, ".claude", "settings.json")), "the settings file the installation created is gone");
    }

    [Fact]
    public void Per_user_msi_refuses_a_corrupt_settings_json_leaves_it_untouched_and_rolls_back()
    {
        using var wine = new WinePrefix();
        var home = wine.UserProfile;
        var settingsPath = Path.Combine(home, ".claude", "settings.json");
        var awsConfig = Path.Combine(home, ".aws", "config");
        const string corrupt = "{ \"model\": \"opus\", ";
        WriteUserFile(settingsPath, corrupt);
        WriteUserFile(awsConfig, UsersAwsConfig);

        var install = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.Installer(PerUser)), "/qn");

        // Windows reports 1603; wine passes on the action's 1627 (function failed), which a Unix exit status truncates.
        Assert.True(install.ExitCode != 0, install.ToString());
        Assert.Equal(corrupt, File.ReadAllText(settingsPath));
        Assert.Equal(UsersAwsConfig, File.ReadAllText(awsConfig));
        Assert.False(File.Exists(Path.Combine(home, "claude-code-with-bedrock", "credential-process.exe")), "the installation is rolled back");
        Assert.Empty(InstalledProducts(wine));
        var log = File.ReadAllText(Path.Combine(home, "AppData", "Local", "claude-code-with-bedrock", "user-setup.log"));
        Assert.Contains($@"install failed: C:\users\{Environment.UserName}\.claude\settings.json is not valid JSON (line 1, byte 20)", log, StringComparison.Ordinal);
        Assert.Contains("it was left unchanged. Fix or remove it, then run the installation again.", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_machine_msi_writes_managed_settings_and_an_active_setup_entry_that_gives_each_user_the_profile()
    {
        using var wine = new WinePrefix();
        var awsConfig = Path.Combine(wine.UserProfile, ".aws", "config");
        WriteUserFile(awsConfig, UsersAwsConfig);
        var install = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.Installer(PerMachine)), "/qn");
        Assert.True(install.ExitCode == 0, install.ToString());
        var programFiles = Path.Combine(wine.Environment["WINEPREFIX"]!, "drive_c", "Program Files");
        Assert.True(File.Exists(Path.Combine(programFiles, "claude-code-with-bedrock", "credential-process.exe")));
        var managed = File.ReadAllText(Path.Combine(programFiles, "ClaudeCode", "managed-settings.json"));
        Assert.Contains($"{MsiBuilder.ProgramFilesInstallDir}/credential-process.exe", managed, StringComparison.Ordinal);
        Assert.DoesNotContain("__CREDENTIAL_PROCESS_PATH__", managed, StringComparison.Ordinal);
        Assert.Equal(UsersAwsConfig, File.ReadAllText(awsConfig)); // nothing per user until Active Setup runs

        var key = $@"HKLM\Software\Microsoft\Active Setup\Installed Components\{StableGuid.Msi("claude-code-with-bedrock/perMachine/win-x64/active-setup")}";
        Assert.Equal("1,0,0", RegistryValue(wine, key, "Version"));
        Assert.Equal("0x1", RegistryValue(wine, key, "IsInstalled"));
        var stubPath = RegistryValue(wine, key, "StubPath");
        var profileName = package.Manifest.Profile;
        const string helper = @"C:\Program Files\claude-code-with-bedrock\credential-process.exe";
        Assert.Equal($"\"C:\\Program Files\\claude-code-with-bedrock\\ccwb-user-setup.exe\" install --profile {profileName}=us-east-1", stubPath);

        // What Windows does at the user's next logon: run StubPath as that user.
        var stub = wine.Exec(SplitCommandLine(stubPath));
        Assert.True(stub.ExitCode == 0, stub.ToString());
        Assert.Equal(UsersAwsConfig + $"\r\n\r\n[profile {profileName}]\r\nregion = us-east-1\r\ncredential_process = \"{helper}\" --profile {profileName}\r\n",
            File.ReadAllText(awsConfig));
        Assert.False(File.Exists(Path.Combine(wine.UserProfile, ".claude", "settings.json")), "per-machine installs use the managed settings");

        var uninstall = wine.Exec("msiexec", "/x", WinePrefix.WindowsPath(package.Installer(PerMachine)), "/qn");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(Path.Combine(programFiles, "ClaudeCode", "managed-settings.json")));
        Assert.False(File.Exists(Path.Combine(programFiles, "claude-code-with-bedrock", "credential-process.exe")));
        Assert.NotEqual(0, wine.Exec("reg", "query", key).ExitCode);
    }

    [Fact]
    public void Win_x64_binary_runs_under_wine()
    {
        using var wine = new WinePrefix();
        var result = wine.Exec(package.PathOf("bin/win-x64/credential-process.exe"), "--version");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"credential-process {PackageFixture.Version} ({package.Manifest.Commit})", result.Output.Trim());

        // config.json where upstream's install.bat puts it, the session cache in the wine user's profile.
        var installDir = Path.Combine(wine.UserProfile, "claude-code-with-bedrock");
        Directory.CreateDirectory(installDir);
        File.Copy(package.RenderedFile("config.json"), Path.Combine(installDir, "config.json"));
        CachedCredentials.Seed(wine.UserProfile, package.Manifest.Profile, "\r\n");
        CachedCredentials.AssertPrinted(wine.Exec(package.PathOf("bin/win-x64/credential-process.exe"), "--profile", package.Manifest.Profile));
    }

    private static void WriteUserFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>One value of a registry key, as reg.exe prints it ("    Name    REG_SZ    data").</summary>
    private static string RegistryValue(WinePrefix wine, string key, string name)
    {
        var query = wine.Exec("reg", "query", key, "/v", name);
        Assert.True(query.ExitCode == 0, query.ToString());
        var line = query.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line.Split("    ", 3, StringSplitOptions.None)[2].TrimEnd('\r');
    }

    /// <summary>A command line split as CreateProcess does for ours: a quoted program, then space-separated arguments.</summary>
    private static string[] SplitCommandLine(string commandLine)
    {
        Assert.StartsWith("\"", commandLine, StringComparison.Ordinal);
        var close = commandLine.IndexOf('"', 1);
        return [commandLine[1..close], .. commandLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>Versions of our products registered with Windows Installer (the uninstall entries msiexec writes).</summary>

    private static List<string> InstalledProducts(WinePrefix wine)
    {
        var query = wine.Exec("reg", "query", @"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall", "/s");
        var query2 = wine.Exec("reg", "query", @"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall", "/s");
        var versions = new List<string>();
        string? name = null;
        foreach (var line in (query.Output + "\n" + query2.Output).Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("HKEY_", StringComparison.Ordinal)) name = null;
            if (line.StartsWith("DisplayName", StringComparison.Ordinal)) name = line;
            if (line.StartsWith("DisplayVersion", StringComparison.Ordinal) && name is not null &&
                name.Contains("Claude Code with Amazon Bedrock", StringComparison.Ordinal))
                versions.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last());
        }
        return versions;
    }
}

/// <summary>MSI tables as text through msiinfo, with values that vary with other components' bytes masked.</summary>
internal static class MsiListing
{
    public static string Describe(string msi, IEnumerable<string> tables)
    {
        var present = Run.Checked("msiinfo", "tables", msi).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            text.Append("== ").Append(table).Append('\n');
            if (!present.Contains(table)) { text.Append("(absent)\n"); continue; }
            var rows = Rows(msi, table);
            foreach (var row in rows.Order(Comparer<string[]>.Create((a, b) => string.CompareOrdinal(string.Join('\t', a), string.Join('\t', b)))))
            {
                if (table == "File") row[3] = "<size>"; // FileSize: the helper's and the rendered files' sizes
                text.Append(string.Join(" | ", row)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The rows of a table (msiinfo export without its three header lines).</summary>
    public static List<string[]> Rows(string msi, string table) =>
        Run.Checked("msiinfo", "export", msi, table).Output.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(3).Select(l => l.Split('\t')).ToList();
}
