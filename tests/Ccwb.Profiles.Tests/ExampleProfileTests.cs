using Ccwb.Profiles.Validation;
using Ccwb.Testing;

namespace Ccwb.Profiles.Tests;

public class ExampleProfileTests
{
    [Theory]
    [MemberData(nameof(Examples.All), MemberType = typeof(Examples))]
    public void Example_has_no_errors_and_its_warnings_are_the_reviewed_ones(string name)
    {
        var result = ProfileLoader.LoadFile(Examples.PathOf(name));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var report = string.Concat(result.Warnings.Select(w => $"warning: {w}\n"));
        Snapshot.Verify(report.Length == 0 ? "(no warnings)\n" : report, "txt", name);
    }

    [Fact]
    public void Examples_cover_every_sign_in_setup_the_toolkit_supports()
    {
        var setups = Examples.Names.Select(Examples.Load)
            .Select(p => p.EffectiveAuthType == "oidc" ? $"oidc/{p.ProviderType}/{p.FederationType}" : p.EffectiveAuthType)
            .ToHashSet();

        string[] expected =
        [
            "oidc/okta/direct", "oidc/azure/cognito", "oidc/auth0/direct", "oidc/google/direct", "oidc/generic/direct",
            "oidc/cognito/cognito", "idc", "none",
        ];
        Assert.All(expected, setup => Assert.Contains(setup, setups));
        Assert.Contains(Examples.Names.Select(Examples.Load), p => p.AwsRegion == "us-gov-west-1");
        Assert.NotNull(Examples.Load("google").ClientSecret);
    }

    [Fact]
    public void Default_example_is_okta_with_direct_federation()
    {
        var profile = Examples.Load("okta-direct");
        Assert.Equal(("oidc", "okta", "direct"), (profile.EffectiveAuthType, profile.ProviderType, profile.FederationType));
    }

    [Fact]
    public void Example_file_names_match_profile_names()
    {
        foreach (var name in Examples.Names) Assert.Equal(name, Examples.Load(name).Name);
    }

    [Fact]
    public void Examples_validate_the_same_after_a_save()
    {
        // Defaults filled in on load must not change what validation says once they are written out.
        foreach (var name in Examples.Names)
        {
            var profile = Examples.Load(name);
            var again = ProfileLoader.Parse(ProfileJson.Serialize(profile));
            Assert.Equal(ProfileValidator.Validate(profile), again.Messages);
        }
    }
}
