using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Peers;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// credential-process is a small front that answers the cached path itself and hands every other call, unchanged, to
/// credential-process-full beside it. For each state, the front and the full helper run on the same files with the
/// same arguments and environment must agree on stdout, stderr, exit code and the files left behind.
/// </summary>
/// <remarks>
/// The OIDC profiles name a provider nobody can detect, so every call that leaves the cached path ends in the same
/// error without network; AWS endpoints point at a closed port.
/// </remarks>
[Trait(Requires.Trait, Requires.Unix)]
public partial class FrontTests
{
    private const string ClosedPort = "http://127.0.0.1:9";

    /// <summary>The states, by name: the arguments and the seeding of the sandbox, and whether the front answers itself.</summary>
    private static readonly Dictionary<string, (string[] Args, Action<Sandbox> Seed, bool Fast)> States = new(StringComparer.Ordinal)
    {
        ["oidc fresh"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), true),
        ["oidc fresh, -p"] = (["-p", "Other"], TwoProfiles, true),
        ["oidc fresh, --profile"] = (["--profile", "Other"], TwoProfiles, true),
        ["oidc fresh, --profile=X"] = (["--profile=Other"], TwoProfiles, true),
        ["oidc fresh, -profile X"] = (["-profile", "Other"], TwoProfiles, true),
        ["oidc fresh, --p=X"] = (["--p=Other"], TwoProfiles, true),
        ["oidc fresh, -p wins over --profile"] = (["--profile", "ClaudeCode", "-p", "Other"], TwoProfiles, true),
        ["oidc fresh, repeated -p (last wins)"] = (["-p", "ClaudeCode", "-p", "Other"], TwoProfiles, true),
        ["near expiry (20 s left)"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Section("ClaudeCode", DateTimeOffset.UtcNow.AddSeconds(20))), false),
        ["expired"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Section("ClaudeCode", DateTimeOffset.UtcNow.AddHours(-1))), false),
        ["cleared placeholder"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Section("ClaudeCode", DateTimeOffset.UtcNow.AddHours(1), "EXPIRED")), false),
        ["no cached section"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), "[default]\naws_access_key_id = AKIAKEEP\n"), false),
        ["control character in the cached token"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc())),
            Section("ClaudeCode", DateTimeOffset.UtcNow.AddHours(1), token: "to\tken")), false),
        ["non-ASCII cached secret"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc())),
            Section("ClaudeCode", DateTimeOffset.UtcNow.AddHours(1), secret: "s\u00e9cret")), false),
        ["quota not due"] = ([], box => Quota(box, checkedAgo: TimeSpan.FromMinutes(5), intervalMinutes: 60), true),
        ["quota due, no id token (served unchecked)"] = ([], box => Quota(box, checkedAgo: TimeSpan.FromHours(2), intervalMinutes: 60), false),
        ["quota due, id token in the environment (the check fails open and is recorded)"] = ([], box =>
        {
            box.Environment["CLAUDE_CODE_MONITORING_TOKEN"] = Jwt(DateTimeOffset.UtcNow.AddHours(1));
            Quota(box, checkedAgo: TimeSpan.FromHours(2), intervalMinutes: 60);
        }, false),
        ["quota never checked"] = ([], box => Quota(box, checkedAgo: null, intervalMinutes: 60), false),
        ["quota every call"] = ([], box => Quota(box, checkedAgo: TimeSpan.FromMinutes(5), intervalMinutes: 0), false),
        ["idc fresh"] = (["--profile", "IdC"], box => Seed(box, Wrapped(("IdC", Idc())), Fresh("IdC")), true),
        ["idc expired"] = (["--profile", "IdC"], box => Seed(box, Wrapped(("IdC", Idc())), Section("IdC", DateTimeOffset.UtcNow.AddMinutes(-5))), false),
        ["keyring storage"] = ([], box => Seed(box, Wrapped(("ClaudeCode", Oidc(storage: "keyring"))), Fresh("ClaudeCode")), false),
        ["passthrough"] = ([], box =>
        {
            box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAAMBIENT";
            box.Environment["AWS_SECRET_ACCESS_KEY"] = "ambient-secret";
            Seed(box, Wrapped(("ClaudeCode", new JsonObject { ["sso_enabled"] = false, ["aws_region"] = "us-east-1" })), Fresh("ClaudeCode"));
        }, false),
        ["missing config"] = ([], box => box.WriteFile(".aws/credentials", Fresh("ClaudeCode")), false),
        ["sole profile serves the default name"] = ([], box => Seed(box, Wrapped(("Only", Oidc())), Fresh("Only")), true),
        ["two profiles, default name absent"] = ([], box => Seed(box, Wrapped(("One", Oidc()), ("Two", Oidc())), Fresh("One")), false),
        ["CCWB_PROFILE"] = ([], box =>
        {
            box.Environment["CCWB_PROFILE"] = "Other";
            TwoProfiles(box);
        }, true),
        ["CCWB_PROFILE names no profile, sole profile"] = ([], box =>
        {
            box.Environment["CCWB_PROFILE"] = "Nope";
            Seed(box, Wrapped(("Only", Oidc())), Fresh("Only"));
        }, true),
        ["--profile names no profile, sole profile"] = (["--profile", "Nope"], box => Seed(box, Wrapped(("Only", Oidc())), Fresh("Only")), false),
        ["invalid profile name"] = (["-p", "../x"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["flat legacy config with comments and trailing commas"] = ([], box =>
        {
            box.WriteFile("claude-code-with-bedrock/config.json",
                "// written by hand\n{\"ClaudeCode\": {\"okta_domain\": \"idp.example.invalid\", \"okta_client_id\": \"c\", /* legacy */ \"quota_check_interval\": \"30\",},\n \"version\": 2,}\n");
            box.WriteFile(".aws/credentials", Fresh("ClaudeCode"));
        }, true),
        ["a value of the wrong type in another profile"] = ([], box =>
        {
            var other = Oidc();
            other["redirect_port"] = true;
            Seed(box, Wrapped(("ClaudeCode", Oidc()), ("Other", other)), Fresh("ClaudeCode"));
        }, false),
        ["profiles that is not an object"] = ([], box =>
        {
            box.WriteFile("claude-code-with-bedrock/config.json", "{\"profiles\": [], \"ClaudeCode\": {\"provider_domain\": \"x\"}}");
            box.WriteFile(".aws/credentials", Fresh("ClaudeCode"));
        }, false),
        ["config.json that is not JSON"] = ([], box =>
        {
            box.WriteFile("claude-code-with-bedrock/config.json", "{\"profiles\": {\"ClaudeCode\": {}}} trailing");
            box.WriteFile(".aws/credentials", Fresh("ClaudeCode"));
        }, false),
        ["debug output requested"] = ([], box =>
        {
            box.Environment["COGNITO_AUTH_DEBUG"] = "1";
            Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode"));
        }, false),
        ["--version"] = (["--version"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["-v"] = (["-v"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["--help"] = (["--help"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["--check-expiration"] = (["--check-expiration"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["--clear-cache"] = (["--clear-cache"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["--login=false"] = (["--login=false"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["undefined flag"] = (["--bogus"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["-p without a value"] = (["-p"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["a positional argument"] = (["extra"], box => Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode")), false),
        ["desktop, token kept for these credentials"] = (["--desktop"], box => Desktop(box, KeptToken()), true),
        ["desktop, --profile and token kept"] = (["--profile", "ClaudeCode", "--desktop"], box => Desktop(box, KeptToken()), true),
        ["desktop, idc, token kept"] = (["--desktop", "--profile", "IdC"], box =>
        {
            Seed(box, Wrapped(("IdC", Idc())), Fresh("IdC"));
            box.WriteFile(".claude-code-session/IdC-desktop-token", KeptToken());
        }, true),
        ["desktop, no token kept (one is made and kept)"] = (["--desktop"], box => Desktop(box, token: null), false),
        ["desktop, token of another session token"] = (["--desktop"], box => Desktop(box, KeptToken(sessionToken: "other")), false),
        ["desktop, token of another region"] = (["--desktop"], box => Desktop(box, KeptToken(region: "eu-west-1")), false),
        ["desktop, token that ends before the credentials"] = (["--desktop"], box => Desktop(box, KeptToken(signedAgo: TimeSpan.FromHours(11.5))), false),
        ["desktop, token signed in the future"] = (["--desktop"], box => Desktop(box, KeptToken(signedAgo: TimeSpan.FromMinutes(-10))), false),
        ["desktop, token with a line break"] = (["--desktop"], box => Desktop(box, KeptToken() + "\n"), false),
        ["desktop, not a token"] = (["--desktop"], box => Desktop(box, "bedrock-api-key-bm90IGEgdG9rZW4="), false),
        ["desktop, keyring storage"] = (["--desktop"], box =>
        {
            Seed(box, Wrapped(("ClaudeCode", Oidc(storage: "keyring"))), Fresh("ClaudeCode"));
            box.WriteFile(".claude-code-session/ClaudeCode-desktop-token", KeptToken());
        }, false),
        ["desktop, quota due"] = (["--desktop"], box =>
        {
            Quota(box, checkedAgo: TimeSpan.FromHours(2), intervalMinutes: 60);
            box.WriteFile(".claude-code-session/ClaudeCode-desktop-token", KeptToken());
        }, false),
    };

    public static TheoryData<string> StateNames() => [.. States.Keys];

    [Theory]
    [MemberData(nameof(StateNames))]
    public async Task Front_and_full_helper_agree(string state)
    {
        var (args, seed, fast) = States[state];
        using var box = NewSandbox();
        seed(box);
        var seeded = HomeFiles.Save(box.Home);

        var front = await box.RunAsync(Sandbox.Binary, args);
        var frontFiles = Tree(box.Home);
        HomeFiles.Restore(box.Home, seeded);
        var full = await box.RunAsync(Sandbox.FullBinary, args);
        var fullFiles = Tree(box.Home);

        Assert.Equal(MintedTokensBlanked(full.ToString()), MintedTokensBlanked(front.ToString()));
        Assert.Equal(fullFiles, frontFiles);
        if (fast) Assert.True(front.ExitCode == 0 && front.Output.StartsWith(FastAnswerStart(args, box), StringComparison.Ordinal), front.ToString());
    }

    /// <summary>
    /// Without the full helper beside it, the front still serves every cached state, and reports the missing helper for
    /// any other: this fails when the front stops answering the cached path itself.
    /// </summary>
    [Fact]
    public async Task The_front_answers_the_cached_path_itself_and_hands_over_everything_else()
    {
        using var alone = new TempDirectory("ccwb-front-alone");
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Sandbox.Binary)!))
        {
            if (Path.GetFileName(file).StartsWith("credential-process-full", StringComparison.Ordinal)) continue;
            var target = Path.Combine(alone.Path, Path.GetFileName(file));
            File.Copy(file, target);
        }
        var front = Path.Combine(alone.Path, Path.GetFileName(Sandbox.Binary));

        foreach (var (state, (args, seed, fast)) in States)
        {
            using var box = NewSandbox();
            seed(box);
            var result = await box.RunAsync(front, args);
            if (fast)
            {
                Assert.True(result.ExitCode == 0, $"{state}: {result}");
                Assert.StartsWith(FastAnswerStart(args, box), result.Output, StringComparison.Ordinal);
                Assert.Equal("", result.Error);
            }
            else
            {
                Assert.True(result.ExitCode == 1, $"{state}: {result}");
                Assert.Equal("", result.Output);
                Assert.Equal($"Error: cannot run {Path.Combine(alone.Path, "credential-process-full")} (errno 2); it is installed beside credential-process. Reinstall the package.\n",
                    result.Error);
            }
        }
    }

    /// <summary>How a fast state's answer starts: the cached credentials, or the whole answer with the kept desktop token.</summary>
    private static string FastAnswerStart(string[] args, Sandbox box) => args.Contains("--desktop")
        ? "{\"token\":\"" + File.ReadAllText(Directory.GetFiles(box.HomePath(".claude-code-session"), "*-desktop-token").Single()) + "\",\"headers\":{}}\n"
        : "{\"Version\":1,\"AccessKeyId\":\"ASIACACHED\"";

    /// <summary>A desktop token made from the seeded credentials (<see cref="Section"/>'s defaults) a minute ago, or with one part changed.</summary>
    private static string KeptToken(string sessionToken = "token", string region = "us-east-1", TimeSpan? signedAgo = null)
    {
        var now = DateTimeOffset.UtcNow;
        var credentials = new AwsCredentials("ASIACACHED", "secret", sessionToken, now.AddHours(1));
        return BedrockBearerToken.Create(credentials, region, now - (signedAgo ?? TimeSpan.FromMinutes(1)));
    }

    private static void Desktop(Sandbox box, string? token)
    {
        Seed(box, Wrapped(("ClaudeCode", Oidc())), Fresh("ClaudeCode"));
        if (token is not null) box.WriteFile(".claude-code-session/ClaudeCode-desktop-token", token);
    }

    /// <summary>
    /// Tokens made during the run (signed in the last half minute, at whatever second the program ran) read the same;
    /// seeded ones (signed a minute or more before, or in the future) stay as they are.
    /// </summary>
    private static string MintedTokensBlanked(string text) => Token().Replace(text, m =>
    {
        var url = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value));
        if (AmzDate().Match(url) is not { Success: true } date) return m.Value;
        var signedAt = DateTimeOffset.ParseExact(date.Groups[1].Value, "yyyyMMdd'T'HHmmss'Z'",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        var age = DateTimeOffset.UtcNow - signedAt;
        return age >= TimeSpan.Zero && age < TimeSpan.FromSeconds(30) ? "bedrock-api-key-MINTED" : m.Value;
    });

    [GeneratedRegex("bedrock-api-key-([A-Za-z0-9+/]{4,}={0,2})")]
    private static partial Regex Token();

    [GeneratedRegex("X-Amz-Date=([0-9]{8}T[0-9]{6}Z)")]
    private static partial Regex AmzDate();

    private static Sandbox NewSandbox()
    {
        var box = new Sandbox();
        box.Environment["AWS_ENDPOINT_URL"] = ClosedPort;
        return box;
    }

    private static JsonObject Oidc(string storage = "session") => new()
    {
        ["provider_domain"] = "idp.example.invalid",
        ["client_id"] = "claude-code-client",
        ["federated_role_arn"] = AwsPeer.RoleArn,
        ["aws_region"] = "us-east-1",
        ["credential_storage"] = storage,
    };

    private static JsonObject Idc() => new()
    {
        ["auth_type"] = "idc",
        ["sso_enabled"] = false,
        ["idc_start_url"] = "https://d-9067c0ffee.awsapps.com/start",
        ["idc_account_id"] = "111122223333",
        ["idc_permission_set_name"] = "ClaudeCodeUser",
        ["idc_region"] = "eu-west-1",
        ["credential_storage"] = "session",
    };

    private static JsonObject Wrapped(params (string Name, JsonObject Profile)[] profiles)
    {
        var all = new JsonObject();
        foreach (var (name, profile) in profiles) all[name] = profile;
        return new JsonObject { ["profiles"] = all };
    }

    private static void TwoProfiles(Sandbox box) =>
        Seed(box, Wrapped(("ClaudeCode", Oidc()), ("Other", Oidc())), Section("ClaudeCode", DateTimeOffset.UtcNow.AddHours(-1), "ASIASTALE") + Fresh("Other"));

    private static void Quota(Sandbox box, TimeSpan? checkedAgo, int intervalMinutes)
    {
        var profile = Oidc();
        // A provider that needs no network until a sign-in: the quota check's id token comes from the environment or nowhere.
        profile["provider_type"] = "generic";
        profile["quota_api_endpoint"] = ClosedPort + "/prod";
        profile["quota_fail_mode"] = "open";
        profile["quota_check_interval"] = intervalMinutes;
        Seed(box, Wrapped(("ClaudeCode", profile)), Fresh("ClaudeCode"));
        if (checkedAgo is { } ago)
            box.WriteFile("claude-code-with-bedrock/.quota-state-ClaudeCode.json", $"{{\"last_check_unix\":{(DateTimeOffset.UtcNow - ago).ToUnixTimeSeconds()}}}");
    }

    /// <summary>An unsigned id token that expires at <paramref name="expires"/> (the quota check only reads its claims).</summary>
    private static string Jwt(DateTimeOffset expires)
    {
        static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Part("{\"alg\":\"none\"}") + "." + Part($"{{\"exp\":{expires.ToUnixTimeSeconds()},\"email\":\"user@example.com\"}}") + ".sig";
    }

    private static void Seed(Sandbox box, JsonObject config, string credentials)
    {
        box.WriteConfig(config);
        box.WriteFile(".aws/credentials", "[default]\naws_access_key_id = AKIAKEEP\n\n" + credentials);
    }

    private static string Fresh(string profile) => Section(profile, DateTimeOffset.UtcNow.AddHours(1));

    private static string Section(string profile, DateTimeOffset expiration, string accessKey = "ASIACACHED", string secret = "secret",
        string token = "token") =>
        $"[{profile}]\naws_access_key_id = {accessKey}\naws_secret_access_key = {secret}\naws_session_token = {token}\n" +
        $"x-expiration = {expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n\n";

    /// <summary>Every folder and file under HOME with its content; the time a quota check was recorded is blanked.</summary>
    private static SortedDictionary<string, string> Tree(string home) =>
        HomeFiles.Describe(home, (_, content) => MintedTokensBlanked(CheckTime().Replace(content, "\"last_check_unix\":N")));

    [GeneratedRegex("\"last_check_unix\":[0-9]+")]
    private static partial Regex CheckTime();
}
