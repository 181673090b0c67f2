using Ccwb.Packaging.Deb;
using Ccwb.Packaging.Windows;

namespace Ccwb.Packaging.Tests;

/// <summary>What MsiBuilder passes to the WiX source, without building an MSI.</summary>
public class MsiBuilderTests
{
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
