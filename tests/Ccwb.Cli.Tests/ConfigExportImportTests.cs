using System.Text.Json.Nodes;
using Ccwb.Profiles;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests;

/// <summary><c>ccwb config export | import</c> through the real ccwb against a private ~/.ccwb.</summary>
public sealed class ConfigExportImportTests
{
    private static string Example(string name) => Repo.PathOf("profiles", "examples", name + ".json");

    /// <summary>A home whose store holds <paramref name="examples"/> (copied as ~/.ccwb/profiles/&lt;name&gt;.json).</summary>
    private static TempDirectory HomeWith(params string[] examples)
    {
        var home = new TempDirectory("ccwb-config");
        var profiles = home.Combine(".ccwb", "profiles");
        Directory.CreateDirectory(profiles);
        foreach (var example in examples) File.Copy(Example(example), Path.Combine(profiles, example + ".json"));
        return home;
    }

    private static Run.Result Ccwb(TempDirectory home, params string[] args) => Tests.Ccwb.Run(home.Path, null, args);

    /// <summary>Every file under ~/.ccwb with its content, to prove what an import did or did not write.</summary>
    private static SortedDictionary<string, string> StoreFiles(TempDirectory home)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var store = home.Combine(".ccwb");
        if (!Directory.Exists(store)) return files;
        foreach (var path in Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories))
            files[Path.GetRelativePath(store, path)] = File.ReadAllText(path);
        return files;
    }

    private static string Comparable(DeploymentProfile profile) => ProfileJson.Serialize(profile with { CreatedAt = null, UpdatedAt = null });

    [Theory]
    [InlineData("google", "client_secret", "GOCSPX-ExampleClientSecretValue1")]
    [InlineData("okta-direct", "cowork_service_token", "3f2b8c1e-5d4a-4f6b-9c7d-0e1f2a3b4c5d")]
    public void Export_then_import_under_a_new_name_gives_the_same_profile_minus_secrets(string example, string secretField, string secret)
    {
        using var home = HomeWith(example);
        var file = home.Combine("exported.json");

        var export = Ccwb(home, "config", "export", "--profile", example, "--output", file);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains($"warning: {secretField}: is a secret and was not exported", export.Error, StringComparison.Ordinal);
        var exported = File.ReadAllText(file);
        Assert.DoesNotContain(secret, exported, StringComparison.Ordinal);
        Assert.Equal(secretField, (string?)JsonNode.Parse(exported)!["secrets_excluded"]![0]);

        var import = Ccwb(home, "config", "import", file, "--name", "copy");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains($"Set {secretField} in that file", import.Output, StringComparison.Ordinal);

        var original = ProfileLoader.LoadFile(Example(example)).Profile!;
        var imported = ProfileLoader.LoadFile(home.Combine(".ccwb", "profiles", "copy.json"));
        Assert.Equal(Comparable(ProfileSecrets.Without(original) with { Name = "copy" }), Comparable(imported.Profile!));
        Assert.DoesNotContain(secret, File.ReadAllText(home.Combine(".ccwb", "profiles", "copy.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_leaves_out_client_secret_and_cowork_service_token_which_upstream_exported_in_clear()
    {
        using var home = HomeWith("google");
        var export = Ccwb(home, "config", "export", "--profile", "google");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.DoesNotContain("GOCSPX-", export.Output, StringComparison.Ordinal);
        // Identifiers are not secrets and travel (upstream replaced them with [REDACTED], making its export useless).
        Assert.Contains("123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com", export.Output, StringComparison.Ordinal);
        Snapshot.Verify(export.Output, "json");
    }

    [Fact]
    public void Export_of_a_profile_file_is_the_same_as_export_of_that_profile_stored()
    {
        using var stored = HomeWith("google");
        using var empty = new TempDirectory("ccwb-config");

        var fromStore = Ccwb(stored, "config", "export", "--profile", "google");
        var fromFile = Ccwb(empty, "config", "export", "--profile-file", Example("google"));

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal(fromStore.Output, fromFile.Output);
        Assert.DoesNotContain("GOCSPX-", fromFile.Output, StringComparison.Ordinal);
        Assert.Contains("warning: client_secret: is a secret and was not exported", fromFile.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(empty.Combine(".ccwb")), "exporting a file needs no store and creates none");
    }

    [Fact]
    public void Export_of_a_missing_profile_file_is_one_error_line()
    {
        using var empty = new TempDirectory("ccwb-config");
        var missing = empty.Combine("nope.json");

        var export = Ccwb(empty, "config", "export", "--profile-file", missing);

        Assert.Equal(1, export.ExitCode);
        Assert.Equal("", export.Output);
        Assert.StartsWith("error: ", export.Error, StringComparison.Ordinal);
        Assert.Contains(missing, export.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", export.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_export_that_cannot_be_written_is_one_error_line_not_a_stack_trace()
    {
        using var home = HomeWith("google");
        File.WriteAllText(home.Combine("not-a-folder"), "a file where the export's folder should be");
        var export = Ccwb(home, "config", "export", "--profile", "google", "--output", home.Combine("not-a-folder", "google.json"));

        Assert.Equal(1, export.ExitCode);
        Assert.StartsWith("error: --output: cannot write ", export.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", export.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_secret_looking_profile_field_is_one_the_export_leaves_out()
    {
        // A new secret field must join ProfileSecrets, or exports would carry it: this lists the candidates by name.
        // ARNs, endpoints and token limits name or measure things and grant nothing.
        var fields = ProfileJson.Options.GetTypeInfo(typeof(DeploymentProfile))
            .Properties.Select(p => p.Name)
            .Where(name => System.Text.RegularExpressions.Regex.IsMatch(name, "secret|token|password|private|credential_key"))
            .Where(name => !name.EndsWith("_arn", StringComparison.Ordinal) && !name.EndsWith("_endpoint", StringComparison.Ordinal) &&
                           !name.EndsWith("_token_limit", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.Equal(ProfileSecrets.Fields.Order(StringComparer.Ordinal), fields);
    }

    [Fact]
    public void Export_is_byte_identical_each_time()
    {
        using var home = HomeWith("okta-direct");
        var first = Ccwb(home, "config", "export", "--profile", "okta-direct");
        var second = Ccwb(home, "config", "export", "--profile", "okta-direct");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public void Export_of_an_unknown_profile_fails_with_a_message()
    {
        using var home = HomeWith("google");
        var export = Ccwb(home, "config", "export", "--profile", "nope", "--output", home.Combine("out.json"));

        Assert.Equal(1, export.ExitCode);
        Assert.Contains("error: profile: 'nope' not found", export.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(home.Combine("out.json")));
    }

    [Fact]
    public void Import_of_a_bad_file_lists_every_problem_and_writes_nothing()
    {
        using var home = HomeWith("google");
        var document = JsonNode.Parse(File.ReadAllText(Example("okta-direct")))!.AsObject();
        document["aws_region"] = "mars-north-1";
        document["max_session_duration"] = 5;
        document["redirect_port"] = 70000;
        var bad = new JsonObject { ["format"] = "something-else", ["format_version"] = 1, ["profile"] = document };
        var file = home.Combine("bad.json");
        File.WriteAllText(file, bad.ToJsonString());
        var before = StoreFiles(home);

        var import = Ccwb(home, "config", "import", file, "--name", "not a name!");

        Assert.Equal(1, import.ExitCode);
        foreach (var field in new[] { "format", "aws_region", "max_session_duration", "redirect_port", "name" })
            Assert.Contains($"error: {field}: ", import.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", import.Error, StringComparison.Ordinal);
        Assert.Equal(before, StoreFiles(home));
    }

    [Fact]
    public void Import_of_a_file_that_is_not_json_fails_and_writes_nothing()
    {
        using var home = HomeWith();
        var file = home.Combine("broken.json");
        File.WriteAllText(file, "{ \"format\": ");

        var import = Ccwb(home, "config", "import", file);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("error: file: ", import.Error, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", import.Error, StringComparison.Ordinal);
        Assert.Empty(StoreFiles(home));
    }

    [Fact]
    public void Import_refuses_to_overwrite_a_stored_profile_without_force()
    {
        using var home = HomeWith("google", "okta-direct");
        var file = home.Combine("exported.json");
        Assert.Equal(0, Ccwb(home, "config", "export", "--profile", "okta-direct", "--output", file).ExitCode);
        var before = StoreFiles(home);

        var refused = Ccwb(home, "config", "import", file, "--name", "google");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("error: profile: 'google' already exists", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, StoreFiles(home));

        var forced = Ccwb(home, "config", "import", file, "--name", "google", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        var replaced = ProfileLoader.LoadFile(home.Combine(".ccwb", "profiles", "google.json")).Profile!;
        Assert.Equal("google", replaced.Name);
        Assert.Equal("okta", replaced.ProviderType);
    }
}
