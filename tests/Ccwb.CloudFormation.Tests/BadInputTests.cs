using Ccwb.CloudFormation.Planning;
using Ccwb.Profiles;
using Ccwb.Testing;

namespace Ccwb.CloudFormation.Tests;

/// <summary>A profile the templates cannot take is refused with the field named, and nothing is written.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        // example, what is wrong, field the message must name
        { "okta-direct", "okta client id too short", "client_id" },
        { "auth0", "auth0 client id with a dash", "client_id" },
        { "entra-cognito", "azure domain without tenant", "provider_domain" },
        { "entra-cognito", "azure client id not a guid", "client_id" },
        { "cognito-user-pool", "cognito client id upper case", "client_id" },
        { "cognito-user-pool", "cognito pool id malformed", "cognito_user_pool_id" },
        { "cognito-user-pool", "cognito pool in an unknown region", "cognito_user_pool_id" },
        { "generic-oidc", "generic issuer over http", "oidc_issuer_url" },
        { "generic-oidc", "generic thumbprint not hex", "oidc_thumbprint" },
        { "generic-oidc", "generic client id the template pattern refuses", "client_id" },
        { "okta-direct", "upstream quirk: unknown provider type silently became okta", "provider_type" },
        { "okta-direct", "federation type typo", "federation_type" },
        { "okta-direct", "session too long", "max_session_duration" },
        { "okta-direct", "base name too long", "identity_pool_name" },
        { "okta-direct", "upstream defect: underscore in base name breaks stack names", "identity_pool_name" },
        { "okta-direct", "custom auth stack name too long for role names", "stack_names.auth" },
        { "okta-direct", "tag key with aws prefix", "tags.aws:createdBy" },
        { "okta-direct", "tag value too long", "tags.Owner" },
        { "okta-direct", "more than 50 tags", "tags" },
        { "okta-direct", "unknown region", "aws_region" },
        { "okta-direct", "model not in the catalogue", "selected_model" },
        { "okta-direct", "profile does not match model", "cross_region_profile" },
        { "okta-direct", "source region outside the profile", "selected_source_region" },
        { "okta-direct", "typo in allowed regions", "allowed_bedrock_regions" },
        { "okta-direct", "govcloud region in a commercial deployment", "allowed_bedrock_regions" },
        { "govcloud", "all-commercial in govcloud", "allowed_bedrock_regions" },
        { "govcloud", "commercial model in govcloud", "selected_model" },
        { "okta-direct", "landing page distribution has no template here", "distribution_type" },
        { "okta-direct", "application inference profile arn malformed", "inference_profile_opus_arn" },
        { "govcloud", "commercial application inference profile in govcloud", "inference_profile_haiku_arn" },
    };

    private static DeploymentProfile Break(DeploymentProfile p, string what) => what switch
    {
        "okta client id too short" => p with { ClientId = "0oa1b2c3" },
        "auth0 client id with a dash" => p with { ClientId = "AbCdEfGhIjKlMnOpQrStUvWxYz01234-" },
        "azure domain without tenant" => p with { ProviderDomain = "login.microsoftonline.com/common" },
        "azure client id not a guid" => p with { ClientId = "not-a-guid-at-all" },
        "cognito client id upper case" => p with { ClientId = "ABCDEF123456" },
        "cognito pool id malformed" => p with { CognitoUserPoolId = "AbCdEf123" },
        "cognito pool in an unknown region" => p with { CognitoUserPoolId = "us-moon-1_AbCdEf123" },
        "generic issuer over http" => p with { OidcIssuerUrl = "http://sso.example.com" },
        "generic thumbprint not hex" => p with { OidcThumbprint = "zz:zz" },
        "generic client id the template pattern refuses" => p with { ClientId = "client id with spaces" },
        "upstream quirk: unknown provider type silently became okta" => p with { ProviderType = "ping" },
        "federation type typo" => p with { FederationType = "direkt" },
        "session too long" => p with { MaxSessionDuration = 86400 },
        "base name too long" => p with { IdentityPoolName = "claude-code-auth-production" },
        "upstream defect: underscore in base name breaks stack names" => p with { IdentityPoolName = "claude_code", StackNames = new Dictionary<string, string>() },
        "custom auth stack name too long for role names" => p with { StackNames = new Dictionary<string, string> { ["auth"] = "a" + new string('b', 60) } },
        "tag key with aws prefix" => p with { Tags = new Dictionary<string, string> { ["aws:createdBy"] = "me" } },
        "tag value too long" => p with { Tags = new Dictionary<string, string> { ["Owner"] = new string('x', 257) } },
        "more than 50 tags" => p with { Tags = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v") },
        "unknown region" => p with { AwsRegion = "us-east-7" },
        "model not in the catalogue" => p with { SelectedModel = "us.anthropic.claude-instant-v1" },
        "profile does not match model" => p with { CrossRegionProfile = "eu" },
        "source region outside the profile" => p with { SelectedSourceRegion = "eu-west-1" },
        "typo in allowed regions" => p with { AllowedBedrockRegions = ["us-east-1", "us-eest-2"] },
        "govcloud region in a commercial deployment" => p with { AllowedBedrockRegions = ["us-east-1", "us-gov-west-1"] },
        "all-commercial in govcloud" => p with { AllowedBedrockRegions = ["all-commercial"] },
        "commercial model in govcloud" => p with { SelectedModel = "us.anthropic.claude-sonnet-4-6", CrossRegionProfile = null },
        "landing page distribution has no template here" => p with { EnableDistribution = true, DistributionType = "landing-page" },
        "application inference profile arn malformed" => p with { InferenceProfileOpusArn = "arn:aws:bedrock:us-east-1:123:inference-profile/x" },
        "commercial application inference profile in govcloud" => p with { InferenceProfileHaikuArn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc" },
        _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_with_a_message_naming_the_field_and_nothing_written(string example, string what, string field)
    {
        var profile = Break(Examples.Load(example), what);
        using var output = new TempDirectory();

        var error = Assert.Throws<ProfileFindingsException>(() => CloudFormationArtifacts.Write(profile, output.Path));

        Assert.Contains(error.Errors, e => e.Field == field);
        Assert.Contains($"{field}: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Fact]
    public void A_value_only_the_templates_constraint_refuses_is_reported_by_field_with_the_constraint()
    {
        var profile = Examples.Load("generic-oidc") with { ClientId = "client id with spaces" };
        var error = Assert.Throws<ProfileFindingsException>(() => DeployPlanner.Plan(profile));
        Assert.Equal(
            "client_id: bedrock-auth-oidc.yaml parameter OidcClientId cannot take it: 'client id with spaces' does not match ^[a-zA-Z0-9._\\-]{1,255}$",
            Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var profile = Examples.Load("okta-direct") with { ClientId = "short", FederationType = "x", Tags = new Dictionary<string, string> { ["aws:x"] = "y" } };
        var error = Assert.Throws<ProfileFindingsException>(() => DeployPlanner.Plan(profile));
        Assert.Equal(["client_id", "federation_type", "tags.aws:x"], error.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
