using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Testing;

namespace Ccwb.UserSetup.Tests;

/// <summary>Install and uninstall against real files in a temporary home.</summary>
public sealed class UserSetupTests : IDisposable
{
    private const string InstallDir = @"C:\Users\Jo Smith\claude-code-with-bedrock";
    private readonly TempDirectory _home = new("ccwb-user-setup");
    private readonly UserPaths _paths;
    private readonly string _incoming;

    public UserSetupTests()
    {
        _paths = new UserPaths(
            @"C:\Users\Jo Smith",
            _home.Combine(".claude", "settings.json"),
            _home.Combine(".aws", "config"),
            _home.Combine("state", "user-setup.json"),
            _home.Combine("state", "user-setup.log"));
        _incoming = _home.Combine("claude-settings.json");
        File.WriteAllText(_incoming, """
            {
              "env": {
                "AWS_PROFILE": "ClaudeCode",
                "AWS_CREDENTIAL_PROCESS": "__CREDENTIAL_PROCESS_PATH__ --profile ClaudeCode"
              },
              "includeCoAuthoredBy": false,
              "awsAuthRefresh": "__CREDENTIAL_PROCESS_PATH__ --profile ClaudeCode",
              "otelHeadersHelper": "__OTEL_HELPER_PATH__ --profile ClaudeCode"
            }
            """);
    }

    private SetupRequest Request(params string[] profiles) =>
        new(InstallDir, _incoming, [.. (profiles.Length == 0 ? ["ClaudeCode=us-east-1"] : profiles).Select(AwsProfileEntry.Parse)]);

    private UserSetup Setup => new(_paths);

    private static void Seed(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static byte[] Utf8(string text, bool bom = false) =>
        [.. (bom ? "\uFEFF"u8.ToArray() : []), .. Encoding.UTF8.GetBytes(text)];

    [Fact]
    public void Install_writes_what_install_bat_writes_into_existing_files()
    {
        Seed(_paths.Settings, Utf8("{\r\n  \"model\": \"opus\",\r\n  \"env\": { \"FOO\": \"bar\" }\r\n}\r\n"));
        Seed(_paths.AwsConfig, Utf8("[default]\r\nregion = eu-west-1\r\n"));

        Setup.Install(Request());

        Snapshot.Verify(File.ReadAllText(_paths.Settings), "json", "settings");
        Snapshot.Verify(File.ReadAllText(_paths.AwsConfig), "ini", "aws-config");
    }

    [Fact]
    public void Uninstall_gives_back_a_bom_crlf_settings_file_and_the_aws_config_byte_for_byte()
    {
        var settings = Utf8("{\r\n  \"model\": \"opus\",\r\n  \"includeCoAuthoredBy\": true,\r\n  \"env\": {\r\n    \"FOO\": \"bar\"\r\n  }\r\n}\r\n", bom: true);
        var config = Utf8("# mine\r\n[default]\r\nregion = eu-west-1\r\n\r\n[profile other]\r\nregion = eu-west-2", bom: true);
        Seed(_paths.Settings, settings);
        Seed(_paths.AwsConfig, config);

        Setup.Install(Request());
        var installed = File.ReadAllBytes(_paths.Settings);
        Assert.True(installed.AsSpan().StartsWith("\uFEFF"u8), "the byte-order mark is kept");
        Assert.DoesNotContain("\n", Encoding.UTF8.GetString(installed).Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(File.ReadAllBytes(_paths.AwsConfig).AsSpan().StartsWith(config), "the profile is appended after the user's bytes");

        Assert.Empty(Setup.Uninstall());

        // The settings are rewritten (formatting is the writer's), their content and BOM and line endings are the user's.
        Assert.Equal(settings, File.ReadAllBytes(_paths.Settings));
        Assert.Equal(config, File.ReadAllBytes(_paths.AwsConfig));
        Assert.False(File.Exists(_paths.Record));
    }

    [Fact]
    public void Placeholders_become_the_installed_paths_in_install_bats_forms()
    {
        Setup.Install(Request());

        var settings = JsonNode.Parse(File.ReadAllText(_paths.Settings))!;
        Assert.Equal("C:/Users/Jo Smith/claude-code-with-bedrock/credential-process.exe --profile ClaudeCode", (string?)settings["env"]!["AWS_CREDENTIAL_PROCESS"]);
        Assert.Equal("C:/Users/Jo Smith/claude-code-with-bedrock/credential-process.exe --profile ClaudeCode", (string?)settings["awsAuthRefresh"]);
        Assert.Equal(@"C:\Users\Jo Smith\claude-code-with-bedrock\otel-helper.exe --profile ClaudeCode", (string?)settings["otelHeadersHelper"]);
        Assert.Contains("credential_process = \"C:\\Users\\Jo Smith\\claude-code-with-bedrock\\credential-process.exe\" --profile ClaudeCode",
            File.ReadAllText(_paths.AwsConfig), StringComparison.Ordinal);
    }

    [Fact]
    public void Files_the_install_created_are_deleted_on_uninstall_with_the_record()
    {
        Setup.Install(Request("ClaudeCode=us-east-1", "eu-team=eu-west-1"));
        Assert.True(File.Exists(_paths.Settings));
        Assert.Equal(2, File.ReadAllLines(_paths.AwsConfig).Count(l => l.StartsWith("[profile ", StringComparison.Ordinal)));

        Setup.Uninstall();

        Assert.False(File.Exists(_paths.Settings));
        Assert.False(File.Exists(_paths.AwsConfig));
        Assert.False(Directory.Exists(Path.GetDirectoryName(_paths.Record)));
    }

    [Fact]
    public void A_created_settings_file_the_user_added_to_is_kept_with_their_keys_only()
    {
        Setup.Install(Request());
        var settings = JsonNode.Parse(File.ReadAllText(_paths.Settings))!.AsObject();
        settings["permissions"] = new JsonObject { ["allow"] = new JsonArray("Bash(ls)") };
        File.WriteAllText(_paths.Settings, settings.ToJsonString());

        Setup.Uninstall();

        Assert.Equal("""{"permissions":{"allow":["Bash(ls)"]}}""", JsonNode.Parse(File.ReadAllText(_paths.Settings))!.ToJsonString());
    }

    [Fact]
    public void A_present_profile_section_gets_the_package_keys_in_place_and_uninstall_puts_the_old_values_back()
    {
        var config = Utf8("[profile ClaudeCode]\nregion = ap-southeast-2\noutput = json\ncredential_process = C:/old/helper.exe\n");
        Seed(_paths.AwsConfig, config);

        Setup.Install(Request());
        Assert.Equal("[profile ClaudeCode]\nregion = us-east-1\noutput = json\n" +
            "credential_process = \"C:\\Users\\Jo Smith\\claude-code-with-bedrock\\credential-process.exe\" --profile ClaudeCode\n",
            File.ReadAllText(_paths.AwsConfig));
        Setup.Uninstall();

        Assert.Equal(config, File.ReadAllBytes(_paths.AwsConfig));
    }

    [Fact]
    public void A_bare_profile_header_gets_the_keys_and_uninstall_leaves_the_header_as_it_was()
    {
        Seed(_paths.AwsConfig, Utf8("[default]\nregion = eu-west-1\n\n[profile ClaudeCode]\n"));

        Setup.Install(Request());

        Assert.Equal("[default]\nregion = eu-west-1\n\n[profile ClaudeCode]\nregion = us-east-1\n" +
            "credential_process = \"C:\\Users\\Jo Smith\\claude-code-with-bedrock\\credential-process.exe\" --profile ClaudeCode\n",
            File.ReadAllText(_paths.AwsConfig));
        Setup.Uninstall();
        Assert.Equal("[default]\nregion = eu-west-1\n\n[profile ClaudeCode]\n", File.ReadAllText(_paths.AwsConfig));
    }

    [Fact]
    public void Installing_again_replaces_its_entries_instead_of_doubling_them_and_uninstall_still_restores()
    {
        var config = Utf8("[default]\nregion = eu-west-1\n");
        var settings = Utf8("{\n  \"includeCoAuthoredBy\": true\n}\n");
        Seed(_paths.AwsConfig, config);
        Seed(_paths.Settings, settings);

        Setup.Install(Request());
        Setup.Install(Request());

        Assert.Single(File.ReadAllLines(_paths.AwsConfig), l => l == "[profile ClaudeCode]");
        Setup.Uninstall();
        Assert.Equal(config, File.ReadAllBytes(_paths.AwsConfig));
        Assert.Equal(settings, File.ReadAllBytes(_paths.Settings));
    }

    [Theory]
    [InlineData("{ \"model\": ", "is not valid JSON (line 1, byte 12)")]
    [InlineData("[1, 2]", "does not hold a JSON object")]
    [InlineData("{ // a comment\n}", "is not valid JSON (line 1, byte 3)")]
    public void A_corrupt_settings_json_stops_the_install_with_nothing_written(string content, string reason)
    {
        var config = Utf8("[default]\nregion = eu-west-1\n");
        Seed(_paths.Settings, Utf8(content));
        Seed(_paths.AwsConfig, config);

        var error = Assert.Throws<SetupException>(() => Setup.Install(Request()));

        Assert.Contains(_paths.Settings, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("left unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(Utf8(content), File.ReadAllBytes(_paths.Settings));
        Assert.Equal(config, File.ReadAllBytes(_paths.AwsConfig));
        Assert.False(File.Exists(_paths.Record));
    }

    [Fact]
    public void An_aws_config_that_is_not_utf8_stops_the_install_with_nothing_written()
    {
        byte[] latin1 = [.. "[default]\n# caf"u8, 0xE9, (byte)'\n'];
        Seed(_paths.AwsConfig, latin1);

        var error = Assert.Throws<SetupException>(() => Setup.Install(Request()));

        Assert.Equal($"{_paths.AwsConfig} is not UTF-8 text; it was left unchanged.", error.Message);
        Assert.Equal(latin1, File.ReadAllBytes(_paths.AwsConfig));
        Assert.False(File.Exists(_paths.Settings));
        Assert.False(File.Exists(_paths.Record));
    }

    [Fact]
    public void Uninstall_leaves_a_settings_file_broken_since_the_install_alone_and_still_removes_the_profiles()
    {
        var config = Utf8("[default]\nregion = eu-west-1\n");
        Seed(_paths.AwsConfig, config);
        Setup.Install(Request());
        File.WriteAllText(_paths.Settings, "{ broken");

        var warnings = Setup.Uninstall();

        Assert.Equal([$"{_paths.Settings} is not valid JSON (line 1, byte 3); it was left unchanged. The entries this package added are still in it."], warnings);
        Assert.Equal("{ broken", File.ReadAllText(_paths.Settings));
        Assert.Equal(config, File.ReadAllBytes(_paths.AwsConfig));
    }

    [Fact]
    public void Uninstall_leaves_an_aws_config_that_is_no_longer_utf8_alone_and_still_cleans_the_settings()
    {
        Setup.Install(Request());
        byte[] latin1 = [.. "[default]\n# caf"u8, 0xE9, (byte)'\n'];
        File.WriteAllBytes(_paths.AwsConfig, latin1);

        var warnings = Setup.Uninstall();

        Assert.Equal([$"{_paths.AwsConfig} is not UTF-8 text; it was left unchanged."], warnings);
        Assert.Equal(latin1, File.ReadAllBytes(_paths.AwsConfig));
        Assert.False(File.Exists(_paths.Settings));
        Assert.False(File.Exists(_paths.Record));
    }

    [Fact]
    public void Uninstall_without_a_record_changes_nothing()
    {
        var config = Utf8("[profile ClaudeCode]\nregion = us-east-1\n");
        Seed(_paths.AwsConfig, config);

        Assert.Empty(Setup.Uninstall());

        Assert.Equal(config, File.ReadAllBytes(_paths.AwsConfig));
    }

    [Fact]
    public void Without_package_settings_only_the_profiles_are_added()
    {
        Setup.Install(new SetupRequest(InstallDir, null, [AwsProfileEntry.Parse("ClaudeCode=us-east-1")]));

        Assert.False(File.Exists(_paths.Settings));
        Assert.Contains("[profile ClaudeCode]", File.ReadAllText(_paths.AwsConfig), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my profile=us-east-1")]
    [InlineData("a]b=us-east-1")]
    [InlineData("=us-east-1")]
    [InlineData("ClaudeCode")]
    [InlineData("ClaudeCode=us east 1")]
    [InlineData("ClaudeCode=")]
    public void Profile_names_and_regions_that_would_need_quoting_are_refused(string argument)
    {
        var error = Assert.Throws<SetupException>(() => AwsProfileEntry.Parse(argument));
        Assert.StartsWith($"--profile '{argument}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cowork_policy_is_copied_into_the_install_folder_with_the_home_folder_written_in()
    {
        var installDir = _home.Combine("install");
        var reg = _home.Combine("cowork-3p.reg");
        File.WriteAllText(reg, """
            Windows Registry Editor Version 5.00

            [HKEY_CURRENT_USER\SOFTWARE\Policies\Claude]
            "inferenceCredentialHelper"="__CCWB_HOME__\\claude-code-with-bedrock\\cowork-credential-helper.cmd"
            "managedMcpServers"="{\"command\":\"__CCWB_HOME_JSON__\\\\x.cmd\"}"

            """.ReplaceLineEndings("\r\n"));
        Setup.Install(new SetupRequest(installDir, _incoming, [AwsProfileEntry.Parse("ClaudeCode=us-east-1")], reg));

        Assert.Equal("""
            Windows Registry Editor Version 5.00

            [HKEY_CURRENT_USER\SOFTWARE\Policies\Claude]
            "inferenceCredentialHelper"="C:\\Users\\Jo Smith\\claude-code-with-bedrock\\cowork-credential-helper.cmd"
            "managedMcpServers"="{\"command\":\"C:\\\\Users\\\\Jo Smith\\\\x.cmd\"}"

            """.ReplaceLineEndings("\r\n"), File.ReadAllText(Path.Combine(installDir, "cowork-3p.reg")));
    }

    [Fact]
    public void A_missing_cowork_policy_stops_the_install_with_nothing_written()
    {
        var error = Assert.Throws<SetupException>(() =>
            Setup.Install(new SetupRequest(_home.Combine("install"), _incoming, [AwsProfileEntry.Parse("ClaudeCode=us-east-1")], _home.Combine("none.reg"))));

        Assert.StartsWith("The package's file ", error.Message, StringComparison.Ordinal);
        Assert.Equal([_incoming], Directory.EnumerateFileSystemEntries(_home.Path));
    }

    [Fact]
    public void Managed_settings_replace_the_machine_file_whole_with_the_installed_paths_and_every_user_can_read_them()
    {
        var managed = _home.Combine("Program Files", "ClaudeCode", "managed-settings.json");
        Seed(managed, Utf8("{ \"model\": \"an earlier release's\" }"));

        UserSetup.WriteManagedSettings(_incoming, InstallDir, managed);

        var settings = JsonNode.Parse(File.ReadAllText(managed))!.AsObject();
        Assert.Equal(["env", "includeCoAuthoredBy", "awsAuthRefresh", "otelHeadersHelper"], settings.Select(p => p.Key));
        Assert.Equal("C:/Users/Jo Smith/claude-code-with-bedrock/credential-process.exe --profile ClaudeCode", (string?)settings["awsAuthRefresh"]);
        Assert.Equal(@"C:\Users\Jo Smith\claude-code-with-bedrock\otel-helper.exe --profile ClaudeCode", (string?)settings["otelHeadersHelper"]);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(managed));
        // Machine-wide: nothing of the user's is touched or recorded.
        Assert.False(File.Exists(_paths.Settings));
        Assert.False(File.Exists(_paths.Record));
    }

    [Theory]
    [InlineData("{ \"env\": ", "cannot be read")]
    [InlineData("[]", "does not hold a JSON object")]
    public void A_broken_package_settings_file_leaves_the_managed_settings_as_they_were(string content, string reason)
    {
        File.WriteAllText(_incoming, content);
        var managed = _home.Combine("ClaudeCode", "managed-settings.json");
        var earlier = Utf8("{ \"model\": \"opus\" }");
        Seed(managed, earlier);

        var error = Assert.Throws<SetupException>(() => UserSetup.WriteManagedSettings(_incoming, InstallDir, managed));

        Assert.Contains(_incoming, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(earlier, File.ReadAllBytes(managed));
        Assert.Equal(["managed-settings.json"], Directory.GetFiles(Path.GetDirectoryName(managed)!).Select(Path.GetFileName));
    }

    public void Dispose() => _home.Dispose();
}
