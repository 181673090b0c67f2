using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// Every generated file of every example profile, byte for byte (line endings included). One method per file kind,
/// so each snapshot carries the file's own extension.
/// </summary>
public class SnapshotTests
{
    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void File_list(string profile) =>
        Snapshot.Verify(string.Join("\n", ExampleProfiles.Render(profile)
            .Select(f => $"{f.Path}  {(f.Executable ? "0755" : "0644")}  {f.Content.Length} bytes")) + "\n", "txt", profile);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Config_json(string profile) => Verify(profile, "config.json", "json");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Claude_settings(string profile) => Verify(profile, f => f.StartsWith("claude-settings/", StringComparison.Ordinal), "json");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Install_sh(string profile) => Verify(profile, "install.sh", "sh");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Install_bat(string profile) => Verify(profile, "install.bat", "bat", optional: true);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Collector_config(string profile) => Verify(profile, "collector-config.yaml", "yaml", optional: true);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Readme(string profile) => Verify(profile, "README.md", "md");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Cowork_json(string profile) => Verify(profile, CoworkFiles.Json, "json");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Mobileconfig(string profile) => Verify(profile, CoworkFiles.Mobileconfig, "mobileconfig.xml");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Reg(string profile) => Verify(profile, CoworkFiles.Reg, "reg");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Admx(string profile) => Verify(profile, CoworkFiles.Admx, "admx");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Adml(string profile) => Verify(profile, CoworkFiles.Adml, "adml");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void PowerShell(string profile) => Verify(profile, CoworkFiles.Ps1, "ps1");

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Otel_helper_sh(string profile) => Verify(profile, PackageFiles.OtelHelperSh, "sh", optional: true);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Otel_helper_cmd(string profile) => Verify(profile, PackageFiles.OtelHelperCmd, "cmd", optional: true);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Otel_helper_ps1(string profile) => Verify(profile, PackageFiles.OtelHelperPs1, "ps1", optional: true);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Helper_sh(string profile) => Verify(profile, CoworkFiles.HelperSh, "sh", optional: true);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Helper_cmd(string profile) => Verify(profile, CoworkFiles.HelperCmd, "cmd", optional: true);

    private static void Verify(string profile, string path, string extension, bool optional = false,
        [System.Runtime.CompilerServices.CallerMemberName] string method = "") =>
        Verify(profile, p => p == path, extension, optional, method);

    private static void Verify(string profile, Func<string, bool> select, string extension, bool optional = false,
        [System.Runtime.CompilerServices.CallerMemberName] string method = "")
    {
        var file = ExampleProfiles.Render(profile).SingleOrDefault(f => select(f.Path));
        if (file is null)
        {
            Assert.True(optional, $"{profile} produced no file for {method}");
            return;
        }
        Snapshot.Verify(file.Content, extension, profile, method: method);
    }
}
