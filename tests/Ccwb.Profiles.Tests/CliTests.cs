using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Profiles.Tests;

/// <summary>The real ccwb, run as a process against a temporary home.</summary>
public sealed partial class CliTests : IDisposable
{
    private readonly TempDirectory _home = new("ccwb-cli-home");
    private readonly TempDirectory _work = new("ccwb-cli-work");

    public void Dispose()
    {
        _home.Dispose();
        _work.Dispose();
    }

    private Run.Result Ccwb(params string[] args) => CcwbProcess.Run(_home.Path, _work.Path, args);

    private string ProfilesDirectory => _home.Combine(".ccwb", "profiles");

    private void Store(params string[] examples)
    {
        Directory.CreateDirectory(ProfilesDirectory);
        foreach (var name in examples) File.Copy(Examples.PathOf(name), Path.Combine(ProfilesDirectory, name + ".json"));
    }

    private void Activate(string name)
    {
        File.WriteAllText(_home.Combine(".ccwb", "config.json"),
            new JsonObject { ["schema_version"] = "2.0", ["active_profile"] = name, ["profiles_dir"] = ProfilesDirectory }.ToJsonString());
    }

    private string WriteProfile(Action<JsonObject> change)
    {
        var profile = JsonNode.Parse(Examples.Text("okta-direct"))!.AsObject();
        change(profile);
        var path = _work.Combine("profile.json");
        File.WriteAllText(path, profile.ToJsonString());
        return path;
    }

    [Fact]
    public void Version_prints_the_stamped_version_and_commit()
    {
        var result = Ccwb("--version");

        var stamped = FileVersionInfo.GetVersionInfo(CcwbProcess.AssemblyPath).ProductVersion;
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(stamped + "\n", result.Output);
        Assert.Matches(VersionAndCommit(), result.Output.Trim());
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\+[0-9A-Za-z.-]+$")]
    private static partial Regex VersionAndCommit();

    [Theory]
    [InlineData("", "ccwb: roll out Claude Code")]
    [InlineData("profile", "Inspect and validate deployment profiles.")]
    [InlineData("profile validate", "--profile-file")]
    [InlineData("context", "List, show and switch the stored deployment profiles")]
    [InlineData("context list", "List the stored profiles")]
    [InlineData("context current", "Print the active profile's name.")]
    [InlineData("context use", "Make a stored profile the active one.")]
    [InlineData("context show", "secrets are masked")]
    public void Every_command_has_help(string command, string expected)
    {
        var result = Ccwb([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("profile", "validate")]
    [InlineData("context", "list")]
    public void Command_group_without_a_subcommand_lists_its_subcommands(string group, string subcommand)
    {
        var result = Ccwb(group);

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Contains($"  {subcommand} ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_a_valid_profile_file_exits_0()
    {
        var result = Ccwb("profile", "validate", "--profile-file", Examples.PathOf("okta-direct"));

        Assert.Equal((0, "Profile 'okta-direct' is valid.\n"), (result.ExitCode, result.Output));
    }

    [Fact]
    public void Validate_a_profile_with_five_bad_fields_exits_1_and_names_all_five()
    {
        var path = WriteProfile(p =>
        {
            p["aws_region"] = "mars-1";
            p["credential_storage"] = "disk";
            p["max_session_duration"] = 60;
            p["identity_pool_name"] = "bad.name";
            p["redirect_port"] = 80;
        });

        var result = Ccwb("profile", "validate", "--profile-file", path);

        Assert.Equal(1, result.ExitCode);
        foreach (var field in new[] { "aws_region", "credential_storage", "max_session_duration", "identity_pool_name", "redirect_port" })
            Assert.Contains($"error: {field}: ", result.Error, StringComparison.Ordinal);
        // Findings on stderr, the verdict on stdout.
        Assert.All(result.Error.TrimEnd('\n').Split('\n'), line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        Snapshot.Verify(result.Error + result.Output, "txt");
        Assert.False(Directory.Exists(_home.Combine(".ccwb")), "validating a file must not create a profile store");
    }

    [Fact]
    public void Validate_prints_warnings_and_still_exits_0()
    {
        var path = WriteProfile(p => p["federated_role_arn"] = null);

        var result = Ccwb("profile", "validate", "--profile-file", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("warning: federated_role_arn: not set yet: 'ccwb deploy auth' creates the role and records its ARN; packages need it\n",
            result.Error);
        Assert.Equal("Profile 'okta-direct' is valid (1 warning).\n", result.Output);
    }

    [Fact]
    public void Validate_reports_wrong_types_and_malformed_json_without_crashing()
    {
        var wrongTypes = WriteProfile(p => { p["tags"] = "none"; p["monitoring_enabled"] = "yes"; });
        var typed = Ccwb("profile", "validate", "--profile-file", wrongTypes);
        Assert.Equal((1, "The profile could not be loaded.\n", "error: monitoring_enabled: must be true or false\nerror: tags: must be an object whose values are strings\n"),
            (typed.ExitCode, typed.Output, typed.Error));

        File.WriteAllText(_work.Combine("broken.json"), "{\"name\": ");
        var broken = Ccwb("profile", "validate", "--profile-file", _work.Combine("broken.json"));
        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("error: profile: not valid JSON: ", broken.Error, StringComparison.Ordinal);
        Assert.Equal("The profile could not be loaded.\n", broken.Output);
    }

    [Fact]
    public void Validate_a_stored_profile_by_name_or_the_active_one()
    {
        Store("idc", "google");
        Activate("google");

        Assert.Equal((0, "Profile 'idc' is valid.\n"), Tuple(Ccwb("profile", "validate", "--profile", "idc")));
        Assert.Equal((0, "Profile 'google' is valid.\n"), Tuple(Ccwb("profile", "validate")));
        Assert.Equal((1, "The profile could not be loaded.\n", $"error: profile: 'nope' not found in {ProfilesDirectory}\n"),
            Full(Ccwb("profile", "validate", "--profile", "nope")));
    }

    [Fact]
    public void Validate_without_an_active_profile_says_so()
    {
        var result = Ccwb("profile", "validate");
        Assert.Equal((1, "The profile could not be loaded.\n"), Tuple(result));
        Assert.StartsWith("error: profile: no active profile is set: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_refuses_both_profile_options_at_once()
    {
        var result = Ccwb("profile", "validate", "--profile", "a", "--profile-file", "b.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --profile-file: use either --profile or --profile-file, not both\n", result.Error.ReplaceLineEndings("\n"));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Context_list_marks_the_active_profile()
    {
        Store("okta-direct", "idc", "none", "govcloud");
        File.WriteAllText(Path.Combine(ProfilesDirectory, "broken.json"), "{");
        Activate("idc");

        var result = Ccwb("context", "list");

        Assert.Equal(0, result.ExitCode);
        Snapshot.Verify(result.Output, "txt");
    }

    [Fact]
    public void Context_list_with_no_profiles_explains_where_they_go()
    {
        var result = Ccwb("context", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"No profiles found in {ProfilesDirectory}.\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_current_and_use_switch_the_active_profile()
    {
        Store("okta-direct", "idc");
        Assert.Equal((0, "No active profile set.\n"), Tuple(Ccwb("context", "current")));

        Assert.Equal((0, "Switched to profile 'idc'.\n"), Tuple(Ccwb("context", "use", "idc")));
        Assert.Equal((0, "idc\n"), Tuple(Ccwb("context", "current")));
        Assert.Equal("idc", JsonNode.Parse(File.ReadAllText(_home.Combine(".ccwb", "config.json")))!["active_profile"]!.GetValue<string>());
    }

    [Fact]
    public void Context_use_of_an_unknown_profile_exits_1_and_lists_the_known_ones()
    {
        Store("okta-direct", "idc");
        Activate("idc");
        var config = File.ReadAllText(_home.Combine(".ccwb", "config.json"));

        Assert.Equal((1, "", "error: profile: 'ghost' not found; available profiles: idc, okta-direct\n"), Full(Ccwb("context", "use", "ghost")));
        Assert.Equal(config, File.ReadAllText(_home.Combine(".ccwb", "config.json")));
    }

    [Fact]
    public void Context_show_prints_sections_and_masks_secrets()
    {
        Store("okta-direct", "google");
        Activate("okta-direct");

        var okta = Ccwb("context", "show");
        var google = Ccwb("context", "show", "google");

        Assert.Equal((0, 0), (okta.ExitCode, google.ExitCode));
        Assert.DoesNotContain(Examples.Load("okta-direct").CoworkServiceToken, okta.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Examples.Load("google").ClientSecret!, google.Output, StringComparison.Ordinal);
        Assert.Contains("  client_secret: ******** (set)\n", google.Output, StringComparison.Ordinal);
        Snapshot.Verify(okta.Output, "txt");
    }

    [Fact]
    public void Context_show_prints_the_profiles_warnings_on_stderr()
    {
        Directory.CreateDirectory(ProfilesDirectory);
        File.Copy(WriteProfile(p => p["data_retention_days"] = 400), Path.Combine(ProfilesDirectory, "okta-direct.json"));

        var result = Ccwb("context", "show", "okta-direct");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("warning: data_retention_days: 400 days is more than a year of analytics data\n", result.Error);
        Assert.StartsWith("Profile: okta-direct\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_show_of_an_unknown_profile_exits_1()
    {
        Assert.Equal((1, "", $"error: profile: 'ghost' not found in {ProfilesDirectory}\n"), Full(Ccwb("context", "show", "ghost")));
    }

    [Fact]
    public void Legacy_upstream_configuration_in_the_working_directory_is_migrated_on_first_use()
    {
        var legacy = _work.Combine("source", ".ccwb-config", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(legacy)!);
        File.WriteAllText(legacy, """{"profiles": {"ClaudeCode": {"okta_domain": "acme.okta.com", "okta_client_id": "0oa1b2c3d4e5f6g7h8i9"}}}""");

        var first = Ccwb("context", "current");
        var second = Ccwb("context", "current");

        Assert.Matches($@"^Migrated 1 profile\(s\) from the legacy configuration \(backup: {Regex.Escape(legacy)}\.backup\.\d{{8}}_\d{{6}}\)\.\nClaudeCode\n$", first.Output);
        Assert.Equal("ClaudeCode\n", second.Output);
    }

    private static (int, string) Tuple(Run.Result result) => (result.ExitCode, result.Output);

    private static (int, string, string) Full(Run.Result result) => (result.ExitCode, result.Output, result.Error);
}
