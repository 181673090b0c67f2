using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Tests.Iam;

namespace Ccwb.CloudFormation.Tests;

/// <summary>Who may assume the roles: the stack's own OIDC provider (direct) or the Cognito identity pool.</summary>
public sealed class TrustPolicyTests
{
    [Fact]
    public void Direct_role_trusts_only_the_stacks_oidc_provider_whose_only_audience_is_the_client_id()
    {
        var stack = new StackUnderTest(Examples.Load("okta-direct"));
        var provider = stack.Resolver.Resource("OIDCProvider")["Properties"]!;
        Assert.Equal("https://example-corp.okta.com", provider["Url"]!.GetValue<string>());
        Assert.Equal(["0oa1b2c3d4e5f6g7h8i9"], provider["ClientIdList"]!.AsArray().Select(c => c!.GetValue<string>()));

        var trust = stack.Resolver.Resource("DirectIAMRole")["Properties"]!["AssumeRolePolicyDocument"]!;
        var providerArn = stack.Resolver.PhysicalId("OIDCProvider");
        Assert.True(PolicyEvaluator.IsAllowed(trust, new("sts:AssumeRoleWithWebIdentity", FederatedPrincipal: providerArn)));
        Assert.True(PolicyEvaluator.IsAllowed(trust, new("sts:TagSession", FederatedPrincipal: providerArn)));
        Assert.False(PolicyEvaluator.IsAllowed(trust, new("sts:AssumeRoleWithWebIdentity", FederatedPrincipal: "cognito-identity.amazonaws.com")));
        Assert.False(PolicyEvaluator.IsAllowed(trust, new("sts:AssumeRole", FederatedPrincipal: providerArn)));
        Assert.False(stack.Resolver.Resources().ContainsKey("IdentityPool"));
    }

    [Theory]
    [InlineData("us-east-1", "cognito-identity.amazonaws.com")]
    [InlineData("eu-central-1", "cognito-identity.amazonaws.com")]
    [InlineData("us-gov-west-1", "cognito-identity-us-gov.amazonaws.com")]
    [InlineData("us-gov-east-1", "cognito-identity.us-gov-east-1.amazonaws.com")]
    public void Cognito_role_trusts_the_regions_identity_principal_for_authenticated_identities_of_its_pool(string region, string principal)
    {
        var example = region.StartsWith("us-gov", StringComparison.Ordinal) ? "govcloud" : "entra-cognito";
        var profile = Examples.Load(example) with { FederationType = "cognito" };
        var stack = new StackUnderTest(profile, region);
        var poolId = stack.Resolver.PhysicalId("IdentityPool");
        var trust = JsonNode.Parse(stack.Resolver.Resource("CognitoAuthenticatedRole")["Properties"]!["AssumeRolePolicyDocument"]!.GetValue<string>())!;

        Dictionary<string, string> Claims(string aud, string amr) => new() { [$"{principal}:aud"] = aud, [$"{principal}:amr"] = amr };
        Assert.True(PolicyEvaluator.IsAllowed(trust, new("sts:AssumeRoleWithWebIdentity", Context: Claims(poolId, "authenticated"), FederatedPrincipal: principal)));
        Assert.False(PolicyEvaluator.IsAllowed(trust, new("sts:AssumeRoleWithWebIdentity", Context: Claims(poolId, "unauthenticated"), FederatedPrincipal: principal)));
        Assert.False(PolicyEvaluator.IsAllowed(trust, new("sts:AssumeRoleWithWebIdentity", Context: Claims("us-east-1:other-pool", "authenticated"), FederatedPrincipal: principal)));
        Assert.False(PolicyEvaluator.IsAllowed(trust, new("sts:AssumeRoleWithWebIdentity", Context: Claims(poolId, "authenticated"), FederatedPrincipal: "cognito-identity.example.com")));
    }

    [Fact]
    public void Cognito_user_pool_federates_natively_and_an_external_idp_through_the_oidc_provider()
    {
        var userPool = new StackUnderTest(Examples.Load("cognito-user-pool")).Resolver.Resource("IdentityPool")["Properties"]!;
        Assert.Null(userPool["OpenIdConnectProviderARNs"]);
        Assert.Equal("cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
                     userPool["CognitoIdentityProviders"]![0]!["ProviderName"]!.GetValue<string>());

        var entra = new StackUnderTest(Examples.Load("entra-cognito"));
        var pool = entra.Resolver.Resource("IdentityPool")["Properties"]!;
        Assert.Null(pool["CognitoIdentityProviders"]);
        Assert.Equal(entra.Resolver.PhysicalId("OIDCProvider"), pool["OpenIdConnectProviderARNs"]![0]!.GetValue<string>());
        var tags = entra.Resolver.Resource("IdentityPoolPrincipalTags")["Properties"]!["PrincipalTags"]!;
        Assert.Equal("email", tags["UserEmail"]!.GetValue<string>());
        Assert.Equal("sub", tags["UserId"]!.GetValue<string>());
    }
}
