using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// <c>./build.sh Package</c> with a bad profile: only <c>error: field: message</c> / <c>warning: field: message</c> lines
/// on stderr, exit 1, and the problem found by the validation step before anything is published.
/// </summary>
public sealed class PackageValidationTests : IDisposable
{
    private readonly TempDirectory _output = new("ccwb-bad-profile");

    [Fact]
    public void Missing_profile_file_fails_before_publishing_with_one_error()
    {
        var result = Package(_output.Combine("nope.json"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --profile-file: {_output.Combine("nope.json")} not found\n", result.Error);
        Assert.DoesNotContain("error", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_output.Path));
    }

    /// <summary>
    /// Upstream defect: an upstream profile without organization_identifier ended in MSB4018 "task failed unexpectedly"
    /// and a stack trace, after minutes of publishing. Now the validation step names the keys to add, before Publish.
    /// </summary>
    [Fact]
    public void Upstream_profile_without_organization_identifier_names_the_keys_to_add_before_publishing()
    {
        var profile = Profile("okta-direct", p => { p.Remove("organization_identifier"); p.Remove("organization_name"); p["cowork_3p_enabled"] = true; });

        var result = Package(profile);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: organization_identifier: is required: the .mobileconfig needs a reverse-DNS identifier; " +
                        "add \"organization_identifier\": \"com.okta.example-corp\" to the profile\n", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: organization_name: is required: ", result.Error, StringComparison.Ordinal);
        AssertOnlyFindings(result);
    }

    [Fact]
    public void Package_with_a_bad_profile_prints_only_finding_lines_exits_1_and_publishes_nothing()
    {
        var profile = Profile("okta-direct", p => { p["aws_region"] = "mars-1"; p["redirect_port"] = 80; p["data_retention_days"] = 400; });

        var result = Package(profile);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: aws_region: Invalid aws_region: mars-1\n", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: redirect_port: Must be a number between 1024 and 65535 (got 80)\n", result.Error, StringComparison.Ordinal);
        Assert.Contains("warning: data_retention_days: 400 days is more than a year of analytics data\n", result.Error, StringComparison.Ordinal);
        AssertOnlyFindings(result);
    }

    private Run.Result Package(string profile) =>
        Run.Tool(Repo.PathOf("build.sh"),
            ["Package", "--skip-prerequisites", "--rid", "linux-x64", "--output", _output.Combine("out"), "--profile-file", profile],
            workingDirectory: Repo.Root);

    private string Profile(string example, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repo.PathOf("profiles", "examples", example + ".json")))!.AsObject();
        change(json);
        var path = _output.Combine("profile.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    /// <summary>stderr holds only finding lines, stdout no error or stack trace, and nothing was published.</summary>
    private void AssertOnlyFindings(Run.Result result)
    {
        Assert.All(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^(error|warning): [^:\s][^:]*: \S", line));
        Assert.DoesNotContain("error", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MSB4018", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("▶ Publish", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_output.Combine("out")), "the bad profile must be found before anything is published");
    }

    public void Dispose() => _output.Dispose();
}
