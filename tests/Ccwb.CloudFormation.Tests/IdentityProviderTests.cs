using Ccwb.CloudFormation.Planning;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Tests;

/// <summary>Issuer URLs and provider values as each identity provider puts them in its tokens.</summary>
public sealed class IdentityProviderTests
{
    private static Dictionary<string, string> AuthParameters(DeploymentProfile profile) =>
        DeployPlanner.Plan(profile).Stacks.Single(s => s.Kind == "auth").Parameters.ToDictionary(p => p.Key, p => p.Value);

    [Theory]
    [InlineData("https://example-corp.okta.com/", "", "https://example-corp.okta.com")]
    [InlineData("example-corp.okta.com", "default", "https://example-corp.okta.com/oauth2/default")]
    [InlineData("login.example.com", "aus1abc", "https://login.example.com/oauth2/aus1abc")]
    public void Okta_issuer_is_the_org_or_the_named_authorization_server(string domain, string server, string issuer) =>
        Assert.Equal(issuer, AuthParameters(Examples.Load("okta-direct") with { ProviderDomain = domain, OktaAuthServer = server })["OidcIssuerUrl"]);

    [Fact]
    public void Auth0_issuer_keeps_the_trailing_slash_its_tokens_carry() =>
        Assert.Equal("https://example-corp.us.auth0.com/", AuthParameters(Examples.Load("auth0") with { ProviderDomain = "https://example-corp.us.auth0.com" })["OidcIssuerUrl"]);

    [Theory]
    [InlineData("login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0")]
    [InlineData("https://sts.windows.net/11111111-2222-3333-4444-555555555555/")]
    [InlineData("11111111-2222-3333-4444-555555555555")]
    public void Azure_tenant_is_the_first_guid_in_the_domain_and_the_issuer_is_v2(string domain) =>
        Assert.Equal("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
                     AuthParameters(Examples.Load("entra-cognito") with { ProviderDomain = domain })["OidcIssuerUrl"]);

    [Fact]
    public void Cognito_issuer_takes_its_region_from_the_pool_id_not_the_deployment_region()
    {
        var values = AuthParameters(Examples.Load("cognito-user-pool") with { CognitoUserPoolId = "us-west-2_XyZ987", AwsRegion = "us-east-1" });
        Assert.Equal("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_XyZ987", values["OidcIssuerUrl"]);
        Assert.Equal("us-west-2_XyZ987", values["CognitoUserPoolId"]);
    }

    [Fact]
    public void Upstream_defect_govcloud_cognito_pool_ids_are_accepted()
    {
        var values = AuthParameters(Examples.Load("govcloud"));
        Assert.Equal("https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbCdEf123", values["OidcIssuerUrl"]);
    }

    [Fact]
    public void Generic_thumbprint_is_forty_lowercase_hex_without_colons()
    {
        var colons = string.Join(':', Enumerable.Range(0, 20).Select(i => "9E"));
        var values = AuthParameters(Examples.Load("generic-oidc") with { OidcThumbprint = colons, OidcIssuerUrl = "https://sso.example.com/" });
        Assert.Equal(string.Concat(Enumerable.Repeat("9e", 20)), values["OidcThumbprint"]);
        Assert.Equal("https://sso.example.com", values["OidcIssuerUrl"]);
    }

    [Fact]
    public void Generic_without_thumbprint_is_refused_by_the_profile_rules_as_upstreams_deploy_refuses_it()
    {
        var error = Assert.Throws<ProfileFindingsException>(() => DeployPlanner.Plan(Examples.Load("generic-oidc") with { OidcThumbprint = null }));
        Assert.Equal("oidc_thumbprint: oidc_thumbprint is required when provider_type is 'generic'", Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public void Google_issuer_is_accounts_google_com() =>
        Assert.Equal("https://accounts.google.com", AuthParameters(Examples.Load("google"))["OidcIssuerUrl"]);
}
