using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ccwb.Cli.Tests.Support;
using QuotaApiPeer = Ccwb.Credentials.Tests.Peers.QuotaPeer;
using Ccwb.Testing;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests;

/// <summary>
/// <c>ccwb test</c> with the real helper (the credential-process build, laid out as Package lays out a package) against
/// the credential suite's STS peer, a Bedrock peer that verifies SigV4 and answers in Bedrock's wire format, and, for
/// the sign-in path, the npm OpenID provider and the quota API peer.
/// </summary>
public sealed class DeploymentTestTests : IDisposable
{
    private const string StaticKey = "AKIAADMINSTATIC00001";
    private const string StaticSecret = "admin/static+secret";
    private const string Haiku = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string Sonnet = "us.anthropic.claude-sonnet-5";
    private const string Opus = "us.anthropic.claude-opus-4-8";
    /// <summary>Debian's AWS CLI v2 (an older CLI may come first on PATH).</summary>
    private const string AwsCli = "/usr/bin/aws";
    private static readonly string PassthroughProfile = Repo.PathOf("profiles", "examples", "none.json");

    private readonly TempDirectory temp = new();
    private readonly AwsPeer sts = new("http://127.0.0.1:9/unused-issuer", "unused-audience");
    private readonly BedrockPeer bedrock;

    public DeploymentTestTests()
    {
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(TempFolder);
        bedrock = new BedrockPeer(sts, "us-west-2", "us-east-1", "us-east-2");
        sts.Trust(StaticKey, StaticSecret, $"arn:aws:sts::{AwsPeer.Account}:assumed-role/Admin/alice@example.com");
    }

    private string Home => temp.Combine("home");
    private string TempFolder => temp.Combine("tmp");
    private string Artifacts => temp.Combine("artifacts");

    /// <summary>What an administrator's shell has: their own AWS keys and the endpoints pointed at the peers.</summary>
    private Dictionary<string, string?> Environment(string? key = StaticKey, string? secret = StaticSecret) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = key,
        ["AWS_SECRET_ACCESS_KEY"] = secret,
        ["AWS_ENDPOINT_URL_STS"] = sts.Endpoint,
        ["AWS_ENDPOINT_URL_BEDROCK"] = bedrock.Endpoint,
        ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = bedrock.Endpoint,
        ["TMPDIR"] = TempFolder,
    };

    private Run.Result Test(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Ccwb.Run(Home, environment, ["test", .. args]);

    private Run.Result TestPassthrough(params string[] extra) => TestPassthroughWith(AwsCli, extra);

    private Run.Result TestPassthroughWith(string awsCli, params string[] extra)
    {
        WritePackage(new JsonObject { ["none"] = new JsonObject { ["sso_enabled"] = false, ["aws_region"] = "us-west-2" } });
        return Test(Environment(), ["--profile-file", PassthroughProfile, "--package", Artifacts, "--aws", awsCli, .. extra]);
    }

    /// <summary>
    /// The folder Package writes, as far as ccwb test reads it: <c>package/</c> with config.json and this machine's
    /// helpers under their package names (the JIT builds: front and full helper; each apphost loads its dll beside it).
    /// </summary>
    private void WritePackage(JsonObject profiles)
    {
        var folder = Path.Combine(Artifacts, "package");
        Directory.CreateDirectory(folder);
        var build = Path.GetDirectoryName(HelperBuild)!;
        foreach (var file in Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(build, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, Path.GetFileName(target) is "credential-process" or "credential-process-full" ? target + "-linux-x64" : target);
        }
        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject { ["profiles"] = profiles }.ToJsonString());
    }

    // The front with credential-process-full beside it (see InstalledCredentialProcess.targets).
    private static string HelperBuild { get; } = Path.Combine(AppContext.BaseDirectory, "installed-credential-process", "credential-process");

    /// <summary>The executable of every process this user can see (from /proc).</summary>
    private static List<string> RunningPrograms()
    {
        var programs = new List<string>();
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try { if (new FileInfo(Path.Combine(process, "exe")).LinkTarget is { } target) programs.Add(target); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* gone, or another user's */ }
        }
        return programs;
    }

    private static JsonObject Json(Run.Result result) => JsonNode.Parse(result.Output)!.AsObject();

    private static List<(string Name, string Status, string? Fix)> Steps(JsonObject report) =>
        [.. report["steps"]!.AsArray().Select(s => (s!["name"]!.GetValue<string>(), s["status"]!.GetValue<string>(), s["fix"]?.GetValue<string>()))];

    /// <summary>
    /// The peers of a sign-in: the npm OpenID provider, STS trusting it, Bedrock and the quota API (whose authorizer
    /// expects <c>quotaAudience</c>), with an OIDC package (direct federation into <see cref="AwsPeer.RoleArn"/>), the
    /// deployment profile naming <c>roleArn</c>, and the environment ccwb runs in (the test browser signs in).
    /// </summary>
    private sealed class SignIn : IAsyncDisposable
    {
        public required OidcPeer Oidc { get; init; }
        public required AwsPeer Aws { get; init; }
        public required BedrockPeer Bedrock { get; init; }
        public required QuotaApiPeer Quota { get; init; }
        public required string ProfileFile { get; init; }
        public required Dictionary<string, string?> Environment { get; init; }

        public async ValueTask DisposeAsync()
        {
            Quota.Dispose();
            Bedrock.Dispose();
            Aws.Dispose();
            await Oidc.DisposeAsync();
        }
    }

    private async Task<SignIn> StartSignInAsync(string roleArn = AwsPeer.RoleArn, string quotaAudience = "claude-code-client")
    {
        var oidc = await OidcPeer.StartAsync();
        var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        var quota = new QuotaApiPeer { Bearer = (oidc.Issuer, quotaAudience) };
        WritePackage(new JsonObject
        {
            ["oidc-test"] = new JsonObject
            {
                ["provider_domain"] = oidc.Issuer, ["provider_type"] = "generic", ["client_id"] = "claude-code-client",
                ["aws_region"] = "us-east-1", ["credential_storage"] = "session",
                ["federated_role_arn"] = AwsPeer.RoleArn, ["federation_type"] = "direct",
            },
        });
        var profile = JsonNode.Parse(File.ReadAllText(Repo.PathOf("profiles", "examples", "generic-oidc.json")))!.AsObject();
        profile["name"] = "oidc-test";
        profile["aws_region"] = "us-east-1";
        profile["cross_region_profile"] = "us";
        profile["selected_model"] = "us.anthropic.claude-sonnet-4-6";
        profile.Remove("selected_source_region");
        profile["allowed_bedrock_regions"] = new JsonArray("us-east-1", "us-east-2", "us-west-2");
        profile["federated_role_arn"] = roleArn;
        profile["quota_api_endpoint"] = quota.Endpoint;
        var file = temp.Combine("oidc-test.json");
        File.WriteAllText(file, profile.ToJsonString());
        var runtime = new BedrockPeer(aws, "us-east-1");
        return new SignIn
        {
            Oidc = oidc, Aws = aws, Bedrock = runtime, Quota = quota, ProfileFile = file,
            Environment = new Dictionary<string, string?>
            {
                ["AWS_ENDPOINT_URL_STS"] = aws.Endpoint,
                ["AWS_ENDPOINT_URL_BEDROCK"] = runtime.Endpoint,
                ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = runtime.Endpoint,
                ["BROWSER"] = Path.Combine(AppContext.BaseDirectory, "Browsers", "follow-redirects.sh"),
                ["REDIRECT_PORT"] = AwsPeer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CCWB_AUTH_TIMEOUT_SECONDS"] = "20",
                ["TMPDIR"] = TempFolder,
            },
        };
    }

    private Run.Result Test(SignIn world, params string[] extra) =>
        Test(world.Environment, ["--profile-file", world.ProfileFile, "--package", Artifacts, "--aws", AwsCli, .. extra]);

    [Fact]
    public async Task A_browser_sign_in_federates_into_the_deployment_role_and_the_quota_api_accepts_its_id_token()
    {
        await using var world = await StartSignInAsync();

        var result = Test(world);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"PASS  credentials: access key ASIA…[0-9A-F]{4} from the helper, valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", result.Output);
        Assert.Matches(@"PASS  identity: the helper's credentials act as arn:aws:sts::123456789012:assumed-role/ClaudeCodeBedrock/\S+\n", result.Output);
        Assert.Contains("PASS  aws cli: the AWS CLI resolves profile ccwb-test-", result.Output); // from the helper's cache: one sign-in
        Assert.Contains("PASS  converse us.anthropic.claude-sonnet-4-6 (selected model, us-east-1): the model answered", result.Output);
        Assert.Contains($"PASS  quota: {world.Quota.Endpoint}/check allows this user: within_quota (monthly 12.5% used)", result.Output);
        Assert.Contains("All 10 steps passed.", result.Output);
        Assert.Equal(1, world.Oidc.Authorizations);
        Assert.Equal(["bearer ok"], world.Quota.Calls); // the id token verified against the provider's keys, issuer and audience
        Assert.Equal(["list", "converse us.anthropic.claude-sonnet-4-6", "converse " + Sonnet, "converse " + Haiku, "converse " + Opus], world.Bedrock.Calls);

        // --quota-only: the helper's cached credentials and id token, no Bedrock call.
        var quotaOnly = Test(world, "--quota-only", "--json");

        Assert.True(quotaOnly.ExitCode == 0, quotaOnly.ToString());
        Assert.Equal(["aws profile", "credentials", "aws cli", "identity", "quota"], Steps(Json(quotaOnly)).Select(s => s.Name));
        Assert.Equal(1, world.Oidc.Authorizations);
        Assert.Equal(5, world.Bedrock.Calls.Count);
        Assert.Equal(["bearer ok", "bearer ok"], world.Quota.Calls);
    }

    [Fact]
    public async Task A_package_that_federates_into_another_account_fails_the_identity_step()
    {
        await using var world = await StartSignInAsync(roleArn: "arn:aws:iam::999999999999:role/ClaudeCodeBedrock");

        var result = Test(world);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"error: identity: the helper's credentials act as arn:aws:sts::123456789012:assumed-role/ClaudeCodeBedrock/\S+, " +
                       @"in account 123456789012 instead of 999999999999; fix: the package federates into another account", result.Error);
        Assert.Empty(world.Bedrock.Calls);
        Assert.Empty(world.Quota.Calls);
    }

    [Fact]
    public void All_steps_pass_and_the_users_aws_config_is_untouched()
    {
        Directory.CreateDirectory(Path.Combine(Home, ".aws"));
        var config = Path.Combine(Home, ".aws", "config");
        File.WriteAllText(config, "[default]\nregion = eu-west-1\n\n[profile admin]\nregion = us-east-1\n");
        var before = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(config)));

        var result = TestPassthrough();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Matches(@"PASS  aws profile: temporary profile ccwb-test-[0-9a-f]{8} runs "".*/package/credential-process-linux-x64"" --profile none", result.Output);
        Assert.Contains("PASS  credentials: access key AKIA…0001 from the helper, no expiry (long-term keys)", result.Output);
        Assert.Matches(@"PASS  aws cli: the AWS CLI resolves profile ccwb-test-[0-9a-f]{8} through credential_process to the same access key", result.Output);
        Assert.Contains("PASS  identity: the helper's credentials act as arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com", result.Output);
        Assert.Contains("PASS  bedrock models (us-west-2): 5 Anthropic models listed, the configured ones among them", result.Output);
        foreach (var (model, family) in new[] { (Haiku, "selected model"), (Sonnet, "sonnet"), (Opus, "opus") })
            Assert.Contains($"PASS  converse {model} ({family}, us-west-2): the model answered (end_turn, 1 output tokens)", result.Output);
        Assert.Contains("All 8 steps passed.", result.Output);
        // Every call was signed for bedrock in the source region with the helper's credentials (the peer refuses otherwise).
        Assert.Equal(["list", "converse " + Haiku, "converse " + Sonnet, "converse " + Opus], bedrock.Calls);
        // The identity step's own call, and one after each of the helper's two runs (the helper's and the AWS CLI's):
        // a passthrough run refreshes the otel header cache from the caller identity, as upstream's does.
        Assert.Equal(["sts:GetCallerIdentity", "sts:GetCallerIdentity", "sts:GetCallerIdentity"], sts.Calls);

        Assert.Equal(before, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(config))));
        Assert.Empty(Directory.EnumerateFileSystemEntries(TempFolder, "ccwb-test-*")); // the temporary AWS config is gone
    }

    [Fact]
    public void Full_calls_each_model_from_every_allowed_region_that_can_call_its_inference_profile()
    {
        var result = TestPassthrough("--full");

        Assert.True(result.ExitCode == 0, result.ToString());
        // none.json allows us-east-1, us-east-2 and us-west-2 (the source region, first); each us profile takes all three.
        foreach (var (model, family) in new[] { (Haiku, "selected model"), (Sonnet, "sonnet"), (Opus, "opus") })
            foreach (var region in new[] { "us-west-2", "us-east-1", "us-east-2" })
                Assert.Contains($"PASS  converse {model} ({family}, {region}): the model answered (end_turn, 1 output tokens)", result.Output);
        Assert.Equal(10, bedrock.Calls.Count);
        Assert.Equal(["us-west-2", "us-west-2", "us-east-1", "us-east-2"], bedrock.SignedRegions.Take(4));
    }

    [Fact]
    public async Task A_helper_that_does_not_finish_in_time_fails_the_credentials_step_and_is_stopped()
    {
        await using var world = await StartSignInAsync();
        world.Environment["BROWSER"] = "/bin/true"; // nobody completes the sign-in

        var result = Test(world, "--helper-timeout", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL  credentials: the helper did not finish within 2 s", result.Output);
        Assert.Contains("fix: a sign-in may be waiting in the browser", result.Output);
        Assert.Empty(world.Aws.Calls);
        Assert.Empty(Directory.EnumerateFileSystemEntries(TempFolder, "ccwb-test-*"));
        Assert.DoesNotContain(RunningPrograms(), p => p.StartsWith(Artifacts, StringComparison.Ordinal)); // the helper was killed
    }

    [Fact]
    public async Task A_quota_api_that_refuses_the_id_token_fails_naming_its_authorizer()
    {
        await using var world = await StartSignInAsync(quotaAudience: "another-client");

        var result = Test(world, "--quota-only");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: quota: The quota service did not accept the identity token (HTTP 401).; fix: the quota API's authorizer does not accept", result.Error);
        Assert.Single(world.Quota.Calls, c => c.StartsWith("bearer refused: SecurityTokenInvalidAudienceException", StringComparison.Ordinal));
        Assert.Empty(world.Bedrock.Calls);
    }

    [Fact]
    public void Without_the_AWS_CLI_the_profile_is_not_tried_by_it_which_is_a_warning()
    {
        var result = TestPassthroughWith(temp.Combine("no-such-aws"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"WARN  aws cli: {temp.Combine("no-such-aws")} not found: no AWS tool tried the temporary profile", result.Output);
        Assert.Contains("fix: install the AWS CLI v2 or pass --aws PATH", result.Output);
    }

    [Fact]
    public void Quota_only_without_a_quota_endpoint_fails_saying_how_to_get_one()
    {
        var result = TestPassthrough("--quota-only");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: quota: the profile configures no quota_api_endpoint; fix: enable quota monitoring in the profile, " +
                     "run 'ccwb deploy quota', and package again\n", result.Error);
        Assert.Empty(bedrock.Calls);
    }

    [Fact]
    public void Json_output_lists_every_step_with_its_status()
    {
        var result = TestPassthrough("--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = Json(result);
        Assert.True(report["passed"]!.GetValue<bool>());
        Assert.Equal("none", report["profile"]!.GetValue<string>());
        Assert.Equal("linux-x64", report["rid"]!.GetValue<string>());
        Assert.Equal(
            ["aws profile", "credentials", "aws cli", "identity", "bedrock models (us-west-2)", $"converse {Haiku} (selected model, us-west-2)",
             $"converse {Sonnet} (sonnet, us-west-2)", $"converse {Opus} (opus, us-west-2)"],
            Steps(report).Select(s => s.Name));
        Assert.All(Steps(report), s => Assert.Equal(("pass", null), (s.Status, s.Fix)));
    }

    [Fact]
    public void Access_denied_on_a_model_fails_with_a_fix_naming_model_access()
    {
        bedrock.Faults[Opus] = "AccessDeniedException";

        var result = TestPassthrough("--json");

        Assert.Equal(1, result.ExitCode);
        var failed = Assert.Single(Steps(Json(result)), s => s.Status == "fail");
        Assert.Equal($"converse {Opus} (opus, us-west-2)", failed.Name);
        Assert.StartsWith($"enable model access for {Opus} in the Bedrock console (Model access)", failed.Fix);
        Assert.Contains($"error: converse {Opus} (opus, us-west-2): AccessDeniedException: You don't have access to the model with the specified model ID.; fix: enable model access", result.Error);
        Assert.Contains("converse " + Haiku, bedrock.Calls); // the other models are still tried
        Assert.Empty(Directory.EnumerateFileSystemEntries(TempFolder, "ccwb-test-*")); // a failed run removes its temporary AWS config too
    }

    [Fact]
    public void Throttling_and_validation_errors_count_as_a_model_that_answered()
    {
        bedrock.Faults[Haiku] = "ThrottlingException";
        bedrock.Faults[Sonnet] = "ValidationException";

        var result = TestPassthrough();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"PASS  converse {Haiku} (selected model, us-west-2): the model answered, throttled (ThrottlingException)", result.Output);
        Assert.Contains($"PASS  converse {Sonnet} (sonnet, us-west-2): the model answered, with a validation error: The provided model identifier is invalid.", result.Output);
    }

    [Fact]
    public void A_model_that_does_not_answer_in_time_is_a_warning()
    {
        bedrock.Faults[Sonnet] = "slow";

        var result = TestPassthrough("--timeout", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"WARN  converse {Sonnet} (sonnet, us-west-2): Bedrock runtime did not answer in time", result.Output);
        Assert.Contains("All 8 steps passed (1 with warnings).", result.Output);
    }

    [Fact]
    public void A_missing_inference_profile_fails_naming_the_model_settings()
    {
        bedrock.Faults[Haiku] = "ResourceNotFoundException";

        var result = TestPassthrough();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: converse {Haiku} (selected model, us-west-2): ResourceNotFoundException: Model not found.; fix: {Haiku} is not an inference profile us-west-2 can call: check selected_model, cross_region_profile and selected_source_region", result.Error);
    }

    [Fact]
    public void Expired_credentials_fail_naming_the_credentials_and_nothing_calls_bedrock()
    {
        sts.Expire(StaticKey);

        var result = TestPassthrough();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL  identity: STS refused the helper's credentials (ExpiredToken): they are expired or not valid", result.Output);
        Assert.Contains("error: identity: STS refused the helper's credentials (ExpiredToken)", result.Error);
        Assert.Contains("refresh your own AWS credentials", result.Error);
        Assert.Empty(bedrock.Calls);
    }

    [Fact]
    public void Credentials_STS_does_not_know_fail_naming_the_credentials()
    {
        WritePackage(new JsonObject { ["none"] = new JsonObject { ["sso_enabled"] = false, ["aws_region"] = "us-west-2" } });

        var result = Test(Environment("AKIAUNKNOWN000000001", "wrong"), "--profile-file", PassthroughProfile, "--package", Artifacts);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: identity: STS refused the helper's credentials (InvalidClientTokenId): they are expired or not valid", result.Error);
        Assert.Empty(bedrock.Calls);
    }

    [Fact]
    public void A_helper_without_credentials_to_pass_through_fails_saying_where_they_come_from()
    {
        WritePackage(new JsonObject { ["none"] = new JsonObject { ["sso_enabled"] = false, ["aws_region"] = "us-west-2" } });

        var result = Test(Environment(null, null), "--profile-file", PassthroughProfile, "--package", Artifacts);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL  credentials: the helper exited with 1: ", result.Output);
        Assert.Contains("fix: with sso_enabled false the helper passes your own AWS credentials through", result.Output);
        Assert.Empty(sts.Calls);
    }

    [Fact]
    public void No_package_is_a_clear_error_and_nothing_runs()
    {
        var result = Test(Environment(), "--profile-file", PassthroughProfile, "--package", Artifacts);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal($"error: --package: no package found in {Artifacts} (looked for package/config.json and config.json); " +
                     "run ./build.sh Package --profile-file <profile> first, or pass --package <folder Package wrote>\n", result.Error);
        Assert.Empty(sts.Calls);
    }

    [Fact]
    public void A_package_without_this_machines_helper_is_a_clear_error()
    {
        Directory.CreateDirectory(Path.Combine(Artifacts, "package"));
        File.WriteAllText(Path.Combine(Artifacts, "package", "config.json"), """{"profiles":{"none":{"sso_enabled":false}}}""");
        File.WriteAllText(Path.Combine(Artifacts, "package", "credential-process-windows.exe"), "MZ");

        var result = Test(Environment(), "--profile-file", PassthroughProfile, "--package", Artifacts);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --package: {Path.Combine(Artifacts, "package")} has no credential-process-linux-x64: the package was not built " +
                     "for this machine (linux-x64); add linux-x64 to the RIDs Package builds\n", result.Error);
    }

    [Fact]
    public void A_package_of_another_profile_is_a_clear_error()
    {
        WritePackage(new JsonObject { ["alpha"] = new JsonObject(), ["beta"] = new JsonObject() });

        var result = Test(Environment(), "--profile-file", PassthroughProfile, "--package", Artifacts);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --package: the package's config.json has no profile 'none' (it holds alpha, beta)", result.Error);
        Assert.Empty(sts.Calls);
    }

    [Fact]
    public void An_unknown_profile_is_a_clear_error()
    {
        var result = Test(Environment(), "--profile", "nosuch", "--package", Artifacts);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("error: profile: ", result.Error);
        Assert.Contains("nosuch", result.Error);
        Assert.DoesNotContain("   at ", result.Error); // no stack trace
    }

    public void Dispose()
    {
        bedrock.Dispose();
        sts.Dispose();
        temp.Dispose();
    }
}
