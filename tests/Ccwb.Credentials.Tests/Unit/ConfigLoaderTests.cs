using System.Text;
using Ccwb.Credentials.Config;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

public class ConfigLoaderTests
{
    private static ConfigFile Parse(string json) => ConfigLoader.Parse(Encoding.UTF8.GetBytes(json), "config.json");

    [Fact]
    public void Pre_direct_iam_legacy_keys_map_to_provider_domain_client_id_and_identity_pool()
    {
        var p = Parse("""{"ClaudeCode": {"okta_domain": "dev-1.okta.com", "okta_client_id": "abc", "identity_pool_name": "us-east-1:pool", "aws_region": "eu-west-1"}}""")
            .Get("ClaudeCode");
        Assert.Equal("dev-1.okta.com", p.ProviderDomain);
        Assert.Equal("abc", p.ClientId);
        Assert.Equal("us-east-1:pool", p.IdentityPoolId);
        Assert.Equal("cognito", p.FederationType);
        Assert.Equal(28800, p.MaxSessionDuration);
        Assert.Equal("session", p.CredentialStorage);
        Assert.Equal("eu-west-1", p.AwsRegion);
    }

    [Fact]
    public void Role_arn_means_direct_federation_with_twelve_hour_sessions_and_identity_pool_name_is_then_ignored()
    {
        var p = Parse("""{"profiles": {"A": {"provider_domain": "x.auth0.com", "federated_role_arn": "arn:aws:iam::1:role/r", "identity_pool_name": "ignored"}}}""").Get("A");
        Assert.Equal("direct", p.FederationType);
        Assert.Equal(43200, p.MaxSessionDuration);
        Assert.Equal("", p.IdentityPoolId);
        Assert.Equal("us-east-1", p.AwsRegion);
        Assert.Equal("auto", p.ProviderType);
        Assert.Equal(8400, p.RedirectPort);
    }

    [Fact]
    public void Current_upstream_shape_with_nulls_and_unknown_keys_parses()
    {
        var p = Parse("""
            {"profiles": {"P": {"provider_domain": "login.microsoftonline.com/t/v2.0", "client_id": "c", "sso_enabled": true,
              "azure_auth_mode": null, "oidc_prompt": null, "quota_api_endpoint": "https://q", "selected_model": "x",
              "cross_region_profile": "us", "okta_auth_server": " aus1 ", "redirect_port": "8500", "max_session_duration": 3600}}}
            """).Get("P");
        Assert.Equal("", p.AzureAuthMode);
        Assert.Null(p.OidcPrompt);
        Assert.True(p.SsoEnabled);
        Assert.Equal("aus1", p.OktaAuthServerId);
        Assert.Equal(8500, p.RedirectPort);
        Assert.Equal(3600, p.MaxSessionDuration);
    }

    [Theory]
    [InlineData("", 30, "open", 5)]
    [InlineData(", \"quota_check_interval\": 10, \"quota_fail_mode\": \"closed\", \"quota_check_timeout\": 2", 10, "closed", 2)]
    [InlineData(", \"quota_check_interval\": null", 30, "open", 5)]
    public void Quota_keys_default_to_open_30_minutes_and_5_seconds(string extra, int interval, string failMode, int timeout)
    {
        var p = Parse($"{{\"p\": {{\"quota_api_endpoint\": \" https://quota.example.com/prod \"{extra}}}}}").Get("p");
        Assert.Equal(("https://quota.example.com/prod", interval, failMode, timeout, failMode == "closed"),
            (p.QuotaApiEndpoint, p.QuotaCheckIntervalMinutes, p.QuotaFailMode, p.QuotaCheckTimeoutSeconds, p.QuotaFailsClosed));
    }

    [Fact]
    public void Quota_check_interval_0_checks_on_every_call_as_documented_where_upstreams_go_helper_silently_used_30_minutes()
    {
        Assert.Equal(0, Parse("""{"p": {"quota_check_interval": 0}}""").Get("p").QuotaCheckIntervalMinutes);
        var state = new Ccwb.Credentials.Quota.QuotaState(Path.GetTempPath(), "no-such-profile-" + Guid.NewGuid());
        Assert.True(state.IsDue(DateTimeOffset.UtcNow, TimeSpan.Zero));
    }

    [Fact]
    public void Sso_enabled_absent_is_true_and_false_with_a_start_url_is_identity_center()
    {
        Assert.False(Parse("""{"A": {}}""").Get("A").IsPassthrough);
        Assert.True(Parse("""{"A": {"sso_enabled": false}}""").Get("A").IsPassthrough);
        Assert.True(Parse("""{"A": {"sso_enabled": false, "idc_start_url": "https://d-1.awsapps.com/start"}}""").Get("A").IsIdentityCenter);
        Assert.True(Parse("""{"A": {"auth_type": "idc"}}""").Get("A").IsIdentityCenter);
    }

    [Theory]
    [InlineData("""{"A": {"sso_enabled": "yes"}}""", "\"sso_enabled\" of profile \"A\" must be true or false")]
    [InlineData("""{"A": {"client_id": 5}}""", "\"client_id\" of profile \"A\" must be a string")]
    [InlineData("""{"profiles": []}""", "\"profiles\" must be an object")]
    [InlineData("""{"A": """, "invalid config.json (config.json)")]
    public void Wrong_types_name_the_key(string json, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(json));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_beside_the_executable_wins_over_the_home_install()
    {
        using var exeDir = new TempDirectory();
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine("claude-code-with-bedrock"));
        File.WriteAllText(home.Combine("claude-code-with-bedrock", "config.json"), """{"Home": {}}""");
        var fromHome = ConfigLoader.LoadFirst(exeDir.Path, home.Path);
        Assert.Equal(home.Combine("claude-code-with-bedrock", "config.json"), fromHome.Path);
        Assert.Equal(["Home"], fromHome.Profiles.Keys);
        File.WriteAllText(exeDir.Combine("config.json"), """{"BesideExe": {}}""");
        var besideExe = ConfigLoader.LoadFirst(exeDir.Path, home.Path);
        Assert.Equal(exeDir.Combine("config.json"), besideExe.Path);
        Assert.Equal(["BesideExe"], besideExe.Profiles.Keys);
    }

    [Fact]
    public void Profile_flags_resolve_short_then_long_then_environment_then_default()
    {
        Assert.Equal("S", ProfileSelector.Resolve("S", "L", "E"));
        Assert.Equal("L", ProfileSelector.Resolve(null, "L", "E"));
        Assert.Equal("E", ProfileSelector.Resolve("", "", "E"));
        Assert.Equal("ClaudeCode", ProfileSelector.Resolve(null, null, null));
    }

    [Fact]
    public void A_sole_profile_serves_the_default_name_but_never_replaces_a_name_the_file_has()
    {
        var one = Parse("""{"profiles": {"Only": {}}}""");
        Assert.Equal("Only", ProfileSelector.ApplySoleProfile("ClaudeCode", null, one));
        Assert.Equal("Other", ProfileSelector.ApplySoleProfile("Other", null, one));
        var two = Parse("""{"profiles": {"A": {}, "ClaudeCode": {}}}""");
        Assert.Equal("ClaudeCode", ProfileSelector.ApplySoleProfile("ClaudeCode", null, two));
        Assert.Equal("X", ProfileSelector.ApplySoleProfile("X", "X", Parse("""{"X": {}, "Y": {}}""")));
    }
}
