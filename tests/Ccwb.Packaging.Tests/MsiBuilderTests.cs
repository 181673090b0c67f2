using Ccwb.Packaging.Deb;
using Ccwb.Packaging.Tools;
using Ccwb.Packaging.Windows;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>What MsiBuilder passes to the WiX source, and what it builds from it.</summary>
public class MsiBuilderTests
{
    [Fact]
    public void An_msi_does_not_depend_on_when_or_where_its_inputs_were_copied()
    {
        // The cabinet inside an MSI dates every file: by the files' own times, unless the builder sets them.
        using var temp = new TempDirectory();
        string BuildIn(string name, DateTime inputsWritten)
        {
            var bin = temp.Combine(name, "bin");
            Directory.CreateDirectory(bin);
            foreach (var program in new[] { "credential-process.exe", MsiSpec.FullHelperFileName, MsiSpec.UserSetupFileName, MsiSpec.OtelHelperFileName, MsiSpec.OtelHelperFullFileName })
            {
                File.WriteAllText(Path.Combine(bin, program), program);
                File.SetLastWriteTimeUtc(Path.Combine(bin, program), inputsWritten);
            }
            var spec = new MsiSpec
            {
                Rid = "win-x64",
                Scope = InstallScope.PerUser,
                Version = "1.0.0",
                ProfileName = "p",
                Manufacturer = "M",
                CredentialProcessPath = Path.Combine(bin, "credential-process.exe"),
                AwsProfiles = [new AwsProfile("p", "us-east-1")],
                SourceDirectory = Repo.PathOf("installers", "windows"),
                SourceDateEpoch = 1_700_000_000,
            };
            return new MsiBuilder(KnownTools.Wixl()).Build(spec, temp.Combine(name, "work"), temp.Combine(name, "out"));
        }

        var first = BuildIn("first", new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var second = BuildIn("second", new DateTime(2025, 6, 7, 8, 9, 10, DateTimeKind.Utc));

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void Each_profile_becomes_a_name_region_option_of_the_user_setup_command()
    {
        Assert.Equal("--profile ClaudeCode=us-east-1 --profile eu-team=eu-west-1",
            MsiBuilder.ProfileArguments([new AwsProfile("ClaudeCode", "us-east-1"), new AwsProfile("eu-team", "eu-west-1")]));
    }

    [Theory]
    [InlineData("my profile", "us-east-1")]
    [InlineData("a\"b", "us-east-1")]
    [InlineData("ClaudeCode", "us-east-1 --evil")]
    public void A_name_or_region_that_would_break_the_command_line_is_refused_at_build_time(string name, string region)
    {
        var error = Assert.Throws<PackagingException>(() => MsiBuilder.ProfileArguments([new AwsProfile(name, region)]));
        Assert.Equal($"AWS profile '{name}' (region '{region}') cannot be installed: names and regions may hold only letters, digits and hyphens", error.Message);
    }

    [Theory]
    [InlineData("1.2.3", "1,2,3")]
    [InlineData("2.0.0-rc.1", "2,0,0")]
    public void Active_setup_version_is_the_msi_version_with_commas(string version, string expected)
    {
        var spec = new MsiSpec
        {
            Rid = "win-x64",
            Scope = InstallScope.PerMachine,
            Version = version,
            ProfileName = "p",
            Manufacturer = "M",
            CredentialProcessPath = "/nowhere/credential-process.exe",
            AwsProfiles = [new AwsProfile("p", "us-east-1")],
            SourceDirectory = "/nowhere",
            SourceDateEpoch = 1_700_000_000,
        };
        var defines = MsiBuilder.Defines(spec).ToDictionary(d => d.Name, d => d.Value);
        Assert.Equal(expected, defines["ActiveSetupVersion"]);
        // The same key for every version: an upgrade raises its Version, and Windows sets each user up again.
        Assert.Equal(StableGuid.Msi("claude-code-with-bedrock/perMachine/win-x64/active-setup"), defines["ActiveSetupId"]);
    }
}
