using Ccwb.Credentials.Config;
using Ccwb.Credentials.Oidc;

namespace Ccwb.Credentials.Tests.Unit;

public class ProviderCatalogTests
{
    [Theory]
    [InlineData("dev-123.okta.com", ProviderKind.Okta)]
    [InlineData("okta.com", ProviderKind.Okta)]
    [InlineData("acme.oktapreview.com", ProviderKind.Okta)]
    [InlineData("acme.okta-emea.com", ProviderKind.Okta)]
    [InlineData("evilokta.com", ProviderKind.Unknown)]
    [InlineData("acme.eu.auth0.com", ProviderKind.Auth0)]
    [InlineData("login.microsoftonline.com/tenant/v2.0", ProviderKind.Azure)]
    [InlineData("sts.windows.net/tenant", ProviderKind.Azure)]
    [InlineData("acme.auth.us-east-1.amazoncognito.com", ProviderKind.Cognito)]
    [InlineData("cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", ProviderKind.Cognito)]
    [InlineData("accounts.google.com", ProviderKind.Google)]
    [InlineData("accounts.google.com.evil", ProviderKind.Unknown)]
    [InlineData("https://DEV-1.OKTA.COM/", ProviderKind.Okta)]
    [InlineData("", ProviderKind.Unknown)]
    public void Provider_is_detected_from_the_domain_with_leading_dot_suffixes(string domain, ProviderKind expected) =>
        Assert.Equal(expected, ProviderDetector.Detect("auto", domain));

    [Fact]
    public void Explicit_known_provider_type_wins_and_unknown_types_fall_back_to_detection()
    {
        Assert.Equal(ProviderKind.Generic, ProviderDetector.Detect("generic", "dev-1.okta.com"));
        Assert.Equal(ProviderKind.Okta, ProviderDetector.Detect("something", "dev-1.okta.com"));
    }

    private static ProfileConfig Config(string domain, string server = "") => new() { Name = "P", ProviderDomain = domain, ClientId = "c", OktaAuthServerId = server };

    [Theory]
    [InlineData(ProviderKind.Okta, "dev-1.okta.com", "", "https://dev-1.okta.com/oauth2/v1/authorize", "https://dev-1.okta.com/oauth2/v1/token")]
    [InlineData(ProviderKind.Okta, "dev-1.okta.com", "default", "https://dev-1.okta.com/oauth2/default/v1/authorize", "https://dev-1.okta.com/oauth2/default/v1/token")]
    [InlineData(ProviderKind.Auth0, "acme.auth0.com/", "aus", "https://acme.auth0.com/authorize", "https://acme.auth0.com/oauth/token")]
    [InlineData(ProviderKind.Azure, "login.microsoftonline.com/t1/v2.0", "", "https://login.microsoftonline.com/t1/oauth2/v2.0/authorize", "https://login.microsoftonline.com/t1/oauth2/v2.0/token")]
    [InlineData(ProviderKind.Azure, "login.microsoftonline.com/t1", "", "https://login.microsoftonline.com/t1/oauth2/v2.0/authorize", "https://login.microsoftonline.com/t1/oauth2/v2.0/token")]
    [InlineData(ProviderKind.Cognito, "acme.auth.eu-west-1.amazoncognito.com", "", "https://acme.auth.eu-west-1.amazoncognito.com/oauth2/authorize", "https://acme.auth.eu-west-1.amazoncognito.com/oauth2/token")]
    [InlineData(ProviderKind.Google, "accounts.google.com", "", "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token")]
    public void Endpoints_per_provider_with_the_azure_v2_suffix_fixed(ProviderKind kind, string domain, string server, string authorize, string token)
    {
        var endpoints = ProviderCatalog.For(Config(domain, server), kind);
        Assert.Equal(authorize, endpoints.AuthorizeUrl);
        Assert.Equal(token, endpoints.TokenUrl);
        Assert.DoesNotContain("/v2.0/oauth2/", endpoints.TokenUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Issuers_are_recognised_per_provider()
    {
        Assert.True(ProviderCatalog.For(Config("dev-1.okta.com", "default"), ProviderKind.Okta).IssuerMatches("https://dev-1.okta.com/oauth2/default"));
        Assert.False(ProviderCatalog.For(Config("dev-1.okta.com"), ProviderKind.Okta).IssuerMatches("https://dev-1.okta.com/oauth2/default"));
        Assert.True(ProviderCatalog.For(Config("acme.auth0.com"), ProviderKind.Auth0).IssuerMatches("https://acme.auth0.com/"));
        var common = ProviderCatalog.For(Config("login.microsoftonline.com/common/v2.0"), ProviderKind.Azure);
        Assert.True(common.IssuerMatches("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"));
        Assert.False(common.IssuerMatches("https://login.microsoftonline.com.evil/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"));
        var cognito = ProviderCatalog.For(Config("acme.auth.us-east-1.amazoncognito.com") with { CognitoUserPoolId = "us-east-1_AbC" }, ProviderKind.Cognito);
        Assert.True(cognito.IssuerMatches("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"));
        Assert.False(cognito.IssuerMatches("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"));
        Assert.False(cognito.IssuerMatches("https://cognito-idp.us-east-1.amazonaws.com.evil.net/us-east-1_AbC"));
        var anyPool = ProviderCatalog.For(Config("acme.auth.us-east-1.amazoncognito.com"), ProviderKind.Cognito);
        Assert.True(anyPool.IssuerMatches("https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Xyz"));
        Assert.False(anyPool.IssuerMatches("https://attacker.example/us-east-1_AbC"));
    }

    [Fact]
    public void The_Cognito_issuer_is_pinned_to_the_cognito_idp_host_of_the_pools_region()
    {
        var cognito = ProviderCatalog.For(Config("acme.auth.us-east-1.amazoncognito.com") with { CognitoUserPoolId = "us-east-1_AbC" }, ProviderKind.Cognito);
        Assert.False(cognito.IssuerMatches("https://cognito-idp.us-east-1.amazonaws.com.cn/us-east-1_AbC"));
        Assert.False(cognito.IssuerMatches("https://cognito-idp.us-east-1.amazonaws.com:8443/us-east-1_AbC"));
        var anyPool = ProviderCatalog.For(Config("acme.auth.us-east-1.amazoncognito.com"), ProviderKind.Cognito);
        Assert.False(anyPool.IssuerMatches("https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbC"));
        Assert.False(anyPool.IssuerMatches("https://cognito-idp.cn-north-1.amazonaws.com/cn-north-1_Xyz"));
        Assert.True(anyPool.IssuerMatches("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"));
    }

    [Theory]
    [InlineData("https://idp.example.com", true)]
    [InlineData("https://idp.example.com/", true)]
    [InlineData("https://evil.example.com", false)]
    [InlineData(null, false)]
    public void A_discovery_document_must_name_the_issuer_it_was_fetched_from(string? issuer, bool accepted)
    {
        var document = new Ccwb.Credentials.Json.DiscoveryDocument(issuer, "https://idp.example.com/a", "https://idp.example.com/t", "https://idp.example.com/k");
        void Check() => ProviderCatalog.RequireIssuerOf(document, "https://idp.example.com/.well-known/openid-configuration");
        if (accepted) Check();
        else Assert.StartsWith("the discovery document at https://idp.example.com/.well-known/openid-configuration names the issuer",
            Assert.Throws<OidcException>(Check).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_is_refused_for_a_provider_that_is_not_on_this_computer()
    {
        var e = Assert.Throws<OidcException>(() => ProviderCatalog.For(Config("http://idp.example.com"), ProviderKind.Generic));
        Assert.Contains("plain http", e.Message, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:9000", ProviderCatalog.BaseUrl("http://127.0.0.1:9000/", ProviderKind.Generic));
    }

    [Fact]
    public void Generic_provider_needs_endpoints_from_config_or_discovery()
    {
        var config = Config("idp.example.com") with { OidcAuthorizationEndpoint = "https://idp.example.com/a", OidcTokenEndpoint = "https://idp.example.com/t", OidcJwksUri = "https://idp.example.com/k" };
        Assert.False(ProviderCatalog.NeedsDiscovery(config));
        var endpoints = ProviderCatalog.For(config, ProviderKind.Generic);
        Assert.Equal("https://idp.example.com/t", endpoints.TokenUrl);
        Assert.Equal("https://idp.example.com/k", endpoints.JwksUri);
        Assert.Throws<OidcException>(() => ProviderCatalog.For(Config("idp.example.com"), ProviderKind.Generic));
        Assert.Equal("https://idp.example.com/.well-known/openid-configuration", ProviderCatalog.DiscoveryUrl(Config("idp.example.com/")));
    }
}
