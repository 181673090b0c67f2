using Ccwb.Packaging.Deb;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>The AWS profiles the installers write, taken from the rendered config.json.</summary>
public sealed class AwsProfilesTests : IDisposable
{
    private readonly TempDirectory _directory = new("ccwb-profiles");

    [Fact]
    public void One_profile_per_config_key_with_its_own_region_or_the_default()
    {
        var config = _directory.Combine("config.json");
        File.WriteAllText(config, """{"ClaudeCode": {"aws_region": "eu-west-1"}, "Sandbox": {"provider_domain": "x"}}""");
        Assert.Equal<AwsProfile>([new AwsProfile("ClaudeCode", "eu-west-1"), new AwsProfile("Sandbox", "us-east-2")],
            ReleasePackager.AwsProfilesFrom(config, "us-east-2"));
    }

    [Fact]
    public void Without_a_config_json_or_with_an_empty_one_the_ClaudeCode_profile_gets_the_default_region()
    {
        var empty = _directory.Combine("config.json");
        File.WriteAllText(empty, "{}");
        Assert.Equal<AwsProfile>([new AwsProfile("ClaudeCode", "us-east-2")], ReleasePackager.AwsProfilesFrom(null, "us-east-2"));
        Assert.Equal<AwsProfile>([new AwsProfile("ClaudeCode", "us-east-2")], ReleasePackager.AwsProfilesFrom(empty, "us-east-2"));
    }

    public void Dispose() => _directory.Dispose();
}
