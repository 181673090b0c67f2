using Ccwb.Contract.Providers;

namespace Ccwb.Contract.Tests;

public class ProviderDetectionTests
{
    [Theory]
    [InlineData("dev-123.okta.com", "okta")]
    [InlineData("https://acme.oktapreview.com/oauth2/default", "okta")]
    [InlineData("acme.okta-emea.com", "okta")]
    [InlineData("acme.eu.auth0.com", "auth0")]
    [InlineData("login.microsoftonline.com/tenant/v2.0", "azure")]
    [InlineData("sts.windows.net", "azure")]
    [InlineData("acme.auth.us-east-1.amazoncognito.com", "cognito")]
    [InlineData("cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_abc", "cognito")]
    [InlineData("accounts.google.com", "google")]
    [InlineData("HTTPS://Accounts.Google.com:443/", "google")]
    [InlineData("evilokta.com", null)]
    [InlineData("okta.com.evil.example", null)]
    [InlineData("keycloak.example.com/realms/staff", null)]
    [InlineData("", null)]
    [InlineData("none", null)]
    public void Domains_map_to_the_provider_upstream_detects(string domain, string? expected)
    {
        Assert.Equal(expected, ProviderDetection.FromDomain(domain));
    }

    [Theory]
    [InlineData("generic", "dev-1.okta.com", "generic")]
    [InlineData("Google", "x.example.com", "google")]
    [InlineData("auto", "dev-1.okta.com", "okta")]
    [InlineData("something", "acme.auth0.com", "auth0")]
    [InlineData("", "x.example.com", null)]
    public void An_explicit_known_type_wins_and_anything_else_falls_back_to_the_domain(string type, string domain, string? expected)
    {
        Assert.Equal(expected, ProviderDetection.Detect(type, domain));
    }
}
