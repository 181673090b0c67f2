using System.Text.Json.Nodes;
using Ccwb.Contract.Providers;
using Ccwb.Testing;

namespace Ccwb.Profiles.Tests;

/// <summary>Each legacy profile shape upstream's <c>Profile.from_dict</c> migrates.</summary>
public class MigrationTests
{
    private static DeploymentProfile Read(string json)
    {
        var result = ProfileLoader.Read(json);
        Assert.True(result.Profile is not null, string.Join("\n", result.Messages));
        return result.Profile!;
    }

    private static JsonObject Written(DeploymentProfile profile) => JsonNode.Parse(ProfileJson.Serialize(profile))!.AsObject();

    [Fact]
    public void Full_upstream_profile_loads_with_every_value_unchanged()
    {
        var original = JsonNode.Parse(File.ReadAllText(Repo.PathOf("tests", "Ccwb.Profiles.Tests", "Fixtures", "upstream-full-profile.json")))!.AsObject();

        var result = ProfileLoader.Parse(original.ToJsonString());

        Assert.True(result.Succeeded, string.Join("\n", result.Messages));
        var written = Written(result.Profile!);
        foreach (var (key, value) in original)
            Assert.True(JsonNode.DeepEquals(value, written[key]), $"{key}: {value?.ToJsonString()} became {written[key]?.ToJsonString()}");
    }

    [Fact]
    public void Okta_field_names_become_provider_domain_and_client_id()
    {
        var profile = Read("""{"name": "old", "okta_domain": "acme.okta.com", "okta_client_id": "0oa1b2c3d4e5f6g7h8i9"}""");

        Assert.Equal(("acme.okta.com", "0oa1b2c3d4e5f6g7h8i9"), (profile.ProviderDomain, profile.ClientId));
        Assert.False(Written(profile).ContainsKey("okta_domain"));
        Assert.False(Written(profile).ContainsKey("okta_client_id"));
    }

    [Fact]
    public void Okta_rename_does_not_overwrite_a_provider_domain_already_present()
    {
        var profile = Read("""{"name": "old", "okta_domain": "stale.okta.com", "provider_domain": "acme.okta.com"}""");
        Assert.Equal("acme.okta.com", profile.ProviderDomain);
    }

    [Fact]
    public void Missing_credential_storage_becomes_session()
    {
        Assert.Equal("session", Read("""{"name": "p"}""").CredentialStorage);
        Assert.Equal("session", Read("""{"name": "p", "credential_storage": null}""").CredentialStorage);
        Assert.Equal("keyring", Read("""{"name": "p", "credential_storage": "keyring"}""").CredentialStorage);
    }

    [Theory]
    [InlineData(true, "oidc")]
    [InlineData(false, "none")]
    public void Missing_auth_type_comes_from_sso_enabled(bool ssoEnabled, string authType)
    {
        var profile = Read($$"""{"name": "p", "provider_domain": "acme.okta.com", "sso_enabled": {{(ssoEnabled ? "true" : "false")}}}""");
        Assert.Equal(authType, profile.AuthType);
    }

    [Theory]
    [InlineData("acme.okta.com", true)]
    [InlineData("none", false)]
    [InlineData("", false)]
    public void Missing_sso_enabled_is_true_when_a_domain_is_set(string domain, bool ssoEnabled)
    {
        var profile = Read($$"""{"name": "p", "provider_domain": "{{domain}}"}""");
        Assert.Equal(ssoEnabled, profile.SsoEnabled);
        Assert.Equal(ssoEnabled ? "oidc" : "none", profile.AuthType);
    }

    [Theory]
    [InlineData("acme.okta.com", "okta")]
    [InlineData("acme.oktapreview.com", "okta")]
    [InlineData("acme.okta-emea.com", "okta")]
    [InlineData("https://acme.okta.com/oauth2/default", "okta")]
    [InlineData("acme.us.auth0.com", "auth0")]
    [InlineData("login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0", "azure")]
    [InlineData("sts.windows.net/11111111-2222-3333-4444-555555555555", "azure")]
    [InlineData("acme.auth.us-east-1.amazoncognito.com", "cognito")]
    [InlineData("acme.auth-fips.us-gov-west-1.amazoncognito.com", "cognito")]
    [InlineData("cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123", "cognito")]
    [InlineData("accounts.google.com", "google")]
    [InlineData("sso.example.com", null)]
    [InlineData("notokta.com", null)]
    [InlineData("none", null)]
    public void Missing_provider_type_is_detected_from_the_host(string domain, string? providerType)
    {
        Assert.Equal(providerType, Read($$"""{"name": "p", "provider_domain": "{{domain}}"}""").ProviderType);
        Assert.Equal(providerType, ProviderDetection.FromDomain(domain));
    }

    [Fact]
    public void Stored_provider_type_is_kept_even_when_the_host_says_otherwise()
    {
        Assert.Equal("generic", Read("""{"name": "p", "provider_domain": "acme.okta.com", "provider_type": "generic"}""").ProviderType);
    }

    [Theory]
    [InlineData("\"Presigned S3 URLs (simple)\"")]
    [InlineData("\"__none__\"")]
    [InlineData("42")]
    public void Unknown_distribution_type_is_healed_to_none_and_distribution_disabled(string storedType)
    {
        var profile = Read($$"""{"name": "p", "enable_distribution": true, "distribution_type": {{storedType}}}""");
        Assert.Null(profile.DistributionType);
        Assert.False(profile.EnableDistribution);
    }

    [Theory]
    [InlineData("presigned-s3")]
    [InlineData("landing-page")]
    public void Known_distribution_type_is_kept(string type)
    {
        var profile = Read($$"""{"name": "p", "enable_distribution": true, "distribution_type": "{{type}}"}""");
        Assert.Equal((type, true), (profile.DistributionType, profile.EnableDistribution));
    }

    [Fact]
    public void Legacy_enable_distribution_without_a_type_means_presigned_s3()
    {
        Assert.Equal("presigned-s3", Read("""{"name": "p", "enable_distribution": true}""").DistributionType);
        Assert.Null(Read("""{"name": "p", "enable_distribution": false}""").DistributionType);
    }

    [Fact]
    public void Wizard_titles_stored_as_codebuild_region_or_hosted_zone_are_cleared()
    {
        var profile = Read("""{"name": "p", "codebuild_region": "Skip Windows builds", "distribution_hosted_zone_id": "Skip (configure DNS manually)"}""");
        Assert.Null(profile.CodebuildRegion);
        Assert.Null(profile.DistributionHostedZoneId);

        var kept = Read("""{"name": "p", "codebuild_region": "us-east-2", "distribution_hosted_zone_id": "Z0123456789ABC"}""");
        Assert.Equal(("us-east-2", "Z0123456789ABC"), (kept.CodebuildRegion, kept.DistributionHostedZoneId));
    }

    [Fact]
    public void Missing_monitoring_mode_means_central_as_before_sidecar_existed()
    {
        Assert.Equal("central", Read("""{"name": "p"}""").MonitoringMode);
        Assert.Equal("sidecar", Read("""{"name": "p", "monitoring_mode": "sidecar"}""").MonitoringMode);
    }

    [Fact]
    public void Missing_cross_region_profile_becomes_us_when_a_us_region_is_allowed()
    {
        Assert.Equal("us", Read("""{"name": "p", "allowed_bedrock_regions": ["eu-west-1", "us-west-2"]}""").CrossRegionProfile);
        Assert.Null(Read("""{"name": "p", "allowed_bedrock_regions": ["eu-west-1"]}""").CrossRegionProfile);
        Assert.Equal("eu", Read("""{"name": "p", "cross_region_profile": "eu", "allowed_bedrock_regions": ["us-east-1"]}""").CrossRegionProfile);
    }

    [Fact]
    public void Fix_missing_cross_region_profile_with_only_GovCloud_regions_becomes_us_gov_not_us()
    {
        var profile = Read("""{"name": "p", "allowed_bedrock_regions": ["us-gov-west-1", "us-gov-east-1"]}""");
        Assert.Equal("us-gov", profile.CrossRegionProfile);
    }

    [Theory]
    [InlineData("europe", "eu", "eu.anthropic.claude-sonnet-4-6", "eu-west-1")]
    [InlineData("japan", "jp", "jp.anthropic.claude-sonnet-4-6", "ap-northeast-1")]
    public void Legacy_cross_region_profile_is_kept_as_stored_and_treated_as_its_current_key(
        string stored, string key, string model, string region)
    {
        var json = $$"""
            {"name": "p", "provider_domain": "acme.okta.com", "client_id": "0oa1b2c3d4e5f6g7h8i9", "aws_region": "{{region}}",
             "identity_pool_name": "acme", "federation_type": "cognito", "monitoring_enabled": false,
             "allowed_bedrock_regions": ["{{region}}"], "cross_region_profile": "{{stored}}", "selected_model": "{{model}}"}
            """;
        var result = ProfileLoader.Parse(json);

        Assert.Equal(stored, result.Profile!.CrossRegionProfile);
        Assert.Equal(key, result.Profile.CrossRegionProfileKey);
        Assert.Equal(stored, Written(result.Profile)["cross_region_profile"]!.GetValue<string>());
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void Missing_schema_version_becomes_2_0()
    {
        Assert.Equal("2.0", Read("""{"name": "p"}""").SchemaVersion);
    }

    [Fact]
    public void Null_for_a_field_that_has_no_null_means_its_default()
    {
        var profile = Read("""{"name": "p", "monitoring_enabled": null, "max_session_duration": null, "tags": null, "extra_files": null}""");
        Assert.Equal((true, 28800, 0, 0), (profile.MonitoringEnabled, profile.MaxSessionDuration, profile.Tags.Count, profile.ExtraFiles.Count));
    }

    [Fact]
    public void File_name_is_the_name_when_the_document_has_none()
    {
        Assert.Equal("from-file", ProfileLoader.Read("{}", "from-file").Profile!.Name);
        Assert.Equal("inside", ProfileLoader.Read("""{"name": "inside"}""", "from-file").Profile!.Name);
    }
}
