using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// otel-helper as Claude Code runs it, with id tokens from the npm OpenID provider obtained by the built
/// credential-process, which also writes the header cache otel-helper serves.
/// </summary>
[Trait(Requires.Trait, Requires.Unix)]
public class OtelHelperTests
{
    private static string UserId(string subject)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static readonly Dictionary<string, string> AttributionHeaders = new()
    {
        ["x-user-email"] = "alice@example.com", ["x-user-id"] = UserId("alice-0001"), ["x-user-name"] = "alice.example",
        ["x-organization"] = "amazon-internal", ["x-department"] = "Engineering", ["x-team-id"] = "platform",
        ["x-cost-center"] = "CC-1234", ["x-manager"] = "bob@example.com", ["x-location"] = "Berlin", ["x-role"] = "Staff Engineer",
        ["x-project"] = "flat-project",
    };

    // Non-string claims are skipped, missing ones fall back along their chain or to the default.
    private static readonly Dictionary<string, string> OddClaimHeaders = new()
    {
        ["x-user-email"] = "alice.mail@example.com", ["x-user-id"] = UserId("alice-0001"), ["x-user-name"] = "alice.mail",
        ["x-organization"] = "amazon-internal", ["x-department"] = "R&D <Labs>", ["x-team-id"] = "default-team",
        ["x-cost-center"] = "general", ["x-manager"] = "unassigned", ["x-location"] = "remote", ["x-role"] = "user",
        ["x-project"] = "nested-only",
    };

    private static async Task<(OidcPeer Oidc, AwsPeer Aws, Sandbox Box)> SignedInAsync(string mode, string layout = "generic")
    {
        var oidc = await OidcPeer.StartAsync(mode, layout);
        var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        var box = new Sandbox();
        var profile = box.Profile(oidc, aws);
        if (layout == "okta")
        {
            profile["provider_type"] = "okta";
            profile["provider_domain"] = oidc.BaseUrl;
            profile["okta_auth_server_id"] = "default";
        }
        if (layout == "azure")
        {
            profile["provider_type"] = "azure";
            profile["provider_domain"] = oidc.BaseUrl + "/tenant-1/v2.0";
            profile["oidc_prompt"] = "";
        }
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = profile } });
        box.InstallCredentialProcess();
        var signIn = await box.RunAsync();
        Assert.True(signIn.ExitCode == 0, signIn.ToString());
        return (oidc, aws, box);
    }

    private static Task<Run.Result> OtelHelperAsync(Sandbox box, params string[] args) => box.RunAsync(Sandbox.OtelHelper, args);

    private static Dictionary<string, string> Headers(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("}\n", result.Output, StringComparison.Ordinal);
        Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return JsonSerializer.Deserialize<Dictionary<string, string>>(result.Output)!;
    }

    private static string MonitoringToken(Sandbox box) =>
        JsonNode.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")))!["token"]!.GetValue<string>();

    private static JsonObject CacheEntry(Sandbox box) =>
        JsonNode.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json")))!.AsObject();

    private static void AssertHeaders(Dictionary<string, string> expected, string token, Dictionary<string, string> actual)
    {
        var withBearer = new Dictionary<string, string>(expected) { ["authorization"] = "Bearer " + token };
        Assert.Equal(withBearer.OrderBy(h => h.Key, StringComparer.Ordinal), actual.OrderBy(h => h.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("generic")]
    [InlineData("okta")]
    [InlineData("azure")]
    public async Task Sign_in_writes_the_header_cache_and_otel_helper_serves_it_with_the_bearer(string layout)
    {
        var (oidc, aws, box) = await SignedInAsync("attribution-claims", layout);
        await using var _ = oidc;
        using var __ = aws;
        using var ___ = box;

        var entry = CacheEntry(box);
        Assert.Equal(2, entry["schema_version"]!.GetValue<int>());
        Assert.False(entry["headers"]!.AsObject().ContainsKey("authorization"));
        Assert.Equal(JsonSerializer.Serialize(entry["headers"]), File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.raw")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json")));

        var result = await OtelHelperAsync(box, "--profile", "ClaudeCode");

        AssertHeaders(AttributionHeaders, MonitoringToken(box), Headers(result));
        Assert.Equal("", result.Error);
        Assert.Equal(1, oidc.Authorizations);
    }

    [Fact]
    public async Task Missing_and_non_string_claims_fall_back_along_their_chains_when_otel_helper_extracts_them_itself()
    {
        var (oidc, aws, box) = await SignedInAsync("attribution-odd-claims");
        await using var _ = oidc;
        using var __ = aws;
        using var ___ = box;
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json"));

        AssertHeaders(OddClaimHeaders, MonitoringToken(box), Headers(await OtelHelperAsync(box)));

        // It cached what it extracted, without the bearer, until the token's exp.
        var entry = CacheEntry(box);
        Assert.Equal(OddClaimHeaders.OrderBy(h => h.Key, StringComparer.Ordinal),
            entry["headers"]!.AsObject().Select(h => KeyValuePair.Create(h.Key, h.Value!.GetValue<string>())));
        Assert.Equal(JsonNode.Parse(File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")))!["expires"]!.GetValue<long>(),
            entry["token_exp"]!.GetValue<long>());
    }

    [Fact]
    public async Task Without_a_stored_token_it_asks_credential_process_which_refreshes_silently()
    {
        var (oidc, aws, box) = await SignedInAsync("attribution-claims");
        await using var _ = oidc;
        using var __ = aws;
        using var ___ = box;
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json"));
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"));

        var headers = Headers(await OtelHelperAsync(box));

        AssertHeaders(AttributionHeaders, MonitoringToken(box), headers);
        Assert.Equal((1, 1), (oidc.Authorizations, oidc.TokenRequests("refresh_token")));
    }

    [Fact]
    public async Task Both_programs_read_and_write_the_header_cache_concurrently()
    {
        var (oidc, aws, box) = await SignedInAsync("attribution-claims");
        await using var _ = oidc;
        using var __ = aws;
        using var ___ = box;
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json"));
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"));

        // Every otel-helper misses the cache at first and may start credential-process; one of those redeems the
        // refresh token and writes the cache while the others read or write it.
        var helpers = Enumerable.Range(0, 6).Select(_ => OtelHelperAsync(box)).ToList();
        var tokens = Enumerable.Range(0, 2).Select(_ => box.RunAsync("--get-monitoring-token")).ToList();
        await Task.WhenAll(helpers.Concat(tokens));

        var token = MonitoringToken(box);
        foreach (var helper in helpers) AssertHeaders(AttributionHeaders, token, Headers(await helper));
        foreach (var result in tokens) Assert.Equal((0, token + "\n"), ((await result).ExitCode, (await result).Output));
        Assert.Equal((1, 1), (oidc.Authorizations, oidc.TokenRequests("refresh_token")));
        Assert.Equal(AttributionHeaders.OrderBy(h => h.Key, StringComparer.Ordinal),
            CacheEntry(box)["headers"]!.AsObject().Select(h => KeyValuePair.Create(h.Key, h.Value!.GetValue<string>())));
        Assert.DoesNotContain(Directory.GetFiles(box.HomePath(".claude-code-session")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_nothing_to_go_on_it_prints_an_empty_object_exits_0_and_caches_the_miss_for_two_minutes()
    {
        using var box = new Sandbox();

        var result = await OtelHelperAsync(box);

        Assert.Equal((0, "{}\n", ""), (result.ExitCode, result.Output, result.Error));
        var entry = CacheEntry(box);
        Assert.Empty(entry["headers"]!.AsObject());
        Assert.InRange(entry["token_exp"]!.GetValue<long>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 100, 121);
        // The timed empty entry is served while it lasts: no credential-process is looked for.
        var again = await OtelHelperAsync(box, "--verbose");
        Assert.Equal("{}\n", again.Output);
        Assert.Contains("header cache hit (0 headers)", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"schema_version\":2,\"headers\":{\"x-user-email\":")]
    [InlineData("[\"schema_version\",2]")]
    [InlineData("{\"schema_version\":\"2\",\"headers\":{\"x-user-email\":\"carol@example.com\"}}")]
    [InlineData("{\"schema_version\":2,\"headers\":{\"x-user-email\":7}}")]
    [InlineData("{\"schema_version\":2,\"headers\":[\"x-user-email\"]}")]
    [InlineData("{\"schema_version\":2,\"headers\":{},\"token_exp\":1e40}")]
    public async Task An_unreadable_cache_is_not_overwritten_by_the_empty_entry(string content)
    {
        using var box = new Sandbox();
        box.WriteFile(".claude-code-session/ClaudeCode-otel-headers.json", content);
        Assert.Equal("{}\n", (await OtelHelperAsync(box)).Output);
        Assert.Equal(content, File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json")));
    }

    [Fact]
    public async Task Populated_headers_are_served_after_token_exp_and_old_schemas_are_a_miss()
    {
        using var box = new Sandbox();
        box.WriteFile(".claude-code-session/Team-otel-headers.json",
            "{\"schema_version\":2,\"headers\":{\"x-user-email\":\"carol@example.com\"},\"token_exp\":1000,\"cached_at\":900}");
        box.Environment["AWS_PROFILE"] = "Team";
        Assert.Equal("{\"x-user-email\":\"carol@example.com\"}\n", (await OtelHelperAsync(box)).Output);

        // With a byte order mark, as Windows PowerShell's UTF-8 writes it.
        box.WriteFile(".claude-code-session/Team-otel-headers.json",
            "\uFEFF{\"schema_version\":2,\"headers\":{\"x-user-email\":\"dave@example.com\"},\"token_exp\":1000,\"cached_at\":900}");
        Assert.Equal("{\"x-user-email\":\"dave@example.com\"}\n", (await OtelHelperAsync(box)).Output);

        box.WriteFile(".claude-code-session/Team-otel-headers.json",
            "{\"schema_version\":1,\"headers\":{\"x-user-email\":\"carol@example.com\"},\"token_exp\":99999999999,\"cached_at\":900}");
        Assert.Equal("{}\n", (await OtelHelperAsync(box)).Output);
    }

    [Fact]
    public async Task Profile_flag_beats_ccwb_profile_beats_aws_profile()
    {
        using var box = new Sandbox();
        foreach (var name in (string[])["Flag", "Ccwb", "Aws"])
            box.WriteFile($".claude-code-session/{name}-otel-headers.json",
                $"{{\"schema_version\":2,\"headers\":{{\"x-team-id\":\"{name}\"}},\"token_exp\":1,\"cached_at\":1}}");
        box.Environment["AWS_PROFILE"] = "Aws";
        Assert.Equal("{\"x-team-id\":\"Aws\"}\n", (await OtelHelperAsync(box)).Output);
        box.Environment["CCWB_PROFILE"] = "Ccwb";
        Assert.Equal("{\"x-team-id\":\"Ccwb\"}\n", (await OtelHelperAsync(box)).Output);
        Assert.Equal("{\"x-team-id\":\"Flag\"}\n", (await OtelHelperAsync(box, "--profile=Flag")).Output);
    }

    [Fact]
    public async Task Test_mode_prints_headers_and_attributes_and_writes_nothing()
    {
        var (oidc, aws, box) = await SignedInAsync("attribution-claims");
        await using var _ = oidc;
        using var __ = aws;
        using var ___ = box;
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-otel-headers.json"));
        var before = box.Files();

        var result = await OtelHelperAsync(box, "--test");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("===== TEST MODE OUTPUT =====\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("X-User-ID: " + UserId("alice-0001") + "\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("\n===== Extracted Attributes =====\nuser.email: alice@example.com\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("project: flat-project\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("service.name: claude-code\n", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, box.Files());
    }

    [Fact]
    public async Task Status_reports_the_proxy_port_and_cached_header_names_only()
    {
        using var box = new Sandbox();
        box.WriteFile(".claude-code-session/ClaudeCode-otel-headers.json",
            "{\"schema_version\":2,\"headers\":{\"x-user-email\":\"secret@example.com\",\"x-role\":\"r\"},\"token_exp\":1,\"cached_at\":1}");
        var result = await OtelHelperAsync(box, "--status");
        Assert.Equal(0, result.ExitCode);
        var status = JsonNode.Parse(result.Output)!;
        Assert.Equal("ClaudeCode", status["profile"]!.GetValue<string>());
        Assert.Matches("^(linux|darwin|windows)/(amd64|arm64)$", status["platform"]!.GetValue<string>());
        Assert.True(status["cache"]!["has_headers"]!.GetValue<bool>());
        Assert.Equal(["x-role", "x-user-email"], status["cache"]!["header_keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.DoesNotContain("secret@example.com", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"proxy\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_and_bad_flags()
    {
        using var box = new Sandbox();
        Assert.Matches(@"^otel-helper \S+ \(\S+\)\n$", (await OtelHelperAsync(box, "--version")).Output);
        var bad = await OtelHelperAsync(box, "--no-such-flag");
        Assert.Equal((2, ""), (bad.ExitCode, bad.Output));
        Assert.StartsWith("flag provided but not defined: -no-such-flag\n", bad.Error, StringComparison.Ordinal);
    }
}
