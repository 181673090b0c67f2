using System.Text;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Jwt;

namespace Ccwb.Credentials.Tests.Unit;

public class FederationTests
{
    private static JwtClaims Claims(string json) =>
        JwtClaims.Decode("e30." + Base64Url.Encode(Encoding.UTF8.GetBytes(json)) + ".sig");

    [Theory]
    [InlineData("""{"email":"alice@acme.com","sub":"x"}""", "alice@acme.com")]
    [InlineData("""{"email":"first name/ext@example.com"}""", "first-name-ext@example.com")]
    [InlineData("""{"sub":"auth0|507f1f77bcf86cd799439011"}""", "claude-code-auth0-507f1f77bcf86cd799439011")]
    [InlineData("""{"sub":"0123456789012345678901234567890123456789"}""", "claude-code-01234567890123456789012345678901")]
    [InlineData("""{"email":""}""", "claude-code")]
    [InlineData("""{}""", "claude-code")]
    public void Role_session_name_follows_the_email_then_subject_rules(string claims, string expected) =>
        Assert.Equal(expected, RoleSessionName.From(Claims(claims)));

    [Fact]
    public void Role_session_name_is_at_most_64_characters()
    {
        var name = RoleSessionName.From(Claims("{\"email\":\"" + new string('a', 80) + "@example.com\"}"));
        Assert.Equal(64, name.Length);
    }

    [Theory]
    [InlineData("us-east-1", "https://sts.us-east-1.amazonaws.com/")]
    [InlineData("us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-iso-east-1", "https://sts.us-iso-east-1.c2s.ic.gov/")]
    public void Regional_endpoints_follow_the_partition(string region, string expected) =>
        Assert.Equal(expected, AwsEndpoints.Sts(region, _ => null).ToString());

    [Fact]
    public void Endpoint_variables_override_in_the_sdk_order()
    {
        var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1", ["AWS_ENDPOINT_URL_STS"] = "https://vpce-1.sts.us-east-1.vpce.amazonaws.com" };
        Assert.Equal("https://vpce-1.sts.us-east-1.vpce.amazonaws.com/", AwsEndpoints.Sts("us-east-1", k => env.GetValueOrDefault(k)).ToString());
        Assert.Equal("http://127.0.0.1:1/", AwsEndpoints.CognitoIdentity("us-east-1", k => env.GetValueOrDefault(k)).ToString());
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
        Assert.Equal("https://cognito-identity.us-east-1.amazonaws.com/", AwsEndpoints.CognitoIdentity("us-east-1", k => env.GetValueOrDefault(k)).ToString());
        Assert.Throws<FederationException>(() => AwsEndpoints.Sts("us-east-1", k => k == "AWS_ENDPOINT_URL" ? "ftp://x" : null));
        Assert.Throws<FederationException>(() => AwsEndpoints.Sts("us east 1", _ => null));
    }

    [Theory]
    [InlineData("http://sts.example.com", false)]
    [InlineData("http://10.0.0.5:8080", false)]
    [InlineData("http://127.0.0.1:9000", true)]
    [InlineData("http://[::1]:9000", true)]
    public void Plain_http_endpoints_are_allowed_only_on_this_computer(string endpoint, bool allowed)
    {
        Uri Resolve() => AwsEndpoints.Sts("us-east-1", k => k == "AWS_ENDPOINT_URL_STS" ? endpoint : null);
        if (allowed) Assert.Equal("http", Resolve().Scheme);
        else Assert.Equal($"AWS_ENDPOINT_URL_STS '{endpoint}' uses plain http; only https is allowed for an endpoint that is not on this computer.",
            Assert.Throws<FederationException>(Resolve).Message);
    }

    [Fact]
    public void A_plain_http_token_endpoint_off_this_computer_is_refused_before_anything_is_sent()
    {
        var client = new Ccwb.Credentials.Oidc.TokenClient(new Ccwb.Http.HttpTransport(new Ccwb.Http.ProxySelector(_ => null), "test"));

        var error = Assert.Throws<Ccwb.Credentials.Oidc.TokenEndpointException>(() => client.Refresh("http://idp.example.com/token", "c", "r", []));

        Assert.Equal("token refresh failed: the token URL 'http://idp.example.com/token' uses plain http; only https is allowed off this computer.", error.Message);
    }

    [Fact]
    public void Sts_xml_success_and_error_documents_are_read()
    {
        var ok = StsClient.ParseXml("""
            <?xml version="1.0"?>
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult><Credentials><SessionToken>a+b/c=</SessionToken><AccessKeyId>ASIA1</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResult>
            </AssumeRoleWithWebIdentityResponse>
            """)!;
        Assert.Equal("a+b/c=", ok["SessionToken"]);
        Assert.Equal("ASIA1", ok["AccessKeyId"]);
        var error = StsClient.ParseXml("<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>a &amp; b</Message></Error></ErrorResponse>")!;
        Assert.Equal("a & b", error["Message"]);
        Assert.Null(StsClient.ParseXml("<html>502 Bad Gateway</html>"));
        Assert.Null(StsClient.ParseXml("<AssumeRoleWithWebIdentityResponse><Credentials>"));
        Assert.Null(StsClient.ParseXml(""));
    }

    [Fact]
    public void Cognito_logins_key_is_the_user_pool_issuer_or_the_provider_domain()
    {
        Assert.Equal("cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
            CognitoIdentityClient.LoginsKey(true, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC", "x.auth.us-east-1.amazoncognito.com"));
        Assert.Equal("x.auth.us-east-1.amazoncognito.com", CognitoIdentityClient.LoginsKey(true, null, "x.auth.us-east-1.amazoncognito.com"));
        Assert.Equal("login.microsoftonline.com/t/v2.0", CognitoIdentityClient.LoginsKey(false, "https://login.microsoftonline.com/t/v2.0", "login.microsoftonline.com/t/v2.0"));
    }

    [Theory]
    [InlineData("Cognito GetId failed: NotAuthorizedException: Token is not from a supported provider", true)]
    [InlineData("AssumeRoleWithWebIdentity failed: ExpiredTokenException: expired", true)]
    [InlineData("AssumeRoleWithWebIdentity failed: AccessDenied: Not authorized", false)]
    public void Errors_that_mean_bad_credentials_are_recognised(string message, bool expected) =>
        Assert.Equal(expected, new FederationException(message).MeansInvalidCredentials);

    [Fact]
    public void Aws_variables_are_cleared_during_federation_and_restored_afterwards()
    {
        Environment.SetEnvironmentVariable("AWS_PROFILE", "loops-back");
        try
        {
            using (new AwsEnvironmentScope())
                Assert.Null(Environment.GetEnvironmentVariable("AWS_PROFILE"));
            Assert.Equal("loops-back", Environment.GetEnvironmentVariable("AWS_PROFILE"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        }
    }
}
