using Ccwb.Profiles.Validation;

namespace Ccwb.Profiles.Tests;

/// <summary>Upstream rejected valid GovCloud settings; each fix is named here.</summary>
public class GovCloudTests
{
    private static DeploymentProfile Gov => Examples.Load("govcloud");

    private static IEnumerable<string> Findings(DeploymentProfile profile) => ProfileValidator.Validate(profile).Select(m => m.ToString());

    [Fact]
    public void GovCloud_example_validates_clean()
    {
        Assert.Empty(Findings(Gov));
    }

    [Theory]
    [InlineData("us-gov-west-1")]
    [InlineData("us-gov-east-1")]
    public void Fix_GovCloud_aws_region_is_accepted_where_upstream_said_invalid_aws_region(string region)
    {
        Assert.DoesNotContain(Findings(Gov with { AwsRegion = region, AllowedBedrockRegions = [region] }), f => f.StartsWith("aws_region", StringComparison.Ordinal));
    }

    [Fact]
    public void Fix_GovCloud_Bedrock_regions_are_not_reported_as_unknown()
    {
        Assert.DoesNotContain(Findings(Gov with { AllowedBedrockRegions = ["us-gov-west-1", "us-gov-east-1"] }),
            f => f.StartsWith("allowed_bedrock_regions", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("us-gov-west-1_AbC123")]
    [InlineData("us-gov-east-1_Z9")]
    public void Fix_GovCloud_Cognito_user_pool_id_is_accepted(string poolId)
    {
        Assert.DoesNotContain(Findings(Gov with { CognitoUserPoolId = poolId }), f => f.StartsWith("cognito_user_pool_id", StringComparison.Ordinal));
    }

    [Fact]
    public void Fix_aws_us_gov_role_arn_is_accepted_and_must_match_the_region_partition()
    {
        Assert.DoesNotContain(Findings(Gov), f => f.StartsWith("federated_role_arn", StringComparison.Ordinal));
        Assert.Contains("federated_role_arn: is in partition 'aws' but aws_region us-gov-west-1 is in 'aws-us-gov'",
            Findings(Gov with { FederatedRoleArn = "arn:aws:iam::123456789012:role/x" }));
    }

    [Fact]
    public void Fix_us_gov_and_au_and_jp_cross_region_profiles_are_not_warned_about_as_upstream_did()
    {
        Assert.DoesNotContain(Findings(Gov), f => f.StartsWith("cross_region_profile", StringComparison.Ordinal));
        var okta = Examples.Load("okta-direct");
        foreach (var key in new[] { "au", "jp" })
            Assert.DoesNotContain(Findings(okta with { CrossRegionProfile = key }), f => f.StartsWith("cross_region_profile", StringComparison.Ordinal));
    }

    [Fact]
    public void Fix_GovCloud_application_inference_profile_arn_is_accepted()
    {
        var profile = Gov with { InferenceProfileSonnetArn = "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/abc" };
        Assert.Empty(Findings(profile));
    }
}

public class FederationTests
{
    [Fact]
    public void Fix_direct_federation_without_role_arn_is_a_warning_before_first_deploy_not_an_error()
    {
        var result = ProfileValidator.Validate(Examples.Load("okta-direct") with { FederatedRoleArn = null });

        var finding = Assert.Single(result, m => m.Field == "federated_role_arn");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.DoesNotContain(result, m => m.Severity == Severity.Error);
    }

    [Fact]
    public void Cognito_federation_does_not_need_a_role_arn()
    {
        Assert.DoesNotContain(ProfileValidator.Validate(Examples.Load("entra-cognito") with { FederatedRoleArn = null }),
            m => m.Field == "federated_role_arn");
    }

    [Fact]
    public void Fix_max_session_duration_outside_the_IAM_range_is_an_error_where_upstream_only_warned()
    {
        var finding = Assert.Single(ProfileValidator.Validate(Examples.Load("okta-direct") with { MaxSessionDuration = 50000 }),
            m => m.Field == "max_session_duration");
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Fix_cost_quota_with_zero_token_limits_is_valid_where_upstream_rejected_it()
    {
        var profile = Examples.Load("okta-direct") with
        {
            QuotaMonitoringEnabled = true, QuotaLimitType = "cost", MonthlyCostLimitUsd = 50, MonthlyTokenLimit = 0,
            WarningThreshold80 = 0, WarningThreshold90 = 0, DailyTokenLimit = 0,
        };
        Assert.Empty(ProfileValidator.Validate(profile));
    }

    [Fact]
    public void Fix_bootstrap_delivery_with_Identity_Center_is_rejected_where_upstream_checked_a_field_that_does_not_exist()
    {
        var finding = Assert.Single(ProfileValidator.Validate(Examples.Load("idc") with { CoworkConfigDelivery = "bootstrap-oidc-bearer" }),
            m => m.Field == "cowork_config_delivery");
        Assert.Equal(Severity.Error, finding.Severity);
    }
}
