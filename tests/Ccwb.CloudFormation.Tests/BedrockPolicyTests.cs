using Ccwb.Bedrock;
using Ccwb.CloudFormation.Tests.Iam;

namespace Ccwb.CloudFormation.Tests;

/// <summary>The rendered Bedrock policy, evaluated as IAM would, for allowed and denied (region, model) pairs.</summary>
public sealed class BedrockPolicyTests
{
    public static TheoryData<string> ExamplesWithAuth()
    {
        var data = new TheoryData<string>();
        foreach (var name in Examples.Names.Where(n => Examples.Load(n).EffectiveAuthType != "none")) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ExamplesWithAuth))]
    public void Invoke_is_granted_exactly_for_selected_models_in_allowed_regions(string example)
    {
        var stack = new StackUnderTest(Examples.Load(example));
        var partition = AwsPartitions.ForRegion(stack.Stack.Region);
        var checkedPairs = 0;
        foreach (var region in AwsRegions.All)
            foreach (var (model, profile) in ModelCatalogue.Models.SelectMany(m => m.Profiles.Select(p => (m, p))))
            {
                var expected = stack.AllowedRegions.Contains(region) && stack.SelectedModels.Contains(profile.ModelId);
                Assert.True(expected == stack.MayInvoke(region, stack.InferenceProfileArn(region, profile.ModelId)),
                            $"{example}: {profile.ModelId} from {region} should be {(expected ? "allowed" : "denied")}");
                Assert.True(expected == stack.MayInvoke(region, stack.InferenceProfileArn(region, profile.ModelId), "bedrock:InvokeModelWithResponseStream"));

                var selectedBase = stack.SelectedModels.Select(id => ModelCatalogue.FindByModelId(id)!.Value.Model.BaseModelId);
                var fmExpected = stack.AllowedRegions.Contains(region) && selectedBase.Contains(model.BaseModelId);
                Assert.True(fmExpected == stack.MayInvoke(region, stack.FoundationModelArn(region, model.BaseModelId)),
                            $"{example}: foundation model {model.BaseModelId} from {region}");
                checkedPairs++;
            }
        Assert.True(checkedPairs > 1000);
        Assert.Contains(stack.AllowedRegions, r => AwsPartitions.ForRegion(r) == partition);
    }

    [Fact]
    public void Okta_example_allows_us_sonnet_from_us_east_1_and_denies_other_regions_models_and_accounts()
    {
        var stack = new StackUnderTest(Examples.Load("okta-direct"));
        Assert.True(stack.MayInvoke("us-east-1", stack.InferenceProfileArn("us-east-1", "us.anthropic.claude-sonnet-4-6")));
        Assert.True(stack.MayInvoke("us-west-2", stack.FoundationModelArn("us-west-2", "anthropic.claude-sonnet-4-6")));
        Assert.False(stack.MayInvoke("eu-west-1", stack.InferenceProfileArn("eu-west-1", "us.anthropic.claude-sonnet-4-6")));
        Assert.False(stack.MayInvoke("us-east-1", stack.InferenceProfileArn("us-east-1", "us.anthropic.claude-opus-4-1-20250805-v1:0")));
        Assert.False(stack.MayInvoke("us-east-1", stack.InferenceProfileArn("us-east-1", "eu.anthropic.claude-sonnet-4-6")));
        Assert.False(stack.MayInvoke("us-east-1", stack.InferenceProfileArn("us-east-1", "us.anthropic.claude-sonnet-4-6", account: "210987654321")));
        Assert.False(stack.MayInvoke("us-east-1", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0"));
        Assert.False(stack.MayInvoke("us-east-1", "*", "bedrock:CreateModelCustomizationJob"));
        Assert.True(stack.MayInvoke("us-east-1", "*", "bedrock:ListInferenceProfiles"));
        Assert.False(stack.MayInvoke("eu-west-1", "*", "bedrock:ListInferenceProfiles"));
    }

    [Fact]
    public void GovCloud_policy_uses_the_aws_us_gov_partition_and_denies_commercial_arns()
    {
        var stack = new StackUnderTest(Examples.Load("govcloud"));
        Assert.Equal("aws-us-gov", stack.Resolver.Partition);
        var modelId = "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0";
        Assert.True(stack.MayInvoke("us-gov-west-1", stack.InferenceProfileArn("us-gov-west-1", modelId)));
        Assert.True(stack.MayInvoke("us-gov-east-1", stack.FoundationModelArn("us-gov-east-1", "anthropic.claude-sonnet-4-5-20250929-v1:0")));
        Assert.False(stack.MayInvoke("us-gov-west-1", $"arn:aws:bedrock:us-gov-west-1:{TemplateResolver.AccountId}:inference-profile/{modelId}"));
        Assert.False(stack.MayInvoke("us-east-1", stack.InferenceProfileArn("us-east-1", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")));
    }

    [Fact]
    public void Upstream_defect_790_all_commercial_sentinel_never_reaches_the_region_condition()
    {
        var stack = new StackUnderTest(Examples.Load("auth0"));
        Assert.Contains("all-commercial", Examples.Load("auth0").AllowedBedrockRegions);
        Assert.DoesNotContain(stack.AllowedRegions, BedrockRegions.IsSentinel);
        Assert.Equal(BedrockRegions.Commercial, stack.AllowedRegions);
        Assert.True(stack.MayInvoke("us-west-2", stack.InferenceProfileArn("us-west-2", "global.anthropic.claude-sonnet-4-6")));
        // Global profiles are authorised against the region-less foundation model ARN as well.
        Assert.True(stack.MayInvoke("us-west-2", "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6"));
        Assert.False(stack.MayInvoke("us-west-2", "arn:aws:bedrock:::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0"));
    }

    [Fact]
    public void Upstream_gap_source_region_missing_from_destinations_is_still_allowed()
    {
        // The us profile of Sonnet 4.6 is served without us-west-1, but callers may send from us-west-1.
        var profile = Examples.Load("okta-direct") with
        {
            AllowedBedrockRegions = [],
            SelectedSourceRegion = "us-west-1",
        };
        var stack = new StackUnderTest(profile);
        Assert.DoesNotContain("us-west-1", ModelCatalogue.FindByModelId("us.anthropic.claude-sonnet-4-6")!.Value.Profile.DestinationRegions);
        Assert.Contains("us-west-1", stack.AllowedRegions);
        Assert.True(stack.MayInvoke("us-west-1", stack.InferenceProfileArn("us-west-1", "us.anthropic.claude-sonnet-4-6")));
    }

    [Fact]
    public void Global_source_region_outside_all_commercial_is_added_to_the_allowed_regions()
    {
        var profile = Examples.Load("auth0") with { SelectedSourceRegion = "mx-central-1", AwsRegion = "mx-central-1" };
        var stack = new StackUnderTest(profile);
        Assert.Contains("mx-central-1", stack.AllowedRegions);
        Assert.Contains("us-east-1", stack.AllowedRegions);
    }

    [Fact]
    public void Monitoring_permission_is_present_only_when_monitoring_is_enabled()
    {
        var on = new StackUnderTest(Examples.Load("okta-direct"));
        var off = new StackUnderTest(Examples.Load("okta-direct") with { MonitoringEnabled = false });
        var metrics = new PolicyEvaluator.Request("cloudwatch:PutMetricData", "*", new Dictionary<string, string> { ["cloudwatch:namespace"] = "ClaudeCode" });
        Assert.True(PolicyEvaluator.IsAllowed(on.BedrockPolicy, metrics));
        Assert.False(PolicyEvaluator.IsAllowed(off.BedrockPolicy, metrics));
    }

    [Fact]
    public void Application_inference_profiles_of_the_profile_are_invokable_in_their_region_only()
    {
        const string opus = "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/opus-team";
        const string haiku = "arn:aws:bedrock:ca-central-1:123456789012:application-inference-profile/haiku-team";
        var stack = new StackUnderTest(Examples.Load("okta-direct") with { InferenceProfileOpusArn = opus, InferenceProfileHaikuArn = haiku });

        Assert.True(stack.MayInvoke("us-east-2", opus));
        Assert.True(stack.MayInvoke("ca-central-1", haiku));
        Assert.Contains("ca-central-1", stack.AllowedRegions);
        Assert.False(stack.MayInvoke("eu-west-1", opus));
        Assert.False(stack.MayInvoke("us-east-2", "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/someone-else"));

        var without = new StackUnderTest(Examples.Load("okta-direct"));
        Assert.False(without.MayInvoke("us-east-2", opus));
    }
}
