using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Tests.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// IAM Identity Center profiles (<c>auth_type: idc</c>) against the SSO-OIDC / portal peer, with the real AWS CLI v2
/// sharing the SSO token cache.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class IdentityCenterTests : IDisposable
{
    private const string AwsCli = "/usr/bin/aws";

    /// <summary>STS for GetCallerIdentity, which knows the role credentials the SSO peer issues (the otel header cache).</summary>
    private readonly AwsPeer sts = new("https://issuer.invalid", "unused");

    public void Dispose() => sts.Dispose();

    private (Sandbox Box, SsoPeer Peer) Start(string account = SsoPeer.Account, string permissionSet = SsoPeer.PermissionSet)
    {
        var peer = new SsoPeer { Sts = sts };
        var box = new Sandbox();
        box.Environment["AWS_ENDPOINT_URL_SSO_OIDC"] = peer.Endpoint;
        box.Environment["AWS_ENDPOINT_URL_SSO"] = peer.Endpoint;
        box.Environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint;
        box.Environment["CCWB_IDC_LOCK_PORT"] = AwsPeer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        box.WriteConfig(new JsonObject
        {
            ["profiles"] = new JsonObject
            {
                ["ClaudeCode"] = new JsonObject
                {
                    ["auth_type"] = "idc",
                    ["sso_enabled"] = false,
                    ["idc_start_url"] = SsoPeer.StartUrl,
                    ["idc_account_id"] = account,
                    ["idc_permission_set_name"] = permissionSet,
                    ["idc_region"] = "eu-west-1",
                    ["aws_region"] = "us-east-1",
                },
            },
        });
        return (box, peer);
    }

    private static string CachePath(Sandbox box) => box.HomePath(".aws", "sso", "cache", SsoTokenCache.FileName(SsoPeer.StartUrl));

    private static void WriteCache(Sandbox box, (string ClientId, string ClientSecret, string AccessToken, string RefreshToken) session, bool expired)
    {
        box.WriteFile(Path.GetRelativePath(box.Home, CachePath(box)), new JsonObject
        {
            ["startUrl"] = SsoPeer.StartUrl, ["region"] = "eu-west-1", ["accessToken"] = session.AccessToken,
            ["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(expired ? -5 : 50).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["clientId"] = session.ClientId, ["clientSecret"] = session.ClientSecret,
            ["registrationExpiresAt"] = DateTimeOffset.UtcNow.AddDays(60).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["refreshToken"] = session.RefreshToken,
        }.ToJsonString());
    }

    private static JsonElement Credentials(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        var json = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"], json.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("ASIA", json.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        return json;
    }

    /// <summary>The AWS CLI's endpoint rules for one service, pointing it at the peer (AWS CLI 2.9 predates AWS_ENDPOINT_URL_SSO).</summary>
    private static void PointAwsCliAt(TempDirectory data, string service, string endpoint)
    {
        var path = data.Combine(service, "2019-06-10", "endpoint-rule-set-1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, new JsonObject
        {
            ["version"] = "1.0",
            ["parameters"] = new JsonObject
            {
                ["Region"] = new JsonObject { ["builtIn"] = "AWS::Region", ["required"] = false, ["documentation"] = "region", ["type"] = "String" },
            },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["conditions"] = new JsonArray(),
                ["endpoint"] = new JsonObject { ["url"] = endpoint, ["properties"] = new JsonObject(), ["headers"] = new JsonObject() },
                ["type"] = "endpoint",
            }),
        }.ToJsonString());
    }

    private static void WriteAwsCliProfile(Sandbox box) => box.WriteFile(Path.Combine(".aws", "config"), $"""
        [profile idc]
        sso_start_url = {SsoPeer.StartUrl}
        sso_region = eu-west-1
        sso_account_id = {SsoPeer.Account}
        sso_role_name = {SsoPeer.PermissionSet}
        region = us-east-1

        """);

    [Fact]
    public async Task Login_signs_in_by_device_authorization_and_the_aws_cli_uses_the_token_cache_it_wrote()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;

        var login = await box.RunAsync("--login");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("", login.Output);
        Assert.StartsWith("Signed in to IAM Identity Center. Claude Code can now run", Outcome(login), StringComparison.Ordinal);
        Assert.Contains("and verify this code is shown: ", login.Error, StringComparison.Ordinal);
        Assert.Equal(1, peer.Count("RegisterClient"));
        Assert.Equal(1, peer.Count("StartDeviceAuthorization"));
        var cache = JsonNode.Parse(File.ReadAllText(CachePath(box)))!.AsObject();
        Assert.Equal(SsoPeer.StartUrl, cache["startUrl"]!.GetValue<string>());
        Assert.StartsWith("aoa", cache["accessToken"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("aor", cache["refreshToken"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", cache["expiresAt"]!.GetValue<string>());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CachePath(box)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(CachePath(box))!));
        }

        // Again: the cached session is enough.
        var again = await box.RunAsync("--login");
        Assert.StartsWith("Already signed in to IAM Identity Center", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, peer.Count("StartDeviceAuthorization"));

        // The normal run needs no prompt now; the second one is served from the credential cache.
        var first = Credentials(await box.RunAsync());
        var second = Credentials(await box.RunAsync());
        Assert.Equal(first.GetProperty("AccessKeyId").GetString(), second.GetProperty("AccessKeyId").GetString());
        Assert.Equal(1, peer.Count("GetRoleCredentials"));

        // The AWS CLI signs requests with role credentials it obtains with the access token the helper cached.
        using var data = new TempDirectory("aws-data");
        PointAwsCliAt(data, "sso", peer.Endpoint);
        WriteAwsCliProfile(box);
        box.Environment["AWS_DATA_PATH"] = data.Path;
        var exported = await box.RunAsync(AwsCli, ["configure", "export-credentials", "--profile", "idc", "--format", "process"]);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.StartsWith("ASIA", JsonNode.Parse(exported.Output)!["AccessKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, peer.Count("GetRoleCredentials"));
    }

    [Fact]
    public async Task The_helper_uses_the_sso_session_the_aws_cli_signed_in()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        using var data = new TempDirectory("aws-data");
        PointAwsCliAt(data, "sso-oidc", peer.Endpoint);
        WriteAwsCliProfile(box);
        box.Environment["AWS_DATA_PATH"] = data.Path;

        // aws sso login opens $BROWSER on the verification URL; the test browser approves the code there.
        var cli = await box.RunAsync(AwsCli, ["sso", "login", "--profile", "idc"]);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.True(File.Exists(CachePath(box)), "the AWS CLI wrote its cache under another name");
        var cliCache = File.ReadAllText(CachePath(box));

        var credentials = Credentials(await box.RunAsync());

        Assert.NotEmpty(credentials.GetProperty("SessionToken").GetString()!);
        Assert.Equal(1, peer.Count("RegisterClient"));
        Assert.Equal(1, peer.Count("StartDeviceAuthorization"));
        Assert.Equal(1, peer.Count("GetRoleCredentials"));
        Assert.Equal(cliCache, File.ReadAllText(CachePath(box)));
    }

    [Fact]
    public async Task Twenty_concurrent_calls_with_an_expired_access_token_refresh_once_and_are_all_served()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        var session = peer.SignedInSession(accessTokenExpired: true);
        WriteCache(box, session, expired: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => box.RunAsync()));

        foreach (var result in results) Credentials(result);
        Assert.Equal(1, peer.Count("CreateToken:refresh_token"));
        Assert.Equal(0, peer.Count("StartDeviceAuthorization"));
        var cache = JsonNode.Parse(File.ReadAllText(CachePath(box)))!;
        // Rotated: the cache holds the new refresh token, and the CLI's other fields are kept.
        Assert.NotEqual(session.RefreshToken, cache["refreshToken"]!.GetValue<string>());
        Assert.Equal(session.ClientId, cache["clientId"]!.GetValue<string>());
        Assert.DoesNotContain(box.Files().Keys, k => k.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redeemed_refresh_token_is_refused_and_a_run_without_a_terminal_names_the_launcher()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        var session = peer.SignedInSession(accessTokenExpired: true);
        WriteCache(box, session, expired: true);
        Credentials(await box.RunAsync("--login") is { ExitCode: 0 } ? await box.RunAsync() : throw new InvalidOperationException("login failed"));
        // Put the old (already redeemed) refresh token back, as a second writer without the lock would have.
        WriteCache(box, session, expired: true);
        File.Delete(box.HomePath(".aws", "credentials"));
        var before = File.ReadAllText(CachePath(box));

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("Error: Your AWS sign-in session has expired. Renewing it requires a web browser", result.Error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Path.GetDirectoryName(Sandbox.Binary)!, "claude-bedrock"), result.Error, StringComparison.Ordinal);
        Assert.Equal(2, peer.Count("CreateToken:refresh_token"));
        Assert.Equal(0, peer.Count("StartDeviceAuthorization"));
        Assert.Equal(before, File.ReadAllText(CachePath(box)));
        Assert.False(File.Exists(box.HomePath(".aws", "credentials")));
    }

    [Fact]
    public async Task Device_authorization_reuses_an_unexpired_client_registration_and_registers_again_after_expiry()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        Assert.Equal(0, (await box.RunAsync("--login")).ExitCode);
        // Signed out (tokens gone), registration kept: no new registration.
        var cache = JsonNode.Parse(File.ReadAllText(CachePath(box)))!.AsObject();
        cache.Remove("accessToken");
        cache.Remove("refreshToken");
        File.WriteAllText(CachePath(box), cache.ToJsonString());
        Assert.Equal(0, (await box.RunAsync("--login")).ExitCode);
        Assert.Equal(1, peer.Count("RegisterClient"));
        Assert.Equal(2, peer.Count("StartDeviceAuthorization"));

        // The registration's expiry has passed: register again (the peer would refuse the old client).
        cache = JsonNode.Parse(File.ReadAllText(CachePath(box)))!.AsObject();
        cache.Remove("accessToken");
        cache.Remove("refreshToken");
        cache["registrationExpiresAt"] = "2020-01-01T00:00:00Z";
        File.WriteAllText(CachePath(box), cache.ToJsonString());
        Assert.Equal(0, (await box.RunAsync("--login")).ExitCode);
        Assert.Equal(2, peer.Count("RegisterClient"));
    }

    [Fact]
    public async Task Slow_down_adds_five_seconds_to_the_polling_interval()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        peer.SlowDownOnce = true;
        // The browser approves only after a while, so several polls happen.
        box.Environment["BROWSER"] = "/bin/true";
        var login = box.RunAsync("--login");
        await Task.Delay(TimeSpan.FromSeconds(9), TestContext.Current.CancellationToken);
        Assert.Equal(1, peer.Count("StartDeviceAuthorization"));
        // Approve through the verification page, as the user would.
        using (var http = new HttpClient())
            await http.GetAsync(peer.Endpoint + "/device?user_code=" + peer.LastUserCode, TestContext.Current.CancellationToken);
        var result = await login;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEmpty(peer.PollGaps);
        Assert.All(peer.PollGaps, gap => Assert.True(gap >= 5.9, $"polled after {gap:0.0} s"));
    }

    [Fact]
    public async Task Denied_device_authorization_under_login_says_so_first_and_writes_nothing()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        peer.UserDenies = true;

        var result = await box.RunAsync("--login");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("Sign-in didn't complete. Send Claude Code another message to try again.\nDetails: device authorization failed: ", Outcome(result), StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException", result.Error, StringComparison.Ordinal);
        Assert.Empty(box.Files());
    }

    [Theory]
    [InlineData("http://sso.example/device?user_code=ABCD-EFGH")]
    [InlineData("file:///etc/passwd")]
    public async Task A_verification_link_that_is_not_https_is_refused_and_never_opened(string link)
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        peer.VerificationUriComplete = link;
        box.WriteExecutable("browser.sh", "#!/bin/sh\necho \"$1\" >> \"$HOME/opened\"\n");
        box.Environment["BROWSER"] = box.HomePath("browser.sh");

        var result = await box.RunAsync("--login");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains($"StartDeviceAuthorization failed: the verification URL '{link}' is not an https URL, so it was not opened.", result.Error, StringComparison.Ordinal);
        Assert.Equal(["browser.sh"], box.Files().Keys);
        Assert.DoesNotContain(peer.Calls, c => c.StartsWith("CreateToken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expired_device_code_under_login_says_so_and_writes_nothing()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        peer.DeviceCodeSeconds = 2;
        box.Environment["BROWSER"] = "/bin/true";

        var result = await box.RunAsync("--login");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Details: device authorization failed: CreateToken failed: ExpiredTokenException", result.Error, StringComparison.Ordinal);
        Assert.Contains("The code expired before it was approved", result.Error, StringComparison.Ordinal);
        Assert.Empty(box.Files());
    }

    [Fact]
    public async Task Login_that_is_never_approved_times_out_with_the_takeaway_first()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        box.Environment["BROWSER"] = "/bin/true";
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "3";

        var result = await box.RunAsync("--login");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Sign-in timed out — the code wasn't approved in time.\nSend Claude Code another message", Outcome(result), StringComparison.Ordinal);
        Assert.Empty(box.Files());
    }

    [Theory]
    [InlineData("")]
    [InlineData("--get-monitoring-token")]
    public async Task A_run_with_a_terminal_whose_device_code_is_never_approved_ends_with_the_error_line_and_exit_1(string flag)
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        using var outside = new TempDirectory("stdout");
        box.Environment["BROWSER"] = "/bin/true";
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "3";

        // script(1) gives the helper a terminal on stderr, so device authorization starts as it does for a user at a
        // prompt; stdout goes to a file. Everything the helper writes to stderr arrives on script's stdout.
        var stdout = outside.Combine("stdout.txt");
        var command = $"'{Sandbox.Binary}' {flag} > '{stdout}'";
        var result = await box.RunAsync("/usr/bin/script", ["-qefc", command, "/dev/null"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", File.ReadAllText(stdout));
        Assert.Contains("Waiting for sign-in approval...", result.Output, StringComparison.Ordinal);
        Assert.Contains("Error: timed out waiting for browser approval: the code was not approved within 3 s.", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Ccwb.", result.Output, StringComparison.Ordinal);
        Assert.Equal(1, peer.Count("StartDeviceAuthorization"));
        Assert.Empty(box.Files());
    }

    [Fact]
    public async Task Credentials_are_printed_before_they_are_cached_and_an_unwritable_cache_is_a_warning()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        WriteCache(box, peer.SignedInSession(accessTokenExpired: false), expired: false);
        // ~/.aws/credentials links into a folder that cannot exist (a file holds its name): reads find no file, writes fail.
        File.WriteAllText(box.HomePath("blocked"), "a file where a folder should be\n");
        File.CreateSymbolicLink(box.HomePath(".aws", "credentials"), box.HomePath("blocked", "credentials"));

        var result = await box.RunAsync();

        Credentials(result);
        Assert.Contains("warning: credential cache: cannot save the credentials (", result.Error, StringComparison.Ordinal);
        Assert.Equal("a file where a folder should be\n", File.ReadAllText(box.HomePath("blocked")));
        Assert.Equal(1, peer.Count("GetRoleCredentials"));
    }

    private static string HeaderCachePath(Sandbox box, string extension) => box.HomePath(".claude-code-session", "ClaudeCode-otel-headers." + extension);

    [Fact]
    public async Task A_normal_run_writes_the_otel_header_cache_from_the_caller_identity_of_the_credentials_it_printed()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        WriteCache(box, peer.SignedInSession(accessTokenExpired: false), expired: false);

        var credentials = Credentials(await box.RunAsync());

        // STS answered only because the call was signed with the printed credentials (it verifies the SigV4 signature).
        Assert.Equal(["sts:GetCallerIdentity"], sts.Calls);
        Assert.NotNull(peer.Issued(credentials.GetProperty("AccessKeyId").GetString()!));
        var entry = JsonNode.Parse(File.ReadAllText(HeaderCachePath(box, "json")))!.AsObject();
        Assert.Equal(2, entry["schema_version"]!.GetValue<int>());
        Assert.Equal("alice@example.com", entry["headers"]!["x-user-email"]!.GetValue<string>());
        Assert.Equal("alice", entry["headers"]!["x-user-name"]!.GetValue<string>());
        Assert.InRange(entry["token_exp"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(59).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(61).ToUnixTimeSeconds());
        Assert.Equal(entry["headers"]!.ToJsonString(), File.ReadAllText(HeaderCachePath(box, "raw")));

        // The cached path does no network work and writes nothing: neither STS nor the header cache is touched again.
        var written = File.GetLastWriteTimeUtc(HeaderCachePath(box, "json"));
        var before = box.Files();
        Assert.Equal(credentials.GetProperty("AccessKeyId").GetString(), Credentials(await box.RunAsync()).GetProperty("AccessKeyId").GetString());
        Assert.Single(sts.Calls);
        Assert.Equal(1, peer.Count("GetRoleCredentials"));
        Assert.Equal(written, File.GetLastWriteTimeUtc(HeaderCachePath(box, "json")));
        Assert.Equal(before, box.Files());
    }

    [Theory]
    [InlineData("unknown to STS")]
    [InlineData("STS unreachable")]
    public async Task A_failing_caller_identity_lookup_still_prints_and_caches_the_credentials_and_exits_0(string failure)
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        WriteCache(box, peer.SignedInSession(accessTokenExpired: false), expired: false);
        box.Environment["COGNITO_AUTH_DEBUG"] = "1";
        if (failure == "unknown to STS") peer.Sts = null;
        else box.Environment["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{AwsPeer.FreePort()}";

        var result = await box.RunAsync();

        var credentials = Credentials(result);
        Assert.Contains($"aws_access_key_id = {credentials.GetProperty("AccessKeyId").GetString()}", File.ReadAllText(box.HomePath(".aws", "credentials")), StringComparison.Ordinal);
        Assert.Contains("Debug: No attribution headers cached: GetCallerIdentity failed: " +
                        (failure == "unknown to STS" ? "InvalidClientTokenId" : "cannot reach STS"), result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(HeaderCachePath(box, "json")));
        Assert.False(File.Exists(HeaderCachePath(box, "raw")));
    }

    [Fact]
    public async Task Role_credentials_with_a_control_character_are_refused_and_not_cached()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        WriteCache(box, peer.SignedInSession(accessTokenExpired: false), expired: false);
        peer.SessionTokenSuffix = "\n[default]\naws_access_key_id = AKIAINJECTED";

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("Error: the credentials received contain a control character in SessionToken; they are not used.", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(box.HomePath(".aws", "credentials")));
    }

    [Fact]
    public async Task Cached_role_credentials_with_a_control_character_are_not_printed_and_new_ones_are_fetched()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        WriteCache(box, peer.SignedInSession(accessTokenExpired: false), expired: false);
        var expiration = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        box.WriteFile(Path.Combine(".aws", "credentials"),
            $"[ClaudeCode]\naws_access_key_id = ASIACACHED\naws_secret_access_key = secret\naws_session_token = token\u0007bell\nx-expiration = {expiration}\n");

        var credentials = Credentials(await box.RunAsync());

        Assert.NotEqual("ASIACACHED", credentials.GetProperty("AccessKeyId").GetString());
        Assert.Equal(1, peer.Count("GetRoleCredentials"));
        Assert.DoesNotContain("\u0007", File.ReadAllText(box.HomePath(".aws", "credentials")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_sso_cache_is_named_and_left_alone()
    {
        var (box, peer) = Start();
        using var _ = box;
        using var __ = peer;
        box.WriteFile(Path.GetRelativePath(box.Home, CachePath(box)), "{\"accessToken\": \"aoa1\", \"expiresAt\": ");

        var result = await box.RunAsync();

        AssertCleanFailure(result, $"Error: the IAM Identity Center token cache {CachePath(box)} cannot be read: it is not valid JSON");
        Assert.Equal("{\"accessToken\": \"aoa1\", \"expiresAt\": ", File.ReadAllText(CachePath(box)));
        Assert.Empty(peer.Calls);
        Assert.False(Directory.Exists(box.HomePath(".aws", "credentials")));
    }

    [Theory]
    [InlineData("999999999999", SsoPeer.PermissionSet)]
    [InlineData(SsoPeer.Account, "NoSuchPermissionSet")]
    public async Task Unknown_account_or_permission_set_names_both_settings(string account, string permissionSet)
    {
        var (box, peer) = Start(account, permissionSet);
        using var _ = box;
        using var __ = peer;
        WriteCache(box, peer.SignedInSession(accessTokenExpired: false), expired: false);

        var result = await box.RunAsync();

        AssertCleanFailure(result, "Error: IDC authentication failed: GetRoleCredentials failed: ForbiddenException: No access (HTTP 403). " +
                                   $"Check idc_account_id ({account}) and idc_permission_set_name ({permissionSet}) in config.json");
        Assert.False(File.Exists(box.HomePath(".aws", "credentials")));
    }

    [Fact]
    public async Task Incomplete_idc_configuration_lists_each_missing_key()
    {
        var (box, peer) = Start(account: "", permissionSet: "");
        using var _ = box;
        using var __ = peer;

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: incomplete IDC configuration in config.json.\n" +
                     "  Missing: idc_account_id (e.g. 123456789012)\n  Missing: idc_permission_set_name (e.g. ClaudeCodeUser)\n" +
                     "Run 'ccwb init' to reconfigure, or edit config.json directly.\n", result.Error);
        Assert.Empty(box.Files());
    }

    [Fact]
    public async Task Login_on_an_oidc_profile_points_to_the_normal_sign_in()
    {
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = new JsonObject { ["provider_domain"] = "example.okta.com", ["client_id"] = "x" } });

        var result = await box.RunAsync("--login");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("--login is only supported for IAM Identity Center (auth_type=idc) profiles.\n", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eu-west-1", "https://oidc.eu-west-1.amazonaws.com/", "https://portal.sso.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://oidc.cn-north-1.amazonaws.com.cn/", "https://portal.sso.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-gov-west-1", "https://oidc.us-gov-west-1.amazonaws.com/", "https://portal.sso.us-gov-west-1.amazonaws.com/")]
    public void Identity_center_endpoints_follow_the_partition(string region, string oidc, string portal)
    {
        Assert.Equal(oidc, AwsEndpoints.SsoOidc(region, _ => null).ToString());
        Assert.Equal(portal, AwsEndpoints.SsoPortal(region, _ => null).ToString());
        Assert.Equal("http://127.0.0.1:1/", AwsEndpoints.SsoOidc(region, n => n == "AWS_ENDPOINT_URL_SSO_OIDC" ? "http://127.0.0.1:1" : null).ToString());
        Assert.Equal("http://127.0.0.1:2/", AwsEndpoints.SsoPortal(region, n => n == "AWS_ENDPOINT_URL_SSO" ? "http://127.0.0.1:2" : null).ToString());
    }

    /// <summary>What --login printed after the sign-in prompt: its first line is the takeaway.</summary>
    private static string Outcome(Run.Result result)
    {
        const string prompt = "Waiting for sign-in approval...\n";
        var at = result.Error.IndexOf(prompt, StringComparison.Ordinal);
        return at < 0 ? result.Error : result.Error[(at + prompt.Length)..];
    }

    private static void AssertCleanFailure(Run.Result result, string expectedStart)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith(expectedStart, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
