using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Tests.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Peers;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary><c>--explain</c>, <c>--show-claims</c>, <c>--show-tags</c>, <c>--get-tag</c>, <c>--get-mcp-auth-header</c> and the non-OIDC <c>--get-monitoring-token</c>.</summary>
[Trait(Requires.Trait, Requires.Unix)]
public class IntrospectionTests
{
    private static Sandbox WithProfile(JsonObject profile)
    {
        var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = profile } });
        return box;
    }

    private static JsonObject Okta() => new()
    {
        ["provider_domain"] = "dev-1.okta.com", ["client_id"] = "c", ["federated_role_arn"] = AwsPeer.RoleArn,
        ["quota_api_endpoint"] = "https://quota.example.com/prod", ["quota_fail_mode"] = "closed", ["quota_check_interval"] = 0,
        ["daily_enforcement_mode"] = "alert", ["monitoring_enabled"] = true, ["otel_collector_endpoint"] = "https://otel.example.com",
    };

    private static JsonObject IdentityCenter() => new()
    {
        ["auth_type"] = "idc", ["sso_enabled"] = false, ["idc_start_url"] = SsoPeer.StartUrl, ["idc_account_id"] = SsoPeer.Account,
        ["idc_permission_set_name"] = SsoPeer.PermissionSet,
    };

    /// <summary>An unsigned JWT with these claims (the display flags decode, they do not verify).</summary>
    private static string Jwt(JsonObject claims)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return B64("""{"alg":"RS256","kid":"k"}""") + "." + B64(claims.ToJsonString()) + ".c2ln";
    }

    private static string SeedToken(Sandbox box, JsonObject claims, TimeSpan lifetime)
    {
        var exp = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds();
        claims["exp"] = exp;
        var token = Jwt(claims);
        box.WriteFile(Path.Combine(".claude-code-session", "ClaudeCode-monitoring.json"),
            new JsonObject { ["token"] = token, ["expires"] = exp, ["email"] = "alice@example.com", ["profile"] = "ClaudeCode" }.ToJsonString());
        return token;
    }

    private static JsonObject Tagged() => new()
    {
        ["sub"] = "alice-0001", ["email"] = "alice@example.com", ["zeta"] = new JsonObject { ["b"] = 1, ["a"] = 2 },
        ["https://aws.amazon.com/tags"] = new JsonObject { ["principal_tags"] = new JsonObject { ["Project"] = new JsonArray("nested-project"), ["Zone"] = new JsonArray("eu") } },
        ["https://aws.amazon.com/tags/principal_tags/Project"] = "flat-project",
    };

    [Fact]
    public async Task Explain_prints_the_resolved_settings_in_upstream_schema_and_writes_nothing()
    {
        using var box = WithProfile(Okta());
        box.Environment["CCWB_NO_BROWSER_NOTIFICATION"] = "1";

        var result = await box.RunAsync("--explain");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal(["version", "commit", "profile", "platform", "auth", "provider", "monitoring", "quota", "storage", "session", "env", "paths"],
            json.Select(p => p.Key));
        Assert.Equal("""{"mode":"oidc","reason":"sso_enabled is true (or absent): sign-in through the identity provider","federation_type":"direct_sts"}""",
            json["auth"]!.ToJsonString());
        Assert.Equal("""{"type":"okta","domain":"dev-1.okta.com"}""", json["provider"]!.ToJsonString());
        Assert.Equal("""{"enabled":true,"endpoint":"https://quota.example.com/prod","fail_mode":"closed","auth_method":"bearer","check_interval_min":0,"check_timeout_sec":5,"daily_enforcement":"alert","fine_grained":false}""",
            json["quota"]!.ToJsonString());
        Assert.Equal("""{"enabled":true,"mode":"central","endpoint":"https://otel.example.com","config_delivery":"static"}""", json["monitoring"]!.ToJsonString());
        // REDIRECT_PORT is set by the sandbox: the session reports 0 and the environment the variable.
        Assert.Equal(0, json["session"]!["redirect_port"]!.GetValue<int>());
        Assert.Equal(box.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), json["env"]!["redirect_port"]!.GetValue<string>());
        Assert.True(json["env"]!["no_browser_notification"]!.GetValue<bool>());
        Assert.False(json["env"]!["has_monitoring_token"]!.GetValue<bool>());
        Assert.Equal(box.HomePath("claude-code-with-bedrock", "config.json"), json["paths"]!["config_file"]!.GetValue<string>());
        Assert.StartsWith("{\n  \"version\": ", result.Output, StringComparison.Ordinal);
        Assert.Empty(box.Files());
    }

    [Fact]
    public async Task Explain_reports_identity_center_with_sigv4_quota_and_no_provider_or_token_value()
    {
        var profile = IdentityCenter();
        profile["quota_api_endpoint"] = "https://quota.example.com/prod";
        using var box = WithProfile(profile);
        var token = SeedToken(box, Tagged(), TimeSpan.FromHours(1));

        var result = await box.RunAsync("--explain");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal("idc", json["auth"]!["mode"]!.GetValue<string>());
        Assert.False(json.ContainsKey("provider"));
        Assert.Equal("sigv4", json["quota"]!["auth_method"]!.GetValue<string>());
        Assert.True(json["env"]!["has_monitoring_token"]!.GetValue<bool>());
        Assert.DoesNotContain(token, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_claims_prints_every_claim_sorted_and_two_space_indented()
    {
        using var box = WithProfile(Okta());
        var claims = Tagged();
        SeedToken(box, claims, TimeSpan.FromHours(1));

        var result = await box.RunAsync("--show-claims");

        Assert.True(result.ExitCode == 0, result.ToString());
        var names = JsonDocument.Parse(result.Output).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("\n  \"zeta\": {\n    \"a\": 2,\n    \"b\": 1\n  }", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_claims_and_show_tags_without_a_token_explain_why_and_exit_1_for_identity_center()
    {
        using var box = WithProfile(IdentityCenter());

        var claims = await box.RunAsync("--show-claims");
        var tags = await box.RunAsync("--show-tags");

        Assert.Equal((1, "", "No ID token claims available for this profile.\n(IDC auth has no JWT — identity comes from the IAM ARN, not IdP claims.)\n"),
            (claims.ExitCode, claims.Output, claims.Error));
        Assert.Equal((1, ""), (tags.ExitCode, tags.Output));
        Assert.StartsWith("No `https://aws.amazon.com/tags` claim present in the ID token.\n", tags.Error, StringComparison.Ordinal);
        Assert.Empty(box.Files());
    }

    [Fact]
    public async Task Show_tags_prints_the_nested_claim_the_flat_tags_and_the_resolved_cost_attribution_tag()
    {
        using var box = WithProfile(Okta());
        SeedToken(box, Tagged(), TimeSpan.FromHours(1));

        var result = await box.RunAsync("--show-tags");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal(["Project (resolved)", "https://aws.amazon.com/tags", "principal_tags (flat)"], json.Select(p => p.Key));
        Assert.Equal("flat-project", json["Project (resolved)"]!.GetValue<string>());
        Assert.Equal("""{"Project":"flat-project"}""", json["principal_tags (flat)"]!.ToJsonString());
    }

    [Fact]
    public async Task Get_tag_prints_a_tag_exits_2_when_absent_and_4_for_an_expired_token_which_upstream_dropped_unread_and_reported_absent()
    {
        using var box = WithProfile(Okta());
        Assert.Equal(2, (await box.RunAsync("--get-tag", "Zone")).ExitCode);

        SeedToken(box, Tagged(), TimeSpan.FromHours(1));
        var zone = await box.RunAsync("--get-tag", "Zone");
        Assert.Equal((0, "eu\n"), (zone.ExitCode, zone.Output));
        Assert.Equal((0, "flat-project\n"), ((await box.RunAsync("--get-tag=Project")).ExitCode, (await box.RunAsync("--get-tag=Project")).Output));
        var absent = await box.RunAsync("--get-tag", "Nope");
        Assert.Equal((2, ""), (absent.ExitCode, absent.Output));

        SeedToken(box, Tagged(), TimeSpan.FromMinutes(-5));
        var expired = await box.RunAsync("--get-tag", "Zone");
        Assert.Equal((4, ""), (expired.ExitCode, expired.Output));
    }

    [Fact]
    public async Task Mcp_auth_header_prints_the_cached_token_compactly()
    {
        using var box = WithProfile(Okta());
        var token = SeedToken(box, Tagged(), TimeSpan.FromHours(1));

        var result = await box.RunAsync("--get-mcp-auth-header");

        Assert.Equal((0, $"{{\"Authorization\":\"Bearer {token}\"}}\n", ""), (result.ExitCode, result.Output, result.Error));
    }

    [Fact]
    public async Task Mcp_auth_header_without_a_token_never_opens_a_browser_and_exits_1()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });

        var result = await box.RunAsync("--get-mcp-auth-header");

        Assert.Equal((1, "", "Error: no valid cached token for profile 'ClaudeCode'; run the credential process once to authenticate.\n"),
            (result.ExitCode, result.Output, result.Error));
        Assert.Equal(0, oidc.Authorizations);
        Assert.Empty(box.Files());
    }

    [Fact]
    public async Task Mcp_auth_header_redeems_the_refresh_token_when_the_cached_token_is_gone()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        Assert.Equal(0, (await box.RunAsync()).ExitCode);
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"));

        var result = await box.RunAsync("--get-mcp-auth-header");

        Assert.True(result.ExitCode == 0, result.ToString());
        var bearer = JsonNode.Parse(result.Output)!["Authorization"]!.GetValue<string>();
        var saved = JsonNode.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")))!["token"]!.GetValue<string>();
        Assert.Equal("Bearer " + saved, bearer);
        Assert.Equal((1, 1), (oidc.Authorizations, oidc.TokenRequests("refresh_token")));
    }

    [Theory]
    [InlineData("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ClaudeCodeUser_0123456789abcdef/alice", "alice")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Developers/bob@example.com", "bob@example.com")]
    public async Task Passthrough_monitoring_token_is_an_empty_line_and_the_caller_identity_names_the_user_in_the_header_cache(string arn, string user)
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        aws.Trust("AKIAPASSTHROUGH00002", "ambient/secret", arn);
        using var box = WithProfile(new JsonObject { ["sso_enabled"] = false, ["aws_region"] = "us-east-1" });
        box.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        box.Environment["AWS_ENDPOINT_URL"] = aws.Endpoint;
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAPASSTHROUGH00002";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "ambient/secret";

        var result = await box.RunAsync("--get-monitoring-token");

        Assert.Equal((0, "\n"), (result.ExitCode, result.Output));
        Assert.Contains("sts:GetCallerIdentity", aws.Calls);
        var cache = JsonNode.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json")))!;
        Assert.Equal(user, cache["headers"]!["x-user-email"]!.GetValue<string>());
        Assert.InRange(cache["token_exp"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(59).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(61).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Passthrough_monitoring_token_with_keys_sts_does_not_know_exits_1_and_writes_nothing()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = WithProfile(new JsonObject { ["sso_enabled"] = false, ["aws_region"] = "us-east-1" });
        box.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        box.Environment["AWS_ENDPOINT_URL"] = aws.Endpoint;
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAUNKNOWN000000001";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "whatever";

        var result = await box.RunAsync("--get-monitoring-token");

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.StartsWith("Error: GetCallerIdentity failed: InvalidClientTokenId", result.Error, StringComparison.Ordinal);
        Assert.Empty(box.Files());
    }
}
