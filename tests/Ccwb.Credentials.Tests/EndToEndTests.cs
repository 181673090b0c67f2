using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>The built credential-process against a real OpenID provider and the STS / Cognito Identity peer.</summary>
[Trait(Requires.Trait, Requires.Linux)]
public class EndToEndTests
{
    private static JsonElement ParseCredentials(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.EndsWith("\n", result.Output, StringComparison.Ordinal);
        var json = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, json.GetProperty("Version").GetInt32());
        Assert.StartsWith("ASIA", json.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", json.GetProperty("Expiration").GetString());
        Assert.DoesNotContain(" ", lines[0], StringComparison.Ordinal);
        return json;
    }

    [Fact]
    public async Task A_cache_that_cannot_be_written_is_a_warning_and_the_credentials_are_still_printed()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        File.WriteAllText(box.HomePath(".aws"), "a file where the ~/.aws folder should be\n"); // ~/.aws/credentials cannot be written

        var result = await box.RunAsync();

        ParseCredentials(result);
        Assert.Contains("warning: credential cache: cannot save the credentials (", result.Error, StringComparison.Ordinal);
        Assert.Equal("a file where the ~/.aws folder should be\n", File.ReadAllText(box.HomePath(".aws")));
    }

    [Fact]
    public async Task A_cache_that_cannot_be_written_after_a_silent_renewal_is_a_warning_and_the_credentials_are_still_printed()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        ParseCredentials(await box.RunAsync());
        Directory.Delete(box.HomePath(".aws"), recursive: true);
        File.WriteAllText(box.HomePath(".aws"), "a file where the ~/.aws folder should be\n");

        // The cached id token is federated again (no browser); the answer does not depend on the cache being writable.
        var result = await box.RunAsync();

        ParseCredentials(result);
        Assert.Equal((1, 2), (oidc.Authorizations, aws.Calls.Count));
        Assert.Contains("warning: credential cache: cannot save the credentials (", result.Error, StringComparison.Ordinal);
        Assert.Equal("a file where the ~/.aws folder should be\n", File.ReadAllText(box.HomePath(".aws")));
    }

    [Fact]
    public async Task A_session_folder_that_cannot_be_written_after_a_browser_sign_in_is_a_warning_and_the_credentials_are_still_printed()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        // The refresh and monitoring tokens cannot be saved (as in a read-only ~/.claude-code-session).
        File.WriteAllText(box.HomePath(".claude-code-session"), "a file where the session folder should be\n");

        var result = await box.RunAsync();

        ParseCredentials(result);
        Assert.Contains("warning: refresh token: cannot save it (", result.Error, StringComparison.Ordinal);
        Assert.Equal("a file where the session folder should be\n", File.ReadAllText(box.HomePath(".claude-code-session")));
        Assert.Contains("[ClaudeCode]", File.ReadAllText(box.HomePath(".aws", "credentials")), StringComparison.Ordinal);
        // The credentials were cached, so the next call is served without another sign-in.
        ParseCredentials(await box.RunAsync());
        Assert.Equal(1, oidc.Authorizations);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_refreshed_id_token_for_another_subject_is_refused_and_the_browser_signs_in_again(bool monitoringTokenKept)
    {
        // The provider answers the refresh grant with an id token for another user (a refresh token that changed
        // hands): OpenID Connect Core 12.2 requires the same iss and sub as the token it refreshes.
        await using var oidc = await OidcPeer.StartAsync("refresh-other-subject");
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });
        ParseCredentials(await box.RunAsync());
        var refreshToken = File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"));
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        File.WriteAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"), refreshToken);
        if (monitoringTokenKept)
        {
            // The saved id token stays, but is too close to expiry to federate with.
            var monitoring = JsonNode.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")))!;
            monitoring["expires"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60;
            File.WriteAllText(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"), monitoring.ToJsonString());
        }
        else
        {
            // No saved id token: the refresh-token record itself names who signed in.
            File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"));
        }

        ParseCredentials(await box.RunAsync());

        Assert.Equal(1, oidc.TokenRequests("refresh_token"));
        Assert.Equal(2, oidc.Authorizations);
        var saved = JsonNode.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")))!["token"]!.GetValue<string>();
        Assert.Equal("alice-0001", JsonNode.Parse(Base64UrlDecode(saved.Split('.')[1]))!["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task Direct_federation_signs_in_through_the_browser_and_prints_one_json_line()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });

        var first = ParseCredentials(await box.RunAsync());

        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal(1, oidc.TokenRequests("authorization_code"));
        Assert.Equal("alice@example.com", aws.LastSessionName);
        Assert.Equal("43200", aws.LastDurationSeconds);
        var credentials = File.ReadAllText(box.HomePath(".aws", "credentials"));
        Assert.Contains("[ClaudeCode]", credentials, StringComparison.Ordinal);
        Assert.Contains("aws_session_token = " + first.GetProperty("SessionToken").GetString(), credentials, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(box.HomePath(".aws", "credentials")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(box.HomePath(".claude-code-session")));
        }

        // Second call: served from the cache, no provider or STS traffic.
        var callsBefore = aws.Calls.Count;
        var second = ParseCredentials(await box.RunAsync());
        Assert.Equal(first.GetProperty("AccessKeyId").GetString(), second.GetProperty("AccessKeyId").GetString());
        Assert.Equal(first.GetProperty("Expiration").GetString(), second.GetProperty("Expiration").GetString());
        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal(callsBefore, aws.Calls.Count);
    }

    [Fact]
    public async Task Cognito_identity_pool_federation_uses_getid_then_getcredentialsforidentity()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client", cognitoProviderName: oidc.Issuer);
        using var box = new Sandbox();
        // Flat legacy shape with the pre-direct-IAM keys: okta_* names and identity_pool_name.
        var profile = box.Profile(oidc, aws, federation: "cognito");
        profile.Remove("identity_pool_id");
        profile.Remove("federation_type");
        profile["identity_pool_name"] = AwsPeer.IdentityPoolId;
        profile["okta_domain"] = profile["provider_domain"]!.GetValue<string>();
        profile.Remove("provider_domain");
        box.WriteConfig(new JsonObject { ["Legacy"] = profile });

        var json = ParseCredentials(await box.RunAsync("--profile", "Legacy"));

        Assert.Equal(["cognito:GetId", "cognito:GetCredentialsForIdentity"], aws.Calls);
        Assert.Contains("[Legacy]", File.ReadAllText(box.HomePath(".aws", "credentials")), StringComparison.Ordinal);
        Assert.NotEmpty(json.GetProperty("SessionToken").GetString()!);
    }

    [Fact]
    public async Task Expired_credentials_are_renewed_with_the_cached_id_token_then_the_refresh_token_without_a_browser()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        ParseCredentials(await box.RunAsync());
        var firstRefreshToken = File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"));

        // Expired AWS credentials, valid id token: STS again, no provider traffic.
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        File.WriteAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"), firstRefreshToken);
        ParseCredentials(await box.RunAsync());
        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal(0, oidc.TokenRequests("refresh_token"));

        // No usable id token either: the refresh token is redeemed and the rotated one replaces it.
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        File.WriteAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"), firstRefreshToken);
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"));
        ParseCredentials(await box.RunAsync());
        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal(1, oidc.TokenRequests("refresh_token"));
        Assert.NotEqual(firstRefreshToken, File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json")));
    }

    [Fact]
    public async Task Refresh_token_refused_with_invalid_grant_is_deleted_and_the_browser_signs_in_again()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });
        box.WriteFile(".claude-code-session/ClaudeCode-refresh.json", """{"refresh_token":"revoked-token","profile":"ClaudeCode","updated_at":"2026-01-01T00:00:00Z"}""");

        ParseCredentials(await box.RunAsync());

        Assert.Equal(1, oidc.TokenRequests("refresh_token"));
        Assert.Equal(1, oidc.Authorizations);
        Assert.DoesNotContain("revoked-token", File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_token_is_kept_when_the_provider_fails_with_a_server_error()
    {
        await using var oidc = await OidcPeer.StartAsync("refresh-500");
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.Environment["BROWSER"] = "/nonexistent/browser";
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "2";
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });
        var stored = """{"refresh_token":"still-good","profile":"ClaudeCode","updated_at":"2026-01-01T00:00:00Z"}""";
        box.WriteFile(".claude-code-session/ClaudeCode-refresh.json", stored);

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Could not open browser. Visit: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("authentication timeout - no authorization code received within 2s", result.Error, StringComparison.Ordinal);
        Assert.Equal(stored, File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json")));
    }

    [Theory]
    [InlineData("okta")]
    [InlineData("azure")]
    public async Task Provider_specific_endpoints_work_against_a_provider_serving_those_paths(string layout)
    {
        await using var oidc = await OidcPeer.StartAsync("normal", layout);
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        var profile = box.Profile(oidc, aws);
        profile["provider_type"] = layout;
        if (layout == "okta")
        {
            profile["provider_domain"] = oidc.BaseUrl;
            profile["okta_auth_server_id"] = "default";
        }
        else
        {
            // As Entra ID admins write it: with the /v2.0 suffix, which must not be doubled into the token URL.
            profile["provider_domain"] = oidc.BaseUrl + "/tenant-1/v2.0";
            profile["oidc_prompt"] = "";
        }
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = profile });

        ParseCredentials(await box.RunAsync());

        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal(1, oidc.TokenRequests("authorization_code"));
    }

    [Fact]
    public async Task Real_aws_cli_v2_uses_the_helper_as_credential_process_and_its_signed_call_verifies()
    {
        const string awsCli = SystemPrograms.AwsCli;
        Assert.True(File.Exists(awsCli), $"AWS CLI v2 (Debian awscli) is required at {awsCli}");
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        box.WriteFile(".aws/config", $"[profile ClaudeCode]\ncredential_process = {Sandbox.Binary} --profile ClaudeCode\nregion = us-east-1\n");
        box.Environment["AWS_CONFIG_FILE"] = box.HomePath(".aws", "config");
        box.Environment["AWS_SHARED_CREDENTIALS_FILE"] = box.HomePath(".aws", "credentials.cli");

        var result = await box.RunAsync(awsCli, ["sts", "get-caller-identity", "--profile", "ClaudeCode", "--endpoint-url", aws.Endpoint, "--output", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var identity = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/ClaudeCodeBedrock/alice@example.com", identity.GetProperty("Arn").GetString());
        Assert.Equal(["sts:AssumeRoleWithWebIdentity", "sts:GetCallerIdentity"], aws.Calls);
    }

    [Fact]
    public async Task Headless_chromium_completes_the_sign_in_and_shows_the_success_page()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian chromium is required");
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox("chromium.sh");
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "90";
        var page = box.HomePath("page.html");
        box.Environment["CHROMIUM_DOM_OUT"] = page;
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });

        ParseCredentials(await box.RunAsync());

        Assert.Equal(1, oidc.Authorizations);
        // Chromium writes the page after the helper has already printed; give it a moment.
        for (var i = 0; i < 100 && !(File.Exists(page) && File.ReadAllText(page).Contains("</html>", StringComparison.Ordinal)); i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Contains("Authentication successful! You can close this window.", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twenty_concurrent_invocations_on_an_empty_cache_cause_exactly_one_authorization()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "60";
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => box.RunAsync()));

        var keys = results.Select(r => ParseCredentials(r).GetProperty("AccessKeyId").GetString()).ToList();
        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal(1, oidc.TokenRequests("authorization_code"));
        Assert.Single(keys.Distinct());
        Assert.Equal(1, aws.Calls.Count(c => c == "sts:AssumeRoleWithWebIdentity"));
    }

    [Fact]
    public async Task Two_profiles_signing_in_at_once_on_the_default_port_both_get_credentials()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "60";
        box.WriteConfig(new JsonObject
        {
            ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws), ["Research"] = box.Profile(oidc, aws) },
        });

        // One sign-in lock (the callback port) for both: the profile that waits must then sign in itself, not take the
        // other profile's sign-in for a failed one of its own.
        string[] profiles = ["ClaudeCode", "Research", "ClaudeCode", "Research"];
        var results = await Task.WhenAll(profiles.Select(p => box.RunAsync("--profile", p)));

        Assert.All(results, r => ParseCredentials(r));
        Assert.Equal(2, oidc.Authorizations);
    }

    [Fact]
    public async Task Concurrent_invocations_do_not_each_open_a_browser_when_the_sign_in_fails()
    {
        await using var oidc = await OidcPeer.StartAsync("authorize-error");
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });
        box.Environment["CCWB_TEST_BROWSER_DELAY"] = "3";

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => box.RunAsync()));

        Assert.All(results, r => Assert.Equal((1, ""), (r.ExitCode, r.Output)));
        Assert.Equal(1, oidc.Authorizations);
        Assert.Single(results, r => r.Error.Contains("User is not assigned", StringComparison.Ordinal));
        // Recorded for calls that reach the lock only after the failed sign-in released it (see the next test).
        Assert.True(File.Exists(box.HomePath(".claude-code-session", "ClaudeCode-sign-in-failed.json")));
    }

    [Fact]
    public async Task Concurrent_invocations_do_not_each_open_a_browser_when_federation_after_the_sign_in_fails()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client") { Fault = "sts-access-denied" };
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });
        box.Environment["CCWB_TEST_BROWSER_DELAY"] = "3";

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => box.RunAsync()));

        Assert.All(results, r => Assert.Equal((1, ""), (r.ExitCode, r.Output)));
        Assert.Equal(1, oidc.Authorizations);
        Assert.Contains(results, r => r.Error.Contains("AccessDenied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_that_was_already_running_when_a_sign_in_failed_does_not_open_another_browser()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        var config = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) };
        var configPath = box.HomePath("claude-code-with-bedrock", "config.json");
        var failures = new FailedSignInRecord(new SessionPaths(box.Home).FailedSignIn("ClaudeCode"));

        // config.json as a pipe holds the call at its start: the failed sign-in ends while it runs, before it reaches
        // the sign-in lock, so it never sees the lock taken (the case waiting on the lock does not cover).
        Directory.CreateDirectory(Path.GetDirectoryName(configPath)!);
        Run.Checked("mkfifo", configPath);
        var late = box.RunAsync();
        // Opening the pipe for writing returns once the call has opened it for reading, so it is running by then.
        await using (var pipe = await Task.Run(() => new FileStream(configPath, FileMode.Open, FileAccess.Write), TestContext.Current.CancellationToken))
        {
            failures.TrySave();
            await pipe.WriteAsync(System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()), TestContext.Current.CancellationToken);
        }
        // That was the credential-process front, which hands the call (no cached credentials) to credential-process-full:
        // it reads config.json again, and must still count the call as started before the failure. The pipe is opened
        // again only once the front has become the full helper, so the front cannot read this copy too.
        await WaitForFullHelperAsync(box.Home);
        await using (var pipe = await Task.Run(() => new FileStream(configPath, FileMode.Open, FileAccess.Write), TestContext.Current.CancellationToken))
            await pipe.WriteAsync(System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()), TestContext.Current.CancellationToken);
        var refused = await late;

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(FailedSignInRecord.SharedFailure, refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, oidc.Authorizations);

        // A call started after the failure signs in.
        File.Delete(configPath);
        box.WriteConfig(config);
        var later = await box.RunAsync();
        Assert.True(later.ExitCode == 0, later.ToString());
        Assert.Equal(1, oidc.Authorizations);

        // So does one while a failure is recorded in the future (the clock was set back since).
        using var setBack = new Sandbox();
        setBack.WriteConfig(new JsonObject { ["ClaudeCode"] = setBack.Profile(oidc, aws) });
        setBack.WriteFile(Path.Combine(".claude-code-session", "ClaudeCode-sign-in-failed.json"),
            $$"""{"failed_at":"{{DateTime.UtcNow.AddHours(1):O}}"}""");
        var afterSetBack = await setBack.RunAsync();
        Assert.True(afterSetBack.ExitCode == 0, afterSetBack.ToString());
        Assert.Equal(2, oidc.Authorizations);
    }

    /// <summary>Until a process runs credential-process-full with this HOME (the front executes it in its own process).</summary>
    private static async Task WaitForFullHelperAsync(string home)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var full = Path.GetFullPath(Sandbox.FullBinary);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                try
                {
                    if (new FileInfo(Path.Combine(process, "exe")).LinkTarget == full &&
                        File.ReadAllText(Path.Combine(process, "environ")).Split('\0').Contains("HOME=" + home))
                        return;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* gone, or another user's */ }
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("credential-process-full did not start");
    }

    [Fact]
    public async Task Get_monitoring_token_prints_a_validated_id_token_without_minting_aws_credentials()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });

        var result = await box.RunAsync("--get-monitoring-token");

        Assert.True(result.ExitCode == 0, result.ToString());
        var token = result.Output.TrimEnd('\n');
        Assert.Equal(3, token.Split('.').Length);
        Assert.Empty(aws.Calls);
        Assert.False(File.Exists(box.HomePath(".aws", "credentials")));
        var record = JsonDocument.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"))).RootElement;
        Assert.Equal(token, record.GetProperty("token").GetString());
        Assert.Equal("alice@example.com", record.GetProperty("email").GetString());

        // Cached now: no second sign-in.
        Assert.Equal(result.Output, (await box.RunAsync("--get-monitoring-token")).Output);
        Assert.Equal(1, oidc.Authorizations);
    }

    private static string Base64UrlDecode(string part) =>
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight((part.Length + 3) / 4 * 4, '=')));
}
