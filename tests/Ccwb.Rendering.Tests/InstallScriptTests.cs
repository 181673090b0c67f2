using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Packaging;
using Ccwb.Packaging.Manifest;
using Ccwb.Rendering.ClaudeCode;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// install.sh run for real with bash against a temporary home that already holds an ~/.aws/config and a Claude Code
/// settings.json, twice; the results are read back byte for byte and by the real AWS CLI.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class InstallScriptTests
{
    // An ~/.aws/config as people really have them: comments, blank lines, other profiles, and a stale block of ours
    // written by upstream's installer, directly followed by another profile with no blank line in between.
    private const string ExistingConfigHead =
        "# Company defaults - keep this comment\n[default]\nregion = eu-west-2\noutput = json\n\n" +
        "[profile other]\n; a comment inside another profile\nsso_session = corp\n\n\n";
    private const string ExistingConfigTail = "[profile after-ours]\nregion = ap-south-1\n# trailing comment\n";

    private const string ExistingSettings =
        "{\n  \"permissions\": {\"allow\": [\"Bash(ls)\"]},\n  \"env\": {\"MY_VAR\": \"1\", \"AWS_REGION\": \"stale\"},\n  \"model\": \"x\"\n}\n";

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Shell_scripts_pass_bash_n_and_shellcheck(string profile)
    {
        using var dir = new TempDirectory();
        foreach (var file in ExampleProfiles.Render(profile).Where(f => f.Path.EndsWith(".sh", StringComparison.Ordinal)))
        {
            var path = dir.Combine(file.Path);
            File.WriteAllBytes(path, file.Content);
            var syntax = Run.Tool("bash", ["-n", path]);
            Assert.True(syntax.ExitCode == 0, $"{file.Path}: {syntax}");
            var lint = Run.Tool("shellcheck", ["--shell=bash", "--severity=style", path]);
            Assert.True(lint.ExitCode == 0, $"{file.Path}: {lint}");
        }
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Second_run_changes_nothing_and_other_aws_profiles_comments_and_blank_lines_survive_fixing_upstreams_block_deletion(string profile)
    {
        using var dir = new TempDirectory();
        var loaded = ExampleProfiles.Load(profile);
        var home = dir.Combine("home");
        // Our keys with stale values: each is set in place, as `aws configure set` sets it.
        var staleBlock = ProfileFacts.IsIdcZeroBinary(loaded)
            ? $"[profile {profile}]\nsso_session = old-session\nsso_account_id = 000000000000\nsso_role_name = Old\nregion = us-west-1\n"
            : $"[profile {profile}]\ncredential_process = /old/credential-process --profile {profile}\nregion = us-west-1\n";
        Directory.CreateDirectory(Path.Combine(home, ".aws"));
        Directory.CreateDirectory(Path.Combine(home, ".claude"));
        File.WriteAllText(Path.Combine(home, ".aws", "config"), ExistingConfigHead + staleBlock + ExistingConfigTail);
        File.WriteAllText(Path.Combine(home, ".claude", "settings.json"), ExistingSettings);
        var package = StagePackage(dir, profile);

        var first = RunInstaller(package, home, dir.Combine("managed"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var afterFirst = Snapshot(dir.Path);
        var second = RunInstaller(package, home, dir.Combine("managed"));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(afterFirst, Snapshot(dir.Path));

        var installDir = Path.Combine(home, "claude-code-with-bedrock");
        // Our stale block is replaced where it stood; a section that did not exist yet is appended after a blank line.
        var expectedConfig = ExistingConfigHead + ProfileBlock(loaded, installDir) + ExistingConfigTail +
                             (ProfileFacts.IsIdcZeroBinary(loaded) ? "\n" + SsoSessionBlock(loaded) : "");
        Assert.Equal(expectedConfig, File.ReadAllText(Path.Combine(home, ".aws", "config")));

        // The real AWS CLI reads the file: our profile and everyone else's.
        var aws = AwsCli(home, "configure", "get", "region", "--profile", "after-ours");
        Assert.Equal("ap-south-1", aws.Output.Trim());
        var ours = AwsCli(home, "configure", "get", "region", "--profile", profile);
        Assert.Equal(loaded.AwsRegion, ours.Output.Trim());

        var incoming = ResolvedSettings(package, loaded, installDir);
        if (loaded.SettingsTarget == "managed")
        {
            Assert.Equal(ExistingSettings, File.ReadAllText(Path.Combine(home, ".claude", "settings.json")));
            var managed = JsonNode.Parse(File.ReadAllText(dir.Combine("managed", "managed-settings.json")))!;
            Assert.True(JsonNode.DeepEquals(incoming, managed));
        }
        else
        {
            var merged = JsonNode.Parse(File.ReadAllText(Path.Combine(home, ".claude", "settings.json")))!;
            Assert.Equal("1", (string?)merged["env"]!["MY_VAR"]);
            Assert.Equal("Bash(ls)", (string?)merged["permissions"]!["allow"]![0]);
            Assert.Equal("x", (string?)merged["model"]);
            foreach (var (key, value) in incoming["env"]!.AsObject())
                Assert.True(JsonNode.DeepEquals(value, merged["env"]![key]), key);
            foreach (var (key, value) in incoming.AsObject().Where(p => p.Key != "env"))
                Assert.True(JsonNode.DeepEquals(value, merged[key]), key);
            // Backed up once, when the first run changed it; the second run had nothing to change.
            Assert.Single(Directory.GetFiles(Path.Combine(home, ".claude"), "settings.json.backup-*"));
        }
        Assert.DoesNotContain("__", File.ReadAllText(Path.Combine(installDir, "config.json")) + Settings(home, dir, loaded),
            StringComparison.Ordinal);

        if (loaded.Cowork3pEnabled)
        {
            var cowork = JsonNode.Parse(File.ReadAllText(Path.Combine(installDir, CoworkFiles.Json)))!;
            if (cowork["inferenceCredentialHelper"] is { } helper)
                Assert.Equal($"{home}/claude-code-with-bedrock/cowork-credential-helper.sh", (string?)helper);
            Assert.DoesNotContain("__CCWB_HOME__", File.ReadAllText(Path.Combine(installDir, CoworkFiles.Mobileconfig)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_fresh_home_gets_a_config_with_only_our_block_and_mode_0600()
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        var package = StagePackage(dir, "okta-direct");
        var run = RunInstaller(package, home, dir.Combine("managed"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var config = Path.Combine(home, ".aws", "config");
        Assert.Equal(OurBlocks(ExampleProfiles.Load("okta-direct"), Path.Combine(home, "claude-code-with-bedrock")), File.ReadAllText(config));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(config));
        Assert.Contains("OK    credential-process", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_sh_finds_the_binaries_package_puts_in_the_package_folder_fixing_the_binaries_left_in_bin_rid()
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        var package = StagePackage(dir, "okta-direct");
        // Upstream's flat layout: what users unzip holds each platform's programs beside install.sh and install.bat.
        Assert.Equal(
            ["credential-process-full-linux-arm64", "credential-process-full-linux-x64", "credential-process-full-macos-arm64",
             "credential-process-full-windows.exe",
             "credential-process-linux-arm64", "credential-process-linux-x64", "credential-process-macos-arm64", "credential-process-windows.exe",
             "otel-helper-full-linux-arm64", "otel-helper-full-linux-x64", "otel-helper-full-macos-arm64", "otel-helper-full-windows.exe",
             "otel-helper-linux-arm64", "otel-helper-linux-x64", "otel-helper-macos-arm64", "otel-helper-windows.exe"],
            Directory.GetFiles(package).Select(Path.GetFileName).Where(f => f!.StartsWith("credential-process", StringComparison.Ordinal) || f.StartsWith("otel-helper-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("\"credential-process-windows.exe\"", ExampleProfiles.Text("okta-direct", "install.bat"), StringComparison.Ordinal);
        Assert.Contains("\"credential-process-full-windows.exe\" \"%INSTALL_DIR%\\credential-process-full.exe\"", ExampleProfiles.Text("okta-direct", "install.bat"),
            StringComparison.Ordinal);
        Assert.Contains("\"otel-helper-full-windows.exe\" \"%INSTALL_DIR%\\otel-helper-full.exe\"", ExampleProfiles.Text("okta-direct", "install.bat"),
            StringComparison.Ordinal);
        // The Windows-only user setup program, which the package folder carries under the name install.bat copies.
        Assert.Equal("ccwb-user-setup-windows.exe", Ccwb.Contract.Install.PackageFolder.BinaryName(Ccwb.Contract.CommandLine.ShippedPrograms.UserSetup.Name, "win-x64"));
        Assert.Contains("\"ccwb-user-setup-windows.exe\" \"%INSTALL_DIR%\\ccwb-user-setup.exe\"", ExampleProfiles.Text("okta-direct", "install.bat"),
            StringComparison.Ordinal);

        var run = RunInstaller(package, home, dir.Combine("managed"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var installed = Run.Tool(Path.Combine(home, "claude-code-with-bedrock", "credential-process"), ["--version"]);
        Assert.Equal("credential-process linux-x64 --version", installed.Output.Trim());
        Assert.Equal(0b111_101_101, (int)File.GetUnixFileMode(Path.Combine(home, "claude-code-with-bedrock", "credential-process")));
        // The front's full helper, installed beside it under the name the front runs.
        var full = Run.Tool(Path.Combine(home, "claude-code-with-bedrock", "credential-process-full"), ["--version"]);
        Assert.Equal("credential-process-full linux-x64 --version", full.Output.Trim());
        Assert.Equal(0b111_101_101, (int)File.GetUnixFileMode(Path.Combine(home, "claude-code-with-bedrock", "credential-process-full")));
        // The otel-helper front's full program, likewise.
        var otelFull = Run.Tool(Path.Combine(home, "claude-code-with-bedrock", "otel-helper-full"), ["--version"]);
        Assert.Equal("otel-helper-full linux-x64 --version", otelFull.Output.Trim());
        Assert.Equal(0b111_101_101, (int)File.GetUnixFileMode(Path.Combine(home, "claude-code-with-bedrock", "otel-helper-full")));
        // Settings of earlier installs name upstream's otel-helper.sh: it is installed and runs the binary beside it.
        var wrapper = Run.Tool(Path.Combine(home, "claude-code-with-bedrock", "otel-helper.sh"), ["--profile", "ClaudeCode"]);
        Assert.Equal("otel-helper linux-x64 --profile ClaudeCode", wrapper.Output.Trim());
    }

    [Fact]
    public void Otel_helper_sh_answers_no_headers_when_the_binary_is_missing()
    {
        using var dir = new TempDirectory();
        var wrapper = dir.Combine("otel-helper.sh");
        File.WriteAllText(wrapper, ExampleProfiles.Text("okta-direct", "otel-helper.sh"));
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        var run = Run.Tool(wrapper, []);
        Assert.Equal((0, "{}\n"), (run.ExitCode, run.Output));
        Assert.Equal(0, Run.Tool("shellcheck", ["-s", "sh", wrapper]).ExitCode);
    }

    [Fact]
    public void Config_without_a_trailing_newline_gets_one_and_a_blank_line_before_our_block()
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("home");
        Directory.CreateDirectory(Path.Combine(home, ".aws"));
        File.WriteAllText(Path.Combine(home, ".aws", "config"), "[default]\nregion = eu-west-2");
        var package = StagePackage(dir, "google");
        Assert.Equal(0, RunInstaller(package, home, dir.Combine("managed")).ExitCode);
        Assert.Equal("[default]\nregion = eu-west-2\n\n" + OurBlocks(ExampleProfiles.Load("google"), Path.Combine(home, "claude-code-with-bedrock")),
            File.ReadAllText(Path.Combine(home, ".aws", "config")));
    }

    [Theory]
    [InlineData("credential-process-linux-x64")]
    [InlineData("credential-process-full-linux-x64")] // the front is nothing without the full helper it hands over to
    [InlineData("otel-helper-full-linux-x64")] // nor is the otel-helper front, when the package has it
    public void Missing_binary_stops_the_installer_before_anything_is_written(string binary)
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        var package = StagePackage(dir, "okta-direct");
        File.Delete(Path.Combine(package, binary));
        var run = RunInstaller(package, home, dir.Combine("managed"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Binary not found: " + binary, run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(home));
    }

    [Fact]
    public void Idc_without_the_helper_binary_names_the_profile_instead_of_upstreams_hard_coded_ClaudeCode()
    {
        var script = ExampleProfiles.Text("idc", "install.sh");
        Assert.DoesNotContain("ClaudeCode", script, StringComparison.Ordinal);
        Assert.Contains("PROFILE_NAME='idc'", script, StringComparison.Ordinal);
        Assert.DoesNotContain(ExampleProfiles.Render("idc"), f => f.Path == "install.bat");
    }

    private static string OurBlocks(Profiles.DeploymentProfile p, string installDir) =>
        ProfileBlock(p, installDir) + (ProfileFacts.IsIdcZeroBinary(p) ? "\n" + SsoSessionBlock(p) : "");

    private static string ProfileBlock(Profiles.DeploymentProfile p, string installDir) =>
        ProfileFacts.IsIdcZeroBinary(p)
            ? $"[profile {p.Name}]\nsso_session = {p.Name}-session\nsso_account_id = {p.IdcAccountId}\n" +
              $"sso_role_name = {p.IdcPermissionSetName}\nregion = {p.AwsRegion}\n"
            : $"[profile {p.Name}]\ncredential_process = {installDir}/credential-process --profile {p.Name}\nregion = {p.AwsRegion}\n";

    private static string SsoSessionBlock(Profiles.DeploymentProfile p) =>
        $"[sso-session {p.Name}-session]\nsso_start_url = {p.IdcStartUrl}\nsso_region = {p.SsoRegion}\n" +
        "sso_registration_scopes = sso:account:access\n";

    /// <summary>
    /// A package folder laid out as Package lays it out: Publish's bin/&lt;rid&gt;/ (stand-in programs that print their
    /// name), the rendered profile files in package/, then Package's own copy of the binaries into package/.
    /// </summary>
    private static string StagePackage(TempDirectory dir, string profile)
    {
        var output = dir.Combine("output");
        var plan = new List<string>();
        foreach (var rid in (string[])["linux-x64", "linux-arm64", "osx-arm64", "win-x64", "win-arm64"])
        {
            var exe = rid.StartsWith("win-", StringComparison.Ordinal) ? ".exe" : "";
            Directory.CreateDirectory(Path.Combine(output, "bin", rid));
            foreach (var program in (string[])["credential-process", "credential-process-full", "otel-helper", "otel-helper-full"])
            {
                var path = Path.Combine(output, "bin", rid, program + exe);
                File.WriteAllText(path, $"#!/bin/sh\necho {program} {rid} \"$@\"\n");
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }
            // A line of Publish's publish-plan.txt: rid|kind|path|note.
            plan.Add($"{rid}|{(rid == "win-arm64" ? BinaryKinds.X64Emulation : BinaryKinds.Aot)}|bin/{rid}/credential-process{exe}|");
        }
        File.WriteAllLines(dir.Combine("publish-plan.txt"), plan);
        var package = Path.Combine(output, ReleasePackager.ProfileFolder);
        ProfileArtifacts.Write(ExampleProfiles.Load(profile), package, ExampleProfiles.Options);
        _ = ReleasePackager.CopyBinariesIntoPackageFolder(PlannedBinary.ReadPlan(dir.Combine("publish-plan.txt")), output, output).ToList();
        return package;
    }

    private static Run.Result RunInstaller(string package, string home, string managedDir) =>
        Run.Tool("bash", [Path.Combine(package, "install.sh")], package, new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["USER"] = "tester",
            ["SUDO_USER"] = null,
            // System python3 and the AWS CLI v2 first (a user-level aws v1 shim may shadow it).
            ["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin",
            ["CCWB_MANAGED_SETTINGS_DIR"] = managedDir,
        });

    private static Run.Result AwsCli(string home, params string[] arguments)
    {
        var run = Run.Tool(SystemPrograms.AwsCli, arguments, home, new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["AWS_CONFIG_FILE"] = Path.Combine(home, ".aws", "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, ".aws", "credentials"),
        });
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    /// <summary>The package's settings with placeholders replaced as the installer must replace them.</summary>
    private static JsonNode ResolvedSettings(string package, Profiles.DeploymentProfile p, string installDir)
    {
        var text = File.ReadAllText(Path.Combine(package, "claude-settings", SettingsBuilder.FileName(p)));
        var node = JsonNode.Parse(text)!;
        void Walk(JsonNode n)
        {
            if (n is JsonObject o)
                foreach (var key in o.Select(kv => kv.Key).ToList())
                {
                    if (o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                        o[key] = v.GetValue<string>()
                            .Replace(SettingsBuilder.CredentialProcessPlaceholder, installDir + "/credential-process", StringComparison.Ordinal)
                            .Replace(SettingsBuilder.OtelHelperPlaceholder, installDir + "/otel-helper", StringComparison.Ordinal);
                    else if (o[key] is { } child) Walk(child);
                }
        }
        Walk(node);
        return node;
    }

    private static string Settings(string home, TempDirectory dir, Profiles.DeploymentProfile p) =>
        p.SettingsTarget == "managed"
            ? File.ReadAllText(dir.Combine("managed", "managed-settings.json"))
            : File.ReadAllText(Path.Combine(home, ".claude", "settings.json"));

    /// <summary>Every file under a folder with its bytes, to compare two runs.</summary>
    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToBase64String(File.ReadAllBytes(f)));
}
