using System.Text.Json.Nodes;
using Ccwb.Rendering.ClaudeCode;

namespace Ccwb.Rendering.Tests;

/// <summary>config.json and Claude Code settings rules that snapshots alone would not explain.</summary>
public class ClaudeCodeFilesTests
{
    [Theory]
    [InlineData("us", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-sonnet-5", "us.anthropic.claude-opus-4-8")]
    [InlineData("jp", "jp.anthropic.claude-haiku-4-5-20251001-v1:0", "jp.anthropic.claude-sonnet-4-6", "jp.anthropic.claude-sonnet-4-6")]
    [InlineData("japan", "jp.anthropic.claude-haiku-4-5-20251001-v1:0", "jp.anthropic.claude-sonnet-4-6", "jp.anthropic.claude-sonnet-4-6")]
    [InlineData("apac", "apac.anthropic.claude-sonnet-4-20250514-v1:0", "apac.anthropic.claude-sonnet-5", "global.anthropic.claude-opus-4-8")]
    [InlineData("us-gov", "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov.anthropic.claude-opus-4-8")]
    public void Tier_models_resolve_in_the_cross_region_profile_without_leaving_data_residency(string prefix, string haiku, string sonnet, string opus)
    {
        var env = Settings(ExampleProfiles.Load("okta-direct") with { CrossRegionProfile = prefix })["env"]!;
        Assert.Equal(haiku, (string?)env["ANTHROPIC_SMALL_FAST_MODEL"]);
        Assert.Equal(haiku, (string?)env["ANTHROPIC_DEFAULT_HAIKU_MODEL"]);
        Assert.Equal(sonnet, (string?)env["ANTHROPIC_DEFAULT_SONNET_MODEL"]);
        Assert.Equal(opus, (string?)env["ANTHROPIC_DEFAULT_OPUS_MODEL"]);
    }

    [Fact]
    public void Managed_settings_carry_the_model_only_when_locked()
    {
        var managed = ExampleProfiles.Load("okta-direct") with { SettingsTarget = "managed" };
        Assert.Null(Settings(managed)["env"]!["ANTHROPIC_MODEL"]);
        Assert.Equal("sonnet", (string?)Settings(managed with { LockDefaultModel = true })["env"]!["ANTHROPIC_MODEL"]);
        Assert.Equal("managed-settings.json", SettingsBuilder.FileName(managed));
    }

    [Fact]
    public void Model_alias_overrides_the_tier_alias()
    {
        Assert.Equal("opusplan", (string?)Settings(ExampleProfiles.Load("websearch-everything"))["env"]!["ANTHROPIC_MODEL"]);
    }

    [Fact]
    public void Session_storage_refreshes_through_the_helper_and_keyring_needs_no_hook()
    {
        Assert.Equal("__CREDENTIAL_PROCESS_PATH__ --profile okta-direct", (string?)Settings(ExampleProfiles.Load("okta-direct"))["awsAuthRefresh"]);
        Assert.Null(Settings(ExampleProfiles.Load("entra-cognito"))["awsAuthRefresh"]);
    }

    [Fact]
    public void Idc_with_the_quota_binary_exports_credentials_and_logs_in_on_refresh()
    {
        var idc = ExampleProfiles.Load("idc") with { QuotaApiEndpoint = "https://quota.example.com" };
        var settings = Settings(idc);
        Assert.Equal("__CREDENTIAL_PROCESS_PATH__ --profile idc", (string?)settings["awsCredentialExport"]);
        Assert.Equal("__CREDENTIAL_PROCESS_PATH__ --login --profile idc", (string?)settings["awsAuthRefresh"]);
        Assert.Equal("true", (string?)settings["env"]!["AWS_EC2_METADATA_DISABLED"]);
    }

    [Fact]
    public void Sidecar_telemetry_goes_to_localhost_and_ends_with_the_settings_version()
    {
        var env = Settings(ExampleProfiles.Load("cognito-user-pool"))["env"]!;
        Assert.Equal("http://localhost:4318", (string?)env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.EndsWith(",settings_version=2026-01-15-093000", (string?)env["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
    }

    [Fact]
    public void IncludeCoAuthoredBy_follows_the_profile_instead_of_being_forced_false()
    {
        Assert.Equal(false, (bool?)Settings(ExampleProfiles.Load("okta-direct") with { IncludeCoauthoredBy = false })["includeCoAuthoredBy"]);
        Assert.Equal(true, (bool?)Settings(ExampleProfiles.Load("okta-direct"))["includeCoAuthoredBy"]);
    }

    [Theory]
    [InlineData("dev-123.okta.com", "okta")]
    [InlineData("https://corp.oktapreview.com/oauth2", "okta")]
    [InlineData("tenant.eu.auth0.com", "auth0")]
    [InlineData("login.microsoftonline.com/tenant/v2.0", "azure")]
    [InlineData("corp.auth.us-east-1.amazoncognito.com", "cognito")]
    [InlineData("cognito-idp.us-east-1.amazonaws.com/us-east-1_X", "cognito")]
    [InlineData("notokta.com.evil.example", "auto")]
    [InlineData("", "oidc")]
    public void Provider_type_is_recognised_from_the_host(string domain, string expected) =>
        Assert.Equal(expected, ProfileFacts.ProviderType(ExampleProfiles.Load("okta-direct") with { ProviderType = null, ProviderDomain = domain }));

    [Fact]
    public void Client_secret_is_written_only_for_google()
    {
        Assert.Contains("client_secret", ExampleProfiles.Text("google", "config.json"), StringComparison.Ordinal);
        var okta = ExampleProfiles.Load("okta-direct") with { ClientSecret = "s3cret" };
        Assert.DoesNotContain("s3cret", ConfigJsonBuilder.Write(okta), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_settings_key_written_is_in_the_catalogue()
    {
        foreach (var name in ExampleProfiles.Names)
        {
            var settings = Settings(ExampleProfiles.Load(name));
            foreach (var (key, _) in settings.AsObject()) Assert.True(ClaudeSettingKeys.IsKnown(key), key);
            foreach (var (key, _) in settings["env"]!.AsObject()) Assert.True(ClaudeSettingKeys.IsKnown(key), key);
        }
    }

    private static JsonNode Settings(Profiles.DeploymentProfile profile) =>
        JsonNode.Parse(SettingsBuilder.Write(profile, ExampleProfiles.Options.Version))!;
}
