using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>Bad input to the packaging: one clear message, a failing exit code, and nothing half-written.</summary>
public sealed class BadInputTests(PackageFixture package) : IDisposable
{
    private readonly TempDirectory _output = new("ccwb-bad");

    [Fact]
    public void Missing_wixl_is_named_with_how_to_install_it_and_nothing_is_written()
    {
        var binary = package.Manifest.Binaries.Single(b => b.Rid == "win-x64");
        Directory.CreateDirectory(_output.Combine("bin", "win-x64"));
        File.Copy(package.PathOf(binary.Path!), _output.Combine(binary.Path!));
        var before = Files();

        var error = Assert.Throws<PackagingException>(() => ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = _output.Path,
            Version = "1.0.0",
            Commit = "0123456789ab",
            ProfileName = "example",
            DefaultRegion = "us-east-1",
            Binaries = [new PlannedBinary("win-x64", binary.Kind, binary.Path!, null)],
            WriteProfileFiles = _ => throw new InvalidOperationException("must not render before the tools are checked"),
            WriteCloudFormation = _ => [],
            InstallersDirectory = Repo.PathOf("installers"),
            SourceDateEpoch = 1_700_000_000,
            WixlPath = "/opt/msitools/bin/wixl",
        }));

        Assert.Equal("wixl not found at /opt/msitools/bin/wixl: install it with 'apt-get install wixl' (Debian/Ubuntu), or run build/install-prerequisites.sh", error.Message);
        Assert.Equal(before, Files());
    }

    [Fact]
    public void A_failure_midway_leaves_the_previous_release_untouched()
    {
        var binary = package.Manifest.Binaries.Single(b => b.Rid == "linux-x64");
        Directory.CreateDirectory(_output.Combine("bin", "linux-x64"));
        File.Copy(package.PathOf(binary.Path!), _output.Combine(binary.Path!));
        File.WriteAllText(_output.Combine(ManifestJson.FileName), "{\"previous\": true}\n");
        using var emptyInstallers = new TempDirectory("ccwb-no-templates");
        var before = Files();

        var error = Assert.Throws<PackagingException>(() => ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = _output.Path,
            Version = "1.0.0",
            Commit = "0123456789ab",
            ProfileName = "example",
            DefaultRegion = "us-east-1",
            Binaries = [new PlannedBinary("linux-x64", binary.Kind, binary.Path!, null)],
            WriteProfileFiles = dir => { File.WriteAllText(Path.Combine(dir, "config.json"), "{}"); return ["config.json"]; },
            WriteCloudFormation = _ => [],
            // The deb templates are missing: the failure comes after rendering, while building the deb.
            InstallersDirectory = emptyInstallers.Path,
            SourceDateEpoch = 1_700_000_000,
        }));

        Assert.StartsWith("Installer template missing: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Files());
    }

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

    private SortedDictionary<string, string> Files() =>
        new(Directory.EnumerateFiles(_output.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_output.Path, f), ManifestBuilder.Sha256Of), StringComparer.Ordinal);

    public void Dispose() => _output.Dispose();
}
