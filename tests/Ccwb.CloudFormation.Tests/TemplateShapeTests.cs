using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Templates;
using Ccwb.CloudFormation.Tests.Iam;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Tests;

/// <summary>Properties of the created resources that upstream got wrong or that the issue requires.</summary>
public sealed class TemplateShapeTests
{
    private static string RoleName(DeploymentProfile profile) =>
        new StackUnderTest(profile).Resolver.Resource("DirectIAMRole")["Properties"]!["RoleName"]!.GetValue<string>();

    [Fact]
    public void Upstream_defect_two_profiles_with_one_provider_in_one_account_get_distinct_role_names()
    {
        var first = RoleName(Examples.Load("okta-direct") with { IdentityPoolName = "team-a", StackNames = new Dictionary<string, string>() });
        var second = RoleName(Examples.Load("okta-direct") with { IdentityPoolName = "team-b", StackNames = new Dictionary<string, string>() });
        Assert.Equal("team-a-stack-BedrockFederated", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Upstream_defect_distribution_bucket_name_is_left_to_cloudformation_so_the_base_name_needs_no_s3_rules()
    {
        var bucket = Resolve(TemplateLibrary.DistributionBucket, "us-east-1").Resource("DistributionBucket");
        Assert.Null(bucket["Properties"]!["BucketName"]);
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("us-gov-west-1")]
    public void Distribution_bucket_is_versioned_encrypted_private_https_only_and_expires_replaced_versions(string region)
    {
        var resolver = Resolve(TemplateLibrary.DistributionBucket, region);
        var bucket = resolver.Resource("DistributionBucket")["Properties"]!;
        Assert.Equal("Enabled", bucket["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.Equal("AES256", bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.Equal(4, block.Count);
        Assert.All(block, b => Assert.Equal("true", b.Value!.GetValue<string>()));
        var rules = bucket["LifecycleConfiguration"]!["Rules"]!.AsArray();
        Assert.Contains(rules, r => r!["NoncurrentVersionExpiration"]?["NoncurrentDays"]?.GetValue<string>() == "30");

        // The bucket policy next to an allow-everything grant: its Deny must still refuse plain HTTP, and only that.
        var policy = resolver.Resource("DistributionBucketPolicy")["Properties"]!["PolicyDocument"]!.DeepClone();
        policy["Statement"]!.AsArray().Add(new JsonObject { ["Effect"] = "Allow", ["Action"] = "s3:*", ["Resource"] = "*" });
        var objectArn = $"arn:{resolver.Partition}:s3:::DistributionBucket-physical-id/claude-code.msi";
        Dictionary<string, string> Transport(string secure) => new() { ["aws:SecureTransport"] = secure };
        Assert.False(PolicyEvaluator.IsAllowed(policy, new("s3:GetObject", objectArn, Transport("false"))));
        Assert.True(PolicyEvaluator.IsAllowed(policy, new("s3:GetObject", objectArn, Transport("true"))));
        Assert.True(PolicyEvaluator.IsAllowed(policy, new("s3:GetObject", $"arn:{resolver.Partition}:s3:::another-bucket/x", Transport("false"))));
    }

    [Fact]
    public void Auth_outputs_keep_upstreams_names_for_tools_that_read_upstream_stacks()
    {
        var outputs = TemplateLibrary.Get(TemplateLibrary.AuthOidc).Outputs;
        foreach (var name in (string[])["FederationType", "DirectSTSRoleArn", "IdentityPoolId", "OIDCProviderArn", "BedrockPolicyArn", "FederatedRoleArn", "BedrockRoleArn"])
            Assert.Contains(name, outputs);
        Assert.Contains("DistributionBucket", TemplateLibrary.Get(TemplateLibrary.DistributionBucket).Outputs);
        Assert.Contains("PolicyArn", TemplateLibrary.Get(TemplateLibrary.AuthIdc).Outputs);
    }

    private static TemplateResolver Resolve(string template, string region) =>
        new(TemplateLibrary.Get(template).Document, new Dictionary<string, string>(), region, "acme-distribution");
}
