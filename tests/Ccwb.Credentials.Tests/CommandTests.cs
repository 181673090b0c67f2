using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>The maintenance flags, run as the built binary against files in a temporary HOME (no network).</summary>
[Trait(Requires.Trait, Requires.Unix)]
public class CommandTests
{
    private static Sandbox WithConfig(string storage = "session")
    {
        var box = new Sandbox();
        box.WriteConfig(new JsonObject
        {
            ["profiles"] = new JsonObject
            {
                ["ClaudeCode"] = new JsonObject
                {
                    ["provider_domain"] = "dev-1.okta.com", ["client_id"] = "c", ["federated_role_arn"] = AwsPeer.RoleArn,
                    ["credential_storage"] = storage,
                },
            },
        });
        return box;
    }

    private static void SeedCredentials(Sandbox box, DateTimeOffset expiration) =>
        box.WriteFile(".aws/credentials",
            "[default]\naws_access_key_id = AKIAKEEP\n\n[ClaudeCode]\naws_access_key_id = ASIACACHED\naws_secret_access_key = secret\n" +
            $"aws_session_token = token\nx-expiration = {expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");

    [Fact]
    public async Task Version_prints_the_stamped_version_and_commit_without_reading_config()
    {
        using var box = new Sandbox();
        var result = await box.RunAsync("-v");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^credential-process \S+ \(\S+\)\n$", result.Output);
        Assert.Equal(result.Output, (await box.RunAsync("--version")).Output);
    }

    [Fact]
    public async Task Help_goes_to_stderr_and_exits_0()
    {
        using var box = new Sandbox();
        var result = await box.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("--get-monitoring-token", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cached_credentials_are_printed_from_the_shared_credentials_file()
    {
        using var box = WithConfig();
        SeedCredentials(box, DateTimeOffset.UtcNow.AddHours(1));
        var result = await box.RunAsync("--profile=ClaudeCode");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("{\"Version\":1,\"AccessKeyId\":\"ASIACACHED\",\"SecretAccessKey\":\"secret\",\"SessionToken\":\"token\",\"Expiration\":\"", result.Output, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Check_expiration_needs_more_than_30_seconds_left()
    {
        using var box = WithConfig();
        SeedCredentials(box, DateTimeOffset.UtcNow.AddMinutes(10));
        var valid = await box.RunAsync("--check-expiration");
        Assert.Equal((0, "", "Credentials valid for profile 'ClaudeCode'\n"), (valid.ExitCode, valid.Output, valid.Error));
        SeedCredentials(box, DateTimeOffset.UtcNow.AddSeconds(20));
        var expiring = await box.RunAsync("--check-expiration");
        Assert.Equal((1, "Credentials expired or missing for profile 'ClaudeCode'\n"), (expiring.ExitCode, expiring.Error));
    }

    [Fact]
    public async Task Refresh_if_needed_is_silent_while_valid_and_refuses_keyring_storage()
    {
        using var box = WithConfig();
        SeedCredentials(box, DateTimeOffset.UtcNow.AddHours(1));
        var result = await box.RunAsync("--refresh-if-needed");
        Assert.Equal((0, "", ""), (result.ExitCode, result.Output, result.Error));

        using var keyring = WithConfig("keyring");
        var refused = await keyring.RunAsync("--refresh-if-needed");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Error: --refresh-if-needed only works with session storage mode\n", refused.Error);
    }

    [Fact]
    public async Task Clear_cache_removes_the_section_and_refresh_token_but_keeps_other_sections_and_the_monitoring_token()
    {
        using var box = WithConfig();
        SeedCredentials(box, DateTimeOffset.UtcNow.AddHours(1));
        box.WriteFile(".claude-code-session/ClaudeCode-refresh.json", "{\"refresh_token\":\"r\",\"profile\":\"ClaudeCode\",\"updated_at\":\"x\"}");
        box.WriteFile(".claude-code-session/ClaudeCode-monitoring.json", "{\"token\":\"a.b.c\",\"expires\":1,\"email\":null,\"profile\":\"ClaudeCode\"}");

        var result = await box.RunAsync("--clear-cache");

        Assert.Equal((0, "", "Cleared cached credentials for profile 'ClaudeCode'\n"), (result.ExitCode, result.Output, result.Error));
        Assert.Equal("[default]\naws_access_key_id = AKIAKEEP\n", File.ReadAllText(box.HomePath(".aws", "credentials")));
        Assert.False(File.Exists(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json")));
        Assert.True(File.Exists(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")));
    }

    [Fact]
    public async Task Monitoring_token_from_the_environment_is_used_while_it_has_more_than_a_minute_left()
    {
        using var box = WithConfig();
        static string Jwt(long exp) => "eyJhbGciOiJSUzI1NiJ9." + Ccwb.Credentials.Jwt.Base64Url.Encode(System.Text.Encoding.UTF8.GetBytes($"{{\"exp\":{exp}}}")) + ".c2ln";
        var fresh = Jwt(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        box.Environment["CLAUDE_CODE_MONITORING_TOKEN"] = fresh;
        var result = await box.RunAsync("--get-monitoring-token");
        Assert.Equal((0, fresh + "\n"), (result.ExitCode, result.Output));
    }

    [Fact]
    public async Task A_single_profile_config_is_used_whatever_the_default_name()
    {
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["OnlyOne"] = new JsonObject { ["provider_domain"] = "dev-1.okta.com", ["client_id"] = "c", ["federated_role_arn"] = AwsPeer.RoleArn } });
        box.WriteFile(".aws/credentials", $"[OnlyOne]\naws_access_key_id = ASIAONE\naws_secret_access_key = s\naws_session_token = t\nx-expiration = {DateTimeOffset.UtcNow.AddHours(1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");
        var result = await box.RunAsync();
        Assert.Contains("\"AccessKeyId\":\"ASIAONE\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_flag_of_upstreams_helper_is_available()
    {
        string[] upstream = ["profile", "version", "get-monitoring-token", "get-mcp-auth-header", "clear-cache", "check-expiration",
            "refresh-if-needed", "show-tags", "show-claims", "get-tag", "login", "set-client-secret", "explain", "desktop"];
        var unavailable = upstream.Where(flag => !Ccwb.Contract.CommandLine.ShippedPrograms.CredentialProcess.IsAvailable(flag)).ToList();
        Assert.True(unavailable.Count == 0, "not available: " + string.Join(", ", unavailable));
    }
}
