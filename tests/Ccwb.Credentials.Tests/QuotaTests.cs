using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Tests.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// Quota enforcement (§8) with the built binary: the quota peer authenticates every /check as API Gateway would (the
/// bearer id token against the OpenID provider's keys; SigV4 for execute-api against the keys AWS issued).
/// </summary>
[Trait(Requires.Trait, Requires.Unix)]
public class QuotaTests
{
    private const string Profile = "ClaudeCode";

    private sealed class World : IAsyncDisposable
    {
        public required OidcPeer Oidc;
        public required AwsPeer Aws;
        public required QuotaPeer Quota;
        public required Sandbox Box;

        public string StatePath => Box.HomePath("claude-code-with-bedrock", $".quota-state-{Profile}.json");

        public async ValueTask DisposeAsync()
        {
            Box.Dispose();
            Quota.Dispose();
            Aws.Dispose();
            await Oidc.DisposeAsync();
        }
    }

    private static async Task<World> OidcWorld(string failMode = "open", Action<JsonObject>? adjust = null)
    {
        var oidc = await OidcPeer.StartAsync();
        var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        var quota = new QuotaPeer { Bearer = (oidc.Issuer, "claude-code-client") };
        var box = new Sandbox();
        box.Environment["CCWB_NO_BROWSER_NOTIFICATION"] = "1";
        var profile = box.Profile(oidc, aws);
        profile["quota_api_endpoint"] = quota.Endpoint;
        profile["quota_fail_mode"] = failMode;
        profile["quota_check_interval"] = 30;
        profile["quota_check_timeout"] = 2;
        adjust?.Invoke(profile);
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { [Profile] = profile } });
        return new World { Oidc = oidc, Aws = aws, Quota = quota, Box = box };
    }

    private static JsonElement Credentials(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        return JsonDocument.Parse(lines[0]).RootElement;
    }

    /// <summary>Blocked: exit 1, nothing on stdout, no credentials minted or cached.</summary>
    private static void AssertBlocked(World world, Run.Result result)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.DoesNotContain("sts:AssumeRoleWithWebIdentity", world.Aws.Calls);
        Assert.False(File.Exists(world.Box.HomePath(".aws", "credentials")) &&
                     File.ReadAllText(world.Box.HomePath(".aws", "credentials")).Contains("[ClaudeCode]", StringComparison.Ordinal));
        Assert.Empty(Directory.Exists(world.Box.HomePath(".aws")) ? Directory.GetFiles(world.Box.HomePath(".aws"), "*.tmp*") : []);
    }

    private static void AgeState(World world, TimeSpan age) =>
        File.WriteAllText(world.StatePath, $"{{\"last_check_unix\":{(DateTimeOffset.UtcNow - age).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}}}");

    [Fact]
    public async Task Allowed_check_sends_the_verified_id_token_before_sts_and_records_the_check()
    {
        await using var world = await OidcWorld();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var result = await world.Box.RunAsync();

        Credentials(result);
        Assert.Equal(["bearer ok"], world.Quota.Calls);
        Assert.Equal("", result.Error);
        var state = JsonNode.Parse(File.ReadAllText(world.StatePath))!.AsObject();
        Assert.Equal(["last_check_unix"], state.Select(p => p.Key));
        Assert.InRange(state["last_check_unix"]!.GetValue<long>(), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(world.StatePath));
    }

    [Fact]
    public async Task Warning_at_80_percent_prints_the_banner_on_stderr_and_the_credentials_on_stdout()
    {
        await using var world = await OidcWorld();
        world.Quota.Answer = "warning";

        var result = await world.Box.RunAsync();

        Credentials(result);
        var rule = new string('=', 60);
        Assert.Contains($"\n{rule}\nQUOTA WARNING\n{rule}\n  Monthly: 852,600,000 / 1,000,000,000 tokens (85.3%)\n" +
                        $"  Daily: 1,234,567 / 50,000,000 tokens (2.5%)\n{rule}\n", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(world.Box.HomePath("quota-page.html")));
    }

    [Fact]
    public async Task Blocked_user_gets_the_banner_exit_1_and_no_credentials()
    {
        await using var world = await OidcWorld();
        world.Quota.Answer = "blocked";

        var result = await world.Box.RunAsync();

        AssertBlocked(world, result);
        Assert.Contains("ACCESS BLOCKED - QUOTA EXCEEDED", result.Error, StringComparison.Ordinal);
        Assert.Contains("Monthly token limit exceeded.", result.Error, StringComparison.Ordinal);
        Assert.Contains("  Monthly: 1,040,000,000 / 1,000,000,000 tokens (104.0%)", result.Error, StringComparison.Ordinal);
        Assert.Contains("Policy: user:alice@example.com", result.Error, StringComparison.Ordinal);
        Assert.Contains("To request an unblock, contact your administrator.", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Error: access blocked by the quota policy for profile 'ClaudeCode' (monthly_exceeded); no credentials were issued.\n",
            result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> FailureKinds => new()
    {
        { "garbage", "parse_error" },
        { "server-error", "api_error" },
        { "slow", "timeout" },
        { "refused-token", "jwt_invalid" },
        { "unreachable", "connection_error" },
    };

    [Theory]
    [MemberData(nameof(FailureKinds))]
    public async Task A_failed_check_allows_in_open_mode_with_a_warning(string failure, string reason)
    {
        await using var world = await FailingWorld("open", failure);

        var result = await world.Box.RunAsync();

        Credentials(result);
        Assert.Contains("sts:AssumeRoleWithWebIdentity", world.Aws.Calls);
        var warning = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning: quota check: ", warning, StringComparison.Ordinal);
        Assert.EndsWith($"({reason}); allowed because quota_fail_mode is open.", warning, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FailureKinds))]
    public async Task A_failed_check_blocks_in_closed_mode_with_one_paragraph_and_nothing_written(string failure, string reason)
    {
        await using var world = await FailingWorld("closed", failure);

        var result = await world.Box.RunAsync();

        AssertBlocked(world, result);
        var message = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Error: quota check failed ({reason}): ", message, StringComparison.Ordinal);
        Assert.EndsWith("Access is blocked because quota_fail_mode is closed; try again later, or contact your administrator if this persists.",
            message, StringComparison.Ordinal);
        Assert.False(File.Exists(world.StatePath));
    }

    private static async Task<World> FailingWorld(string failMode, string failure)
    {
        var unreachable = $"http://127.0.0.1:{AwsPeer.FreePort()}/prod";
        var world = await OidcWorld(failMode, failure == "unreachable" ? p => p["quota_api_endpoint"] = unreachable : null);
        switch (failure)
        {
            // The API's authorizer expects another audience: the helper's token is refused with 401.
            case "refused-token": world.Quota.Bearer = (world.Oidc.Issuer, "another-client"); break;
            case "unreachable": break;
            default: world.Quota.Answer = failure; break;
        }
        return world;
    }

    [Fact]
    public async Task The_cached_path_does_not_call_the_quota_api_before_the_interval_and_does_once_it_passed()
    {
        await using var world = await OidcWorld();
        var minted = Credentials(await world.Box.RunAsync());
        Assert.Single(world.Quota.Calls);

        for (var i = 0; i < 3; i++)
        {
            var cached = Credentials(await world.Box.RunAsync());
            Assert.Equal(minted.GetProperty("AccessKeyId").GetString(), cached.GetProperty("AccessKeyId").GetString());
        }
        Assert.Single(world.Quota.Calls);

        AgeState(world, TimeSpan.FromMinutes(29));
        Credentials(await world.Box.RunAsync());
        Assert.Single(world.Quota.Calls);

        AgeState(world, TimeSpan.FromMinutes(31));
        Credentials(await world.Box.RunAsync());
        Assert.Equal(["bearer ok", "bearer ok"], world.Quota.Calls);
        Assert.Equal(1, world.Aws.Calls.Count(c => c == "sts:AssumeRoleWithWebIdentity"));
        Assert.InRange(JsonNode.Parse(File.ReadAllText(world.StatePath))!["last_check_unix"]!.GetValue<long>(),
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Blocked_on_the_cached_path_clears_the_cached_credentials_and_later_calls_stay_blocked()
    {
        await using var world = await OidcWorld();
        Credentials(await world.Box.RunAsync());
        world.Quota.Answer = "blocked";
        AgeState(world, TimeSpan.FromHours(1));

        var blocked = await world.Box.RunAsync();
        var again = await world.Box.RunAsync();

        foreach (var result in new[] { blocked, again })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Equal("", result.Output);
        }
        Assert.DoesNotContain("[ClaudeCode]", File.ReadAllText(world.Box.HomePath(".aws", "credentials")), StringComparison.Ordinal);
        Assert.Equal(1, world.Aws.Calls.Count(c => c == "sts:AssumeRoleWithWebIdentity"));
        Assert.Equal(3, world.Quota.Calls.Count);
    }

    [Fact]
    public async Task Blocked_on_the_cached_path_keeps_the_refresh_token_so_after_an_unblock_no_browser_is_needed()
    {
        await using var world = await OidcWorld();
        Credentials(await world.Box.RunAsync());
        var refreshFile = world.Box.HomePath(".claude-code-session", $"{Profile}-refresh.json");
        var refreshToken = File.ReadAllText(refreshFile);
        world.Quota.Answer = "blocked";
        AgeState(world, TimeSpan.FromHours(1));

        var blocked = await world.Box.RunAsync();

        Assert.True(blocked.ExitCode == 1, blocked.ToString());
        Assert.Contains("ACCESS BLOCKED", blocked.Error, StringComparison.Ordinal);
        // Upstream §8.2 clears the credentials on a block, not the sign-in.
        Assert.Equal(refreshToken, File.ReadAllText(refreshFile));

        // Unblocked, with no id token left to federate: the refresh token renews the sign-in, no browser opens.
        world.Quota.Answer = "allowed";
        File.Delete(world.Box.HomePath(".claude-code-session", $"{Profile}-monitoring.json"));
        var unblocked = await world.Box.RunAsync();

        Credentials(unblocked);
        Assert.Equal(1, world.Oidc.Authorizations);
        Assert.Equal(1, world.Oidc.TokenRequests("refresh_token"));
        Assert.Equal(2, world.Aws.Calls.Count(c => c == "sts:AssumeRoleWithWebIdentity"));
    }

    [Fact]
    public async Task Desktop_bearer_token_is_refused_from_the_cache_when_the_due_check_blocks()
    {
        await using var world = await OidcWorld();
        Credentials(await world.Box.RunAsync());
        world.Quota.Answer = "blocked";
        AgeState(world, TimeSpan.FromHours(1));
        world.Box.Environment["CLAUDE_HELPER_CONTEXT"] = "background";

        var result = await world.Box.RunAsync("--desktop");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.Contains("ACCESS BLOCKED", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_is_served_on_loopback_and_fetched_before_exit_unless_notifications_are_off()
    {
        await using var world = await OidcWorld();
        world.Quota.Answer = "warning";
        world.Box.Environment.Remove("CCWB_NO_BROWSER_NOTIFICATION");
        var page = world.Box.HomePath("quota-page.html");
        // The browser: saves the quota page, follows sign-in redirects as before.
        world.Box.WriteExecutable("browser.sh", "#!/bin/sh\nfor url; do :; done\ncase \"$url\" in\n" +
            $"  *quota-status*) exec curl --silent --noproxy '*' --max-time 10 --output '{page}' --write-out '%{{remote_ip}}' \"$url\" > '{page}.ip' ;;\n" +
            $"  *) exec '{world.Box.Environment["BROWSER"]}' \"$url\" ;;\nesac\n");
        world.Box.Environment["BROWSER"] = world.Box.HomePath("browser.sh");

        Credentials(await world.Box.RunAsync());

        var html = File.ReadAllText(page);
        Assert.Contains("<title>Quota Status - Claude Code</title>", html, StringComparison.Ordinal);
        Assert.Contains("Quota Warning", html, StringComparison.Ordinal);
        Assert.Contains("background:#ffc107", html, StringComparison.Ordinal);
        Assert.Contains("Claude Code with Amazon Bedrock \u2014 Quota Monitor", html, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", File.ReadAllText(page + ".ip"));

        File.Delete(page);
        world.Box.Environment["CCWB_NO_BROWSER_NOTIFICATION"] = "1";
        AgeState(world, TimeSpan.FromHours(1));
        Credentials(await world.Box.RunAsync());
        Assert.False(File.Exists(page));
    }

    [Fact]
    public async Task Plain_http_quota_endpoint_off_this_computer_is_refused_with_a_message_naming_the_key()
    {
        await using var world = await OidcWorld("closed", p => p["quota_api_endpoint"] = "http://quota.example.com/prod");

        var result = await world.Box.RunAsync();

        AssertBlocked(world, result);
        Assert.Contains("Error: quota check failed (config_error): quota_api_endpoint 'http://quota.example.com/prod' in config.json is not an https URL.",
            result.Error, StringComparison.Ordinal);
        Assert.Empty(world.Quota.Calls);
    }

    private static (Sandbox Box, SsoPeer Sso, QuotaPeer Quota) IdentityCenterWorld(string failMode, Action<JsonObject>? adjust = null)
    {
        var sso = new SsoPeer();
        var quota = new QuotaPeer();
        quota.Iam = ("eu-west-1", sso.Issued);
        var box = new Sandbox();
        box.Environment["CCWB_NO_BROWSER_NOTIFICATION"] = "1";
        box.Environment["AWS_ENDPOINT_URL_SSO_OIDC"] = sso.Endpoint;
        box.Environment["AWS_ENDPOINT_URL_SSO"] = sso.Endpoint;
        // The caller-identity lookup after credentials are handed out stays on this computer (not what these tests are about).
        box.Environment["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:1";
        box.Environment["CCWB_IDC_LOCK_PORT"] = AwsPeer.FreePort().ToString(CultureInfo.InvariantCulture);
        var profile = new JsonObject
        {
            ["auth_type"] = "idc", ["sso_enabled"] = false, ["idc_start_url"] = SsoPeer.StartUrl, ["idc_account_id"] = SsoPeer.Account,
            ["idc_permission_set_name"] = SsoPeer.PermissionSet, ["idc_region"] = "eu-west-1", ["aws_region"] = "us-east-1",
            ["quota_api_endpoint"] = quota.Endpoint, ["quota_fail_mode"] = failMode,
        };
        adjust?.Invoke(profile);
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { [Profile] = profile } });
        var session = sso.SignedInSession(accessTokenExpired: false);
        box.WriteFile(Path.Combine(".aws", "sso", "cache", SsoTokenCache.FileName(SsoPeer.StartUrl)), new JsonObject
        {
            ["startUrl"] = SsoPeer.StartUrl, ["region"] = "eu-west-1", ["accessToken"] = session.AccessToken,
            ["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(50).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["clientId"] = session.ClientId, ["clientSecret"] = session.ClientSecret, ["refreshToken"] = session.RefreshToken,
        }.ToJsonString());
        return (box, sso, quota);
    }

    [Fact]
    public async Task Identity_center_signs_the_check_for_execute_api_in_the_idc_region_with_the_role_credentials()
    {
        var (box, sso, quota) = IdentityCenterWorld("closed");
        using var _ = box;
        using var __ = sso;
        using var ___ = quota;

        Credentials(await box.RunAsync());
        Assert.Equal(["sigv4 ok"], quota.Calls);

        quota.Answer = "blocked";
        box.WriteFile(Path.Combine(".aws", "credentials"), ""); // no cached role credentials: the next call mints
        var blocked = await box.RunAsync();
        Assert.True(blocked.ExitCode == 1, blocked.ToString());
        Assert.Equal("", blocked.Output);
        Assert.Contains("ACCESS BLOCKED - QUOTA EXCEEDED", blocked.Error, StringComparison.Ordinal);
        Assert.Equal("", File.ReadAllText(box.HomePath(".aws", "credentials")));
    }

    [Fact]
    public async Task Identity_center_check_signed_for_another_region_is_refused_and_closed_mode_blocks()
    {
        var (box, sso, quota) = IdentityCenterWorld("closed");
        using var _ = box;
        using var __ = sso;
        using var ___ = quota;
        quota.Iam = ("us-east-1", sso.Issued);

        var result = await box.RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.Contains("Error: quota check failed (iam_forbidden)", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("sigv4 refused: credential scope", Assert.Single(quota.Calls), StringComparison.Ordinal);
    }

    /// <summary>Each §8.1 failure of a signed check, and upstream's reason for it.</summary>
    private static readonly (string Failure, string Reason)[] SignedFailures =
    [
        ("garbage", "parse_error"),
        ("server-error", "api_error"),
        ("slow", "timeout"),
        ("refused-signature", "iam_forbidden"),
        ("unauthorized", "jwt_invalid"),
        ("unreachable", "connection_error"),
    ];

    public static TheoryData<string, string> SignedFailureKinds()
    {
        var data = new TheoryData<string, string>();
        foreach (var (failure, reason) in SignedFailures) data.Add(failure, reason);
        return data;
    }

    /// <summary>An Identity Center profile whose signed check fails as <paramref name="failure"/> says.</summary>
    private static (Sandbox Box, SsoPeer Sso, QuotaPeer Quota) FailingIdentityCenterWorld(string failMode, string failure)
    {
        var unreachable = $"http://127.0.0.1:{AwsPeer.FreePort()}/prod";
        var world = IdentityCenterWorld(failMode, profile =>
        {
            profile["quota_check_timeout"] = 2;
            if (failure == "unreachable") profile["quota_api_endpoint"] = unreachable;
        });
        switch (failure)
        {
            // API Gateway knows other keys than those the SSO portal issued: the signature is refused with 403.
            case "refused-signature": world.Quota.Iam = ("eu-west-1", _ => ("another-secret", "")); break;
            case "unreachable": break;
            default: world.Quota.Answer = failure; break;
        }
        return world;
    }

    private static bool CachesRoleCredentials(Sandbox box) =>
        File.Exists(box.HomePath(".aws", "credentials")) && File.ReadAllText(box.HomePath(".aws", "credentials")).Contains($"[{Profile}]", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(SignedFailureKinds))]
    public async Task Identity_center_failed_signed_check_allows_in_open_mode_with_a_warning(string failure, string reason)
    {
        var (box, sso, quota) = FailingIdentityCenterWorld("open", failure);
        using var _ = box;
        using var __ = sso;
        using var ___ = quota;

        var result = await box.RunAsync();

        var credentials = Credentials(result);
        Assert.StartsWith("ASIA", credentials.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.True(CachesRoleCredentials(box));
        var warning = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning: quota check: ", warning, StringComparison.Ordinal);
        Assert.EndsWith($"({reason}); allowed because quota_fail_mode is open.", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("identity token", warning, StringComparison.Ordinal); // nothing but a signature was sent
        if (failure != "unreachable") Assert.StartsWith("sigv4 ", Assert.Single(quota.Calls), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SignedFailureKinds))]
    public async Task Identity_center_failed_signed_check_blocks_in_closed_mode_with_nothing_printed_or_cached(string failure, string reason)
    {
        var (box, sso, quota) = FailingIdentityCenterWorld("closed", failure);
        using var _ = box;
        using var __ = sso;
        using var ___ = quota;

        var result = await box.RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        var message = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Error: quota check failed ({reason}): ", message, StringComparison.Ordinal);
        Assert.EndsWith("Access is blocked because quota_fail_mode is closed; try again later, or contact your administrator if this persists.",
            message, StringComparison.Ordinal);
        Assert.DoesNotContain("identity token", message, StringComparison.Ordinal);
        Assert.False(CachesRoleCredentials(box));
        Assert.Empty(Directory.GetFiles(box.HomePath(".aws"), "*.tmp*"));
        Assert.False(File.Exists(box.HomePath("claude-code-with-bedrock", $".quota-state-{Profile}.json")));
        Assert.Equal(1, sso.Calls.Count(c => c == "GetRoleCredentials"));
    }

    [Fact]
    public async Task Identity_center_cached_path_signs_a_check_with_the_cached_credentials_only_once_the_interval_passed()
    {
        var (box, sso, quota) = IdentityCenterWorld("closed", profile => profile["quota_check_interval"] = 30);
        using var _ = box;
        using var __ = sso;
        using var ___ = quota;
        var statePath = box.HomePath("claude-code-with-bedrock", $".quota-state-{Profile}.json");
        void Age(TimeSpan age) => File.WriteAllText(statePath,
            $"{{\"last_check_unix\":{(DateTimeOffset.UtcNow - age).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}}}");

        var minted = Credentials(await box.RunAsync());
        Assert.Equal(["sigv4 ok"], quota.Calls);
        Assert.True(File.Exists(statePath));

        for (var i = 0; i < 3; i++)
        {
            var cached = Credentials(await box.RunAsync());
            Assert.Equal(minted.GetProperty("AccessKeyId").GetString(), cached.GetProperty("AccessKeyId").GetString());
        }
        Age(TimeSpan.FromMinutes(29));
        Credentials(await box.RunAsync());
        Assert.Single(quota.Calls);

        Age(TimeSpan.FromMinutes(31));
        var checkedAgain = Credentials(await box.RunAsync());
        // Signed with the cached role credentials (their session token included), which the peer verifies; nothing minted.
        Assert.Equal(["sigv4 ok", "sigv4 ok"], quota.Calls);
        Assert.Equal(minted.GetProperty("AccessKeyId").GetString(), checkedAgain.GetProperty("AccessKeyId").GetString());
        Assert.Equal(1, sso.Calls.Count(c => c == "GetRoleCredentials"));
        Assert.InRange(JsonNode.Parse(File.ReadAllText(statePath))!["last_check_unix"]!.GetValue<long>(),
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        // Not due again: the check just made was recorded.
        Credentials(await box.RunAsync());
        Assert.Equal(2, quota.Calls.Count);
    }

    public static TheoryData<string, string, string> SignedFailureKindsInBothModes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var mode in new[] { "open", "closed" })
            foreach (var (failure, reason) in SignedFailures)
                data.Add(failure, reason, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(SignedFailureKindsInBothModes))]
    public async Task Passthrough_failed_signed_check_follows_the_fail_mode(string failure, string reason, string failMode)
    {
        using var quota = new QuotaPeer();
        quota.Iam = ("us-east-1", key => key == "AKIAPASSTHROUGH00001" ? (failure == "refused-signature" ? "rotated/secret" : "ambient/secret", "") : null);
        if (failure is not ("refused-signature" or "unreachable")) quota.Answer = failure;
        using var box = new Sandbox();
        box.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        box.Environment["CCWB_NO_BROWSER_NOTIFICATION"] = "1";
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAPASSTHROUGH00001";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "ambient/secret";
        box.WriteConfig(new JsonObject
        {
            ["profiles"] = new JsonObject
            {
                [Profile] = new JsonObject
                {
                    ["sso_enabled"] = false, ["aws_region"] = "us-east-1", ["quota_fail_mode"] = failMode, ["quota_check_timeout"] = 2,
                    ["quota_api_endpoint"] = failure == "unreachable" ? $"http://127.0.0.1:{AwsPeer.FreePort()}/prod" : quota.Endpoint,
                },
            },
        });

        var result = await box.RunAsync();

        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("identity token", line, StringComparison.Ordinal);
        if (failMode == "open")
        {
            Assert.Equal("AKIAPASSTHROUGH00001", Credentials(result).GetProperty("AccessKeyId").GetString());
            Assert.StartsWith("warning: quota check: ", line, StringComparison.Ordinal);
            Assert.EndsWith($"({reason}); allowed because quota_fail_mode is open.", line, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Equal("", result.Output);
            Assert.StartsWith($"Error: quota check failed ({reason}): ", line, StringComparison.Ordinal);
            Assert.False(File.Exists(box.HomePath("claude-code-with-bedrock", $".quota-state-{Profile}.json")));
        }
        // Passthrough caches nothing of its own: the ambient chain is the cache.
        Assert.False(File.Exists(box.HomePath(".aws", "credentials")));
    }

    [Theory]
    [InlineData("right-secret", 0)]
    [InlineData("wrong-secret", 1)]
    public async Task Passthrough_signs_the_check_with_the_ambient_credentials_on_every_call(string secretKnownToAws, int exitCode)
    {
        using var quota = new QuotaPeer();
        quota.Iam = ("us-east-1", key => key == "AKIAPASSTHROUGH00001" ? (secretKnownToAws == "right-secret" ? "ambient/secret" : "other", "") : null);
        using var box = new Sandbox();
        box.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        box.Environment["CCWB_NO_BROWSER_NOTIFICATION"] = "1";
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAPASSTHROUGH00001";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "ambient/secret";
        box.Environment["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:1";
        box.WriteConfig(new JsonObject
        {
            ["profiles"] = new JsonObject
            {
                [Profile] = new JsonObject
                {
                    ["sso_enabled"] = false, ["aws_region"] = "us-east-1", ["quota_api_endpoint"] = quota.Endpoint, ["quota_fail_mode"] = "closed",
                },
            },
        });

        var first = await box.RunAsync();
        var second = await box.RunAsync();

        Assert.Equal((exitCode, exitCode), (first.ExitCode, second.ExitCode));
        Assert.Equal(2, quota.Calls.Count);
        if (exitCode == 0) Assert.Contains("\"AccessKeyId\":\"AKIAPASSTHROUGH00001\"", first.Output, StringComparison.Ordinal);
        else Assert.Equal(("", "sigv4 refused: SignatureDoesNotMatch"), (first.Output, quota.Calls[0]));
    }
}
