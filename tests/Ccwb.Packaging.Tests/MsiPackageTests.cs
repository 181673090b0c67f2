using System.Text;
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

    private static readonly string[] SnapshotTables =
        ["Property", "Directory", "Component", "File", "Registry", "IniFile", "CustomAction", "Upgrade", "InstallExecuteSequence"];

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
    public void Per_user_msi_installs_runs_upgrades_and_uninstalls_under_wine()
    {
        using var wine = new WinePrefix();
        var home = wine.UserProfile;
        var installDir = Path.Combine(home, "claude-code-with-bedrock");
        var awsConfig = Path.Combine(home, ".aws", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(awsConfig)!);
        File.WriteAllText(awsConfig, "[default]\r\nregion=eu-west-1\r\n");

        var install = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.Installer(PerUser)), "/qn");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(File.Exists(Path.Combine(installDir, "credential-process.exe")));
        Assert.Equal(File.ReadAllBytes(package.RenderedFile("config.json")), File.ReadAllBytes(Path.Combine(installDir, "config.json")));
        var profileName = package.Manifest.Profile;
        var config = File.ReadAllText(awsConfig);
        Assert.Contains("[default]", config, StringComparison.Ordinal);
        Assert.Contains($"[profile {profileName}]", config, StringComparison.Ordinal);
        Assert.Contains("region=us-east-1", config, StringComparison.Ordinal);
        Assert.Contains($"credential_process=\"C:\\users\\{Environment.UserName}\\claude-code-with-bedrock\\credential-process.exe\" --profile {profileName}",
            config, StringComparison.Ordinal);

        var version = wine.Exec(Path.Combine(installDir, "credential-process.exe"), "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal($"credential-process {PackageFixture.Version} ({package.Manifest.Commit})", version.Output.Trim());
        CachedCredentials.Seed(home, profileName, "\r\n");
        CachedCredentials.AssertPrinted(wine.Exec(Path.Combine(installDir, "credential-process.exe"), "--profile", profileName));

        var upgrade = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.NextInstaller(NextPerUser)), "/qn");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        var products = InstalledProducts(wine);
        Assert.Equal(["1.0.1"], products);
        Assert.True(File.Exists(Path.Combine(installDir, "credential-process.exe")));
        Assert.Single(File.ReadAllLines(awsConfig), l => l == $"[profile {profileName}]");

        var uninstall = wine.Exec("msiexec", "/x", WinePrefix.WindowsPath(package.NextInstaller(NextPerUser)), "/qn");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(Directory.Exists(installDir));
        Assert.Empty(InstalledProducts(wine));
        var after = File.ReadAllText(awsConfig);
        Assert.Contains("region=eu-west-1", after, StringComparison.Ordinal);
        Assert.DoesNotContain("credential_process", after, StringComparison.Ordinal);
        Assert.DoesNotContain("region=us-east-1", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_machine_msi_installs_managed_settings_with_the_program_files_path_under_wine()
    {
        using var wine = new WinePrefix();
        var install = wine.Exec("msiexec", "/i", WinePrefix.WindowsPath(package.Installer(PerMachine)), "/qn");
        Assert.True(install.ExitCode == 0, install.ToString());
        var programFiles = Path.Combine(wine.Environment["WINEPREFIX"]!, "drive_c", "Program Files");
        Assert.True(File.Exists(Path.Combine(programFiles, "claude-code-with-bedrock", "credential-process.exe")));
        var managed = File.ReadAllText(Path.Combine(programFiles, "ClaudeCode", "managed-settings.json"));
        Assert.Contains($"{MsiBuilder.ProgramFilesInstallDir}/credential-process.exe", managed, StringComparison.Ordinal);
        Assert.DoesNotContain("__CREDENTIAL_PROCESS_PATH__", managed, StringComparison.Ordinal);

        var uninstall = wine.Exec("msiexec", "/x", WinePrefix.WindowsPath(package.Installer(PerMachine)), "/qn");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(Path.Combine(programFiles, "ClaudeCode", "managed-settings.json")));
        Assert.False(File.Exists(Path.Combine(programFiles, "claude-code-with-bedrock", "credential-process.exe")));
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
