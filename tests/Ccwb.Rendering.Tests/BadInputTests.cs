using Ccwb.Profiles;
using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

/// <summary>A profile missing what a file needs: a message naming the field, and nothing written.</summary>
public class BadInputTests
{
    public static TheoryData<string, string, string> MissingFields => new()
    {
        // profile, field removed, field named in the message
        { "okta-direct", "organization_identifier", "organization_identifier" },
        { "okta-direct", "organization_name", "organization_name" },
        { "okta-direct", "otel_collector_endpoint", "otel_collector_endpoint" },
        { "okta-direct", "federated_role_arn", "federated_role_arn" },
        { "okta-direct", "client_id", "client_id" },
        { "cognito-user-pool", "identity_pool_id", "identity_pool_id" },
        { "idc", "idc_start_url", "idc_start_url" },
        { "websearch-everything", "websearch_gateway_url", "websearch_gateway_url" },
    };

    [Theory, MemberData(nameof(MissingFields))]
    public void Missing_field_is_named_and_no_output_folder_is_left_behind(string profile, string remove, string field)
    {
        using var dir = new TempDirectory();
        var broken = Without(profile, remove, dir);
        var output = dir.Combine("out");
        var e = Assert.Throws<ProfileFindingsException>(() => ProfileArtifacts.Write(broken, output, ExampleProfiles.Options));
        // "is required: why" from the output's rule, or the profile rule's own message when that one reports the field.
        Assert.Contains(e.Errors, p => p.Field == field && p.Message.Contains("require", StringComparison.Ordinal));
        Assert.Contains($"{field}: ", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.Equal(["profile.json"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Organization_identifier_must_be_reverse_dns()
    {
        var profile = ExampleProfiles.Load("okta-direct") with { OrganizationIdentifier = "Example Corp" };
        var e = Assert.Throws<ProfileFindingsException>(() => CoworkFiles.Render(profile, CoworkFormats.Mobileconfig, ExampleProfiles.Options, false));
        Assert.Equal("organization_identifier", Assert.Single(e.Errors).Field);
        Assert.Contains("reverse-DNS", e.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_hive_must_be_HKCU_or_HKLM_for_the_windows_formats_only()
    {
        var profile = ExampleProfiles.Load("okta-direct") with { CoworkRegistryHive = "HKEY_USERS" };
        var e = Assert.Throws<ProfileFindingsException>(() => CoworkFiles.Render(profile, CoworkFormats.Reg, ExampleProfiles.Options, false));
        Assert.Equal("cowork_registry_hive", Assert.Single(e.Errors).Field);
        Assert.Single(CoworkFiles.Render(profile, CoworkFormats.Json, ExampleProfiles.Options, false));
    }

    [Fact]
    public void Mobileconfig_needs_the_organisation_but_the_json_alone_does_not()
    {
        var profile = ExampleProfiles.Load("okta-direct") with { OrganizationIdentifier = null, OrganizationName = null };
        var e = Assert.Throws<ProfileFindingsException>(() => CoworkFiles.Render(profile, CoworkFormats.All, ExampleProfiles.Options, false));
        Assert.Equal(["organization_identifier", "organization_name"], e.Errors.Select(p => p.Field));
        Assert.Single(CoworkFiles.Render(profile, CoworkFormats.Json, ExampleProfiles.Options, false));
    }

    [Fact]
    public void A_name_outside_upstreams_alphabet_is_rejected_because_scripts_embed_it()
    {
        var profile = ExampleProfiles.Load("okta-direct") with { Name = "bad name; rm -rf" };
        var e = Assert.Throws<ProfileFindingsException>(() => PackageFiles.Render(profile, ExampleProfiles.Options));
        Assert.Contains(e.Errors, p => p.Field == "name");
    }

    [Fact]
    public void Existing_output_folder_keeps_its_other_files_and_gets_ours_replaced()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "credential-process-linux-x64"), "binary");
        File.WriteAllText(Path.Combine(output, "config.json"), "old");
        var written = ProfileArtifacts.Write(ExampleProfiles.Load("okta-direct"), output, ExampleProfiles.Options);
        Assert.Equal("binary", File.ReadAllText(Path.Combine(output, "credential-process-linux-x64")));
        Assert.Equal(ExampleProfiles.Text("okta-direct", "config.json"), File.ReadAllText(Path.Combine(output, "config.json")));
        Assert.Equal(written.Order(StringComparer.Ordinal),
            Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f).Replace('\\', '/'))
                .Where(f => f != "credential-process-linux-x64").Order(StringComparer.Ordinal));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path)); // no staging folder left
    }

    [Fact]
    public void A_write_that_fails_half_way_leaves_neither_the_output_folder_nor_its_staging_folder()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out");
        // The second file needs "config.json" to be a folder after the first wrote it as a file: an I/O failure
        // after something has already been written.
        GeneratedFile[] files = [GeneratedFile.Text("config.json", "{}"), GeneratedFile.Text("config.json/nested.txt", "x")];
        Assert.ThrowsAny<IOException>(() => OutputFolder.Write(files, output));
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    /// <summary>The example with one key removed from its JSON, loaded the way the build loads profiles.</summary>
    private static DeploymentProfile Without(string profile, string key, TempDirectory dir)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ExampleProfiles.PathOf(profile)))!.AsObject();
        Assert.True(json.Remove(key), $"{profile} has no {key}");
        var path = dir.Combine("profile.json");
        File.WriteAllText(path, json.ToJsonString());
        var loaded = ProfileLoader.LoadFile(path);
        Assert.NotNull(loaded.Profile);
        return loaded.Profile!;
    }
}
