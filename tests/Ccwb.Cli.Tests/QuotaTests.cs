using System.Text.Json.Nodes;
using Ccwb.Cli.Tests.Support;
using Ccwb.Quota;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests;

/// <summary><c>ccwb quota</c> against dynalite, with the tables made from the quota stack's template.</summary>
public sealed class QuotaTests(QuotaPeer peer) : IClassFixture<QuotaPeer>, IAsyncLifetime, IDisposable
{
    private readonly TempDirectory temp = new();
    private QuotaStore store = null!;

    private string Home => temp.Combine("home");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        store = await peer.NewTablesAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => temp.Dispose();

    private string[] Tables => ["--policies-table", store.PoliciesTable, "--usage-table", store.UsageTable];

    /// <summary>ccwb quota with the tables named and the endpoint from AWS_ENDPOINT_URL_DYNAMODB (the SDK's own setting).</summary>
    private Run.Result Quota(params string[] args) => Ccwb.Run(Home, peer.Dynamo.Environment, ["quota", .. args, .. Tables]);

    private static void Succeeded(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
    }

    /// <summary>Exit 1, exactly the expected error lines on stderr (no stack trace), nothing on stdout.</summary>
    private static void Failed(Run.Result result, params string[] errorLines)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(errorLines, result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", result.Output);
    }

    private async Task<IReadOnlyList<string>> StoredKeysAsync() => [.. (await store.ListPoliciesAsync(ct: Ct)).Select(p => p.Key)];

    [Fact]
    public async Task Set_user_group_default_and_generic_set_store_policies_that_list_shows()
    {
        Succeeded(Quota("set-user", "Alice@Example.com", "--monthly-limit", "1.5M", "--daily-limit", "100K", "--enforcement", "alert"));
        Succeeded(Quota("set-group", "engineering", "--monthly-limit", "3M", "--daily-enforcement", "block", "--warn-percent", "90"));
        Succeeded(Quota("set-default", "--monthly-limit", "10M", "--monthly-cost-limit", "250"));
        var set = Quota("set", "--type", "group", "--identifier", "research", "--monthly-limit", "20M", "--disable");
        Succeeded(set);
        Assert.Equal("Created group:research: monthly 20,000,000 tokens (block), daily unlimited (alert), warn at 80%, DISABLED\n", set.Output);

        var alice = await store.GetPolicyAsync(PolicyType.User, "alice@example.com", Ct);
        Assert.Equal((1_500_000L, 100_000L, EnforcementMode.Alert, true), (alice!.MonthlyTokenLimit, alice.DailyTokenLimit, alice.MonthlyEnforcement, alice.Enabled));
        var engineering = await store.GetPolicyAsync(PolicyType.Group, "engineering", Ct);
        Assert.Equal((EnforcementMode.Block, 90), (engineering!.DailyEnforcement, engineering.WarnThresholdPercent));
        Assert.Equal(250m, (await store.GetPolicyAsync(PolicyType.Default, "default", Ct))!.MonthlyCostLimitUsd);
        Assert.False((await store.GetPolicyAsync(PolicyType.Group, "research", Ct))!.Enabled);

        var list = Quota("list");
        Succeeded(list);
        Assert.Equal(
            """
            POLICY                  MONTHLY     DAILY      MONTHLY $  DAILY $  WARN  MODE   DAILY MODE  ENABLED
            user:alice@example.com  1,500,000   100,000    -          -        80%   alert  alert       yes
            group:engineering       3,000,000   unlimited  -          -        90%   block  block       yes
            group:research          20,000,000  unlimited  -          -        80%   block  alert       no
            default:default         10,000,000  unlimited  250.00     -        80%   block  alert       yes

            """.ReplaceLineEndings("\n"), list.Output);
        Assert.Equal(["group:engineering", "group:research"],
            JsonNode.Parse(Quota("list", "--type", "group", "--json").Output)!["policies"]!.AsArray().Select(p => $"{p!["type"]}:{p["identifier"]}"));
    }

    [Fact]
    public async Task Setting_one_limit_keeps_the_others_and_the_creation_record()
    {
        Succeeded(Quota("set-user", "bob@example.com", "--monthly-limit", "5M", "--daily-limit", "200K", "--warn-percent", "70"));
        var created = await store.GetPolicyAsync(PolicyType.User, "bob@example.com", Ct);
        var update = Quota("set-user", "bob@example.com", "--daily-limit", "300K");
        Succeeded(update);
        Assert.StartsWith("Updated user:bob@example.com: monthly 5,000,000 tokens", update.Output, StringComparison.Ordinal);
        var updated = await store.GetPolicyAsync(PolicyType.User, "bob@example.com", Ct);
        Assert.Equal((5_000_000L, 300_000L, 70), (updated!.MonthlyTokenLimit, updated.DailyTokenLimit, updated.WarnThresholdPercent));
        Assert.Equal(created!.CreatedAt, updated.CreatedAt);
    }

    [Fact]
    public async Task Show_prints_the_effective_policy_by_the_one_resolution()
    {
        await store.PutPoliciesAsync([
            new QuotaPolicy { Type = PolicyType.User, Identifier = "carol@example.com", MonthlyTokenLimit = 1_000, Enabled = false },
            new QuotaPolicy { Type = PolicyType.Group, Identifier = "ops", MonthlyTokenLimit = 5_000_000 },
            new QuotaPolicy { Type = PolicyType.Group, Identifier = "eng", MonthlyTokenLimit = 3_000_000, DailyTokenLimit = 200_000 },
            new QuotaPolicy { Type = PolicyType.Default, Identifier = "default", MonthlyTokenLimit = 10_000_000 },
        ], Ct);
        var now = DateTimeOffset.UtcNow;
        await store.PutUsageAsync(new UsageRecord { User = "carol@example.com", Period = UsagePeriod.Month, PeriodKey = UsageRecord.MonthKey(now), InputTokens = 2_000_000, OutputTokens = 500_000, CostUsd = 12.5m }, Ct);

        var show = Quota("show", "Carol@example.com", "--groups", "ops, eng,sales");
        Succeeded(show);
        var lines = show.Output.Split('\n');
        Assert.Equal("Policy:   group:eng (the most restrictive of 2 enabled group policies: lowest monthly token limit)", lines[2]);
        Assert.Equal("Skipped:  user:carol@example.com (disabled)", lines[3]);
        Assert.Equal("Limits:   monthly 3,000,000 tokens (block), daily 200,000 tokens (alert), warn at 80%", lines[4]);
        Assert.StartsWith("Usage:    2,500,000 tokens ($12.50) in ", lines[5], StringComparison.Ordinal);
        Assert.Equal("Check:    allowed (within_quota, warning): Usage is within quota.", lines[6]);
        // The same answer the library's resolution gives from the stored policies.
        Assert.Equal("eng", PolicyResolution.Resolve("carol@example.com", ["ops", "eng", "sales"], await store.ListPoliciesAsync(ct: Ct))!.Identifier);

        Assert.Contains("Policy:   default:default (no enabled user or group policy applies)", Quota("show", "carol@example.com").Output, StringComparison.Ordinal);
        Assert.Contains("Policy:   group:ops (the policy of the user's group)", Quota("show", "dave@example.com", "--groups", "ops").Output, StringComparison.Ordinal);
        Succeeded(Quota("delete", "default"));
        Assert.Contains("Policy:   none (usage is unlimited)", Quota("show", "dave@example.com").Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unblock_lets_a_blocked_user_through_until_its_expiry()
    {
        Succeeded(Quota("set-default", "--monthly-limit", "1000"));
        var now = DateTimeOffset.UtcNow;
        await store.PutUsageAsync(new UsageRecord { User = "erin@example.com", Period = UsagePeriod.Month, PeriodKey = UsageRecord.MonthKey(now), OutputTokens = 1_000 }, Ct);
        Assert.Contains("Check:    BLOCKED (monthly_exceeded)", Quota("show", "erin@example.com").Output, StringComparison.Ordinal);

        var until = now.AddHours(30).ToString("yyyy-MM-ddTHH:mm:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var unblock = Quota("unblock", "erin@example.com", "--until", until, "--reason", "release week");
        Succeeded(unblock);
        var stored = await store.GetActiveUnblockAsync("erin@example.com", now, Ct);
        Assert.Equal(DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture), stored!.ExpiresAt);
        Assert.Equal("release week", stored.Reason);
        Assert.Contains("Check:    allowed (unblocked, warning): Monthly token limit reached: 1,000 of 1,000 tokens. Access was unblocked by an administrator until ", Quota("show", "erin@example.com").Output, StringComparison.Ordinal);
        Assert.Null(await store.GetActiveUnblockAsync("erin@example.com", stored.ExpiresAt, Ct));

        Succeeded(Quota("unblock", "erin@example.com", "--duration", "2d"));
        var twoDays = await store.GetActiveUnblockAsync("erin@example.com", now, Ct);
        Assert.InRange(twoDays!.ExpiresAt - now, TimeSpan.FromDays(2), TimeSpan.FromDays(2) + TimeSpan.FromMinutes(2));
        Succeeded(Quota("unblock", "erin@example.com"));
        Assert.InRange((await store.GetActiveUnblockAsync("erin@example.com", now, Ct))!.ExpiresAt - now, TimeSpan.FromHours(24), TimeSpan.FromHours(24) + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Usage_lists_every_user_of_a_month_or_one_users_month_and_day()
    {
        var now = DateTimeOffset.UtcNow;
        await store.PutUsageAsync(new UsageRecord { User = "zed@example.com", Period = UsagePeriod.Month, PeriodKey = "2026-11", InputTokens = 1_000, OutputTokens = 200, CostUsd = 0.5m }, Ct);
        await store.PutUsageAsync(new UsageRecord { User = "amy@example.com", Period = UsagePeriod.Month, PeriodKey = "2026-11", InputTokens = 3_000, CacheReadTokens = 10_000, CostUsd = 1.25m }, Ct);
        await store.PutUsageAsync(new UsageRecord { User = "amy@example.com", Period = UsagePeriod.Month, PeriodKey = "2026-10", InputTokens = 9 }, Ct);
        var november = Quota("usage", "--month", "2026-11");
        Succeeded(november);
        Assert.Equal(
            """
            USER             PERIOD   INPUT  OUTPUT  CACHE READ  CACHE WRITE  TOTAL   COST $
            amy@example.com  2026-11  3,000  0       10,000      0            13,000  1.25
            zed@example.com  2026-11  1,000  200     0           0            1,200   0.50

            """.ReplaceLineEndings("\n"), november.Output);

        await store.PutUsageAsync(new UsageRecord { User = "amy@example.com", Period = UsagePeriod.Month, PeriodKey = UsageRecord.MonthKey(now), InputTokens = 700 }, Ct);
        await store.PutUsageAsync(new UsageRecord { User = "amy@example.com", Period = UsagePeriod.Day, PeriodKey = UsageRecord.DayKey(now), InputTokens = 70 }, Ct);
        var amy = Quota("usage", "AMY@example.com");
        Succeeded(amy);
        Assert.Contains($"amy@example.com  {UsageRecord.MonthKey(now)}  ", amy.Output, StringComparison.Ordinal);
        Assert.Contains($"amy@example.com  {UsageRecord.DayKey(now)}  70", amy.Output, StringComparison.Ordinal);
        Assert.Equal("No usage recorded for 2020-01.\n", Quota("usage", "--month", "2020-01").Output);
    }

    [Fact]
    public async Task Delete_removes_one_policy_and_refuses_one_that_does_not_exist()
    {
        Succeeded(Quota("set-group", "ops", "--monthly-limit", "1M"));
        Succeeded(Quota("set-user", "fay@example.com", "--monthly-limit", "1M"));
        Assert.Equal("Deleted group:ops.\n", Quota("delete", "group", "ops").Output);
        Assert.Equal(["user:fay@example.com"], await StoredKeysAsync());
        Failed(Quota("delete", "group", "ops"), "error: group:ops: no such policy");
        Failed(Quota("delete", "user", "FAY"), "error: email: 'FAY' is not an e-mail address");
        Assert.Equal(["user:fay@example.com"], await StoredKeysAsync());
    }

    public static TheoryData<string[], string[]> BadInputs() => new()
    {
        { ["set-user", "bob", "--monthly-limit", "lots", "--enforcement", "shout"],
            ["error: email: 'bob' is not an e-mail address",
             "error: --monthly-limit: 'lots' is not a token amount (a whole number, optionally with K, M or B: 500K, 1.5M)",
             "error: --enforcement: 'shout' is not an enforcement mode: use 'alert' or 'block'"] },
        { ["set-group", "a#b", "--monthly-limit", "1M"], ["error: group: 'a#b' is not a usable group name (1-256 printable characters, no '#')"] },
        { ["set-default", "--monthly-limit", "2B"], ["error: --monthly-limit: 2000000000 is out of range (0 for none, up to 1,000,000,000)"] },
        { ["set-default", "--monthly-limit", "1M", "--daily-limit", "2M"], ["error: --daily-limit: 2000000 is above the monthly limit 1000000"] },
        { ["set-default", "--warn-percent", "0"], ["error: --warn-percent: 0 is out of range (1-100)"] },
        { ["set-default", "--monthly-cost-limit", "-5"], ["error: --monthly-cost-limit: '-5' is not an amount of US dollars of 0 or more"] },
        { ["set-default", "--enable", "--disable"], ["error: --enable: cannot be combined with --disable"] },
        { ["set", "--type", "team", "--identifier", "x"], ["error: type: 'team' is not a policy type: use user, group or default"] },
        { ["set", "--type", "default", "--identifier", "everyone"], ["error: identifier: the default policy has no identifier (got 'everyone')"] },
        { ["set", "--type", "user", "--monthly-limit", "1M"], ["error: email: a user policy needs the user's e-mail address"] },
        { ["list", "--type", "team"], ["error: type: 'team' is not a policy type: use user, group or default"] },
        { ["show", "alice@example.com", "--groups", "ok,bad#group"], ["error: --groups: 'bad#group' is not a usable group name (1-256 printable characters, no '#')"] },
        { ["unblock", "alice@example.com", "--duration", "8d"], ["error: --duration: '8d' is not a duration: use Nh (up to 168h), Nd (up to 7d) or until-reset"] },
        { ["unblock", "alice@example.com", "--until", "2020-01-01T00:00Z"], ["error: --until: 2020-01-01 00:00 UTC is not in the future"] },
        { ["unblock", "alice@example.com", "--until", "next tuesday"], ["error: --until: 'next tuesday' is not a date and time (ISO 8601, e.g. 2026-12-24T18:00Z)"] },
        { ["unblock", "alice@example.com", "--until", "2099-01-01T00:00Z", "--duration", "1d"], ["error: --until: cannot be combined with --duration"] },
        { ["usage", "--month", "2026-13"], ["error: --month: '2026-13' is not a month as yyyy-MM"] },
        { ["export", "--format", "xml"], ["error: --format: 'xml' is not csv or json"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_named_in_one_error_line_each_and_nothing_is_written(string[] args, string[] errors)
    {
        var before = peer.Dynamo.Requests.Count;
        Failed(Quota(args), errors);
        // Refused before any table was touched.
        Assert.Empty(peer.Dynamo.Requests.Skip(before));
        Assert.Empty(await StoredKeysAsync());
        Assert.Null(await store.GetActiveUnblockAsync("alice@example.com", DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task Import_of_a_csv_file_creates_or_replaces_every_policy()
    {
        Succeeded(Quota("set-group", "eng", "--monthly-limit", "1M"));
        var csv = temp.Combine("policies.csv");
        File.WriteAllText(csv, """
            type,identifier,monthly_token_limit,daily_token_limit,enforcement_mode,enabled
            user,Gail@Example.com,2M,100K,alert,true
            group,eng,4M,,block,yes
            group,"data, science",500K,,,false

            default,,10M,,,
            """);
        var import = Quota("import", csv);
        Succeeded(import);
        Assert.Equal("Imported 4 policies (1 user, 2 group, 1 default).\n", import.Output);
        Assert.Equal(["user:gail@example.com", "group:data, science", "group:eng", "default:default"], await StoredKeysAsync());
        Assert.Equal(4_000_000, (await store.GetPolicyAsync(PolicyType.Group, "eng", Ct))!.MonthlyTokenLimit);
        Assert.False((await store.GetPolicyAsync(PolicyType.Group, "data, science", Ct))!.Enabled);
    }

    [Fact]
    public async Task Import_with_any_bad_row_writes_nothing_and_names_every_bad_row_with_its_line()
    {
        var csv = temp.Combine("policies.csv");
        File.WriteAllText(csv, """
            type,identifier,monthly_token_limit,enforcement_mode
            user,ok@example.com,1M,block
            user,not-an-email,1M,block
            group,eng,lots,shout
            group,ops,2M
            team,x,1M,block
            user,OK@example.com,3M,alert
            """);
        var before = peer.Dynamo.Requests.Count;
        Failed(Quota("import", csv),
            "error: policies.csv:3: identifier: 'not-an-email' is not an e-mail address",
            "error: policies.csv:4: monthly_token_limit: 'lots' is not a token amount (a whole number, optionally with K, M or B: 500K, 1.5M)",
            "error: policies.csv:4: enforcement_mode: 'shout' is not an enforcement mode: use 'alert' or 'block'",
            "error: policies.csv:5: columns: 3 values for 4 columns",
            "error: policies.csv:6: type: 'team' is not user, group or default",
            "error: policies.csv:7: identifier: user:ok@example.com is also at policies.csv:2; each policy may appear once",
            "error: import: nothing was imported: 5 entries have errors");
        Assert.Empty(peer.Dynamo.Requests.Skip(before));
        Assert.Empty(await StoredKeysAsync());
    }

    [Fact]
    public async Task Import_of_a_malformed_or_empty_csv_names_the_line_and_writes_nothing()
    {
        var broken = temp.Combine("broken.csv");
        File.WriteAllText(broken, "type,identifier\ndefault,\ngroup,\"a\"b\n");
        Failed(Quota("import", broken), "error: broken.csv:3: is not valid CSV: A delimiter, newline or EOF was expected after a closing quote.");
        var empty = temp.Combine("empty.csv");
        File.WriteAllText(empty, "");
        Failed(Quota("import", empty), "error: empty.csv: is empty: its first line must name the columns (type, identifier, monthly_token_limit, " +
                                       "daily_token_limit, monthly_cost_limit_usd, daily_cost_limit_usd, warn_threshold_percent, enforcement_mode, daily_enforcement_mode, enabled)");
        var headerOnly = temp.Combine("header-only.csv");
        File.WriteAllText(headerOnly, "type,identifier\n");
        Failed(Quota("import", headerOnly), "error: header-only.csv: policies: the file holds no policy", "error: import: nothing was imported: 1 entry has errors");
        Assert.Empty(await StoredKeysAsync());
    }

    [Fact]
    public async Task Import_of_json_checks_value_types_and_unknown_keys_before_writing()
    {
        var bad = temp.Combine("bad.json");
        File.WriteAllText(bad, """{"policies": [{"type": "default", "monthly_token_limit": 1000000}, {"type": "group", "identifier": "eng", "monthly_limit": 5}, {"type": "user", "identifier": "h@example.com", "enabled": [true]}]}""");
        Failed(Quota("import", bad),
            "error: bad.json:policies[1]: monthly_limit: unknown column (expected: type, identifier, monthly_token_limit, daily_token_limit, monthly_cost_limit_usd, daily_cost_limit_usd, warn_threshold_percent, enforcement_mode, daily_enforcement_mode, enabled)",
            "error: bad.json:policies[2]: enabled: must be a string, number or boolean",
            "error: import: nothing was imported: 2 entries have errors");
        Assert.Empty(await StoredKeysAsync());

        var broken = temp.Combine("broken.json");
        File.WriteAllText(broken, "{\"policies\": [");
        var result = Quota("import", broken);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: broken.json: is not valid JSON: ", result.Error, StringComparison.Ordinal);
        Failed(Quota("import", temp.Combine("missing.csv")), "error: missing.csv: file not found");
        var text = temp.Combine("policies.txt");
        File.WriteAllText(text, "type\ndefault\n");
        Failed(Quota("import", text), "error: --format: cannot tell the format of 'policies.txt' from its extension; pass --format csv or --format json");
        Assert.Empty(await StoredKeysAsync());
    }

    [Fact]
    public async Task Export_then_import_into_empty_tables_gives_the_same_policies_in_both_formats()
    {
        Succeeded(Quota("set-user", "ian@example.com", "--monthly-limit", "2M", "--daily-cost-limit", "7.5", "--daily-enforcement", "block"));
        Succeeded(Quota("set-group", "eng, \"core\"", "--monthly-limit", "4M", "--warn-percent", "95", "--disable"));
        Succeeded(Quota("set-default", "--monthly-limit", "10M"));
        var original = await store.ListPoliciesAsync(ct: Ct);
        foreach (var format in new[] { "csv", "json" })
        {
            var file = temp.Combine($"export.{format}");
            var export = Quota("export", "--output", file);
            Succeeded(export);
            Assert.Equal($"Exported 3 policies to {file}.\n", export.Output);
            var stdout = Quota("export", "--format", format);
            Assert.Equal(File.ReadAllText(file), stdout.Output);
            Snapshot.Verify(stdout.Output, format, format);

            store = await peer.NewTablesAsync();
            Succeeded(Quota("import", file));
            var imported = await store.ListPoliciesAsync(ct: Ct);
            Assert.Equal(original.Select(Limits), imported.Select(Limits));
        }
        var nowhere = temp.Combine("missing-folder", "export.csv");
        Failed(Quota("export", "--output", nowhere), $"error: file: Could not find a part of the path '{nowhere}.tmp'.");
        Assert.False(Directory.Exists(temp.Combine("missing-folder")));

        static QuotaPolicy Limits(QuotaPolicy p) => p with { CreatedAt = null, UpdatedAt = null, CreatedBy = null };
    }

    [Fact]
    public async Task Tables_come_from_the_profile_when_not_given_and_a_profile_without_them_is_named()
    {
        var profile = JsonNode.Parse(File.ReadAllText(Repo.PathOf("profiles", "examples", "okta-direct.json")))!.AsObject();
        profile["quota_policies_table"] = store.PoliciesTable;
        profile["user_quota_metrics_table"] = store.UsageTable;
        var withTables = temp.Combine("with-tables.json");
        File.WriteAllText(withTables, profile.ToJsonString());
        var environment = new Dictionary<string, string?>(peer.Dynamo.Environment) { ["AWS_REGION"] = null };
        Succeeded(Ccwb.Run(Home, environment, "quota", "set-default", "--monthly-limit", "1M", "--profile-file", withTables));
        Assert.Equal(["default:default"], await StoredKeysAsync());

        profile.Remove("quota_policies_table");
        var without = temp.Combine("without-tables.json");
        File.WriteAllText(without, profile.ToJsonString());
        Failed(Ccwb.Run(Home, environment, "quota", "list", "--profile-file", without),
            "error: quota_policies_table: is not set in profile 'okta-direct': deploy the quota stack (its table names are written to the profile) or pass --policies-table");
    }

    [Fact]
    public async Task Endpoint_option_works_without_the_sdk_setting_and_missing_tables_or_endpoints_are_one_error_line()
    {
        var environment = new Dictionary<string, string?>(peer.Dynamo.Environment) { ["AWS_ENDPOINT_URL_DYNAMODB"] = null };
        Succeeded(Ccwb.Run(Home, environment, ["quota", "set-group", "eng", "--monthly-limit", "1M", "--endpoint-url", peer.Dynamo.Url, .. Tables]));
        Assert.Equal(["group:eng"], await StoredKeysAsync());

        Failed(Ccwb.Run(Home, peer.Dynamo.Environment, "quota", "list", "--policies-table", "nope", "--usage-table", store.UsageTable),
            $"error: dynamodb: a quota table was not found (policies 'nope', usage '{store.UsageTable}'): deploy the quota stack or check --policies-table / --usage-table and the region");

        var closed = $"http://127.0.0.1:{Testing.Peers.AwsPeer.FreePort()}";
        var unreachable = Ccwb.Run(Home, environment, ["quota", "list", "--endpoint-url", closed, .. Tables]);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("error: dynamodb: could not connect: ", unreachable.Error, StringComparison.Ordinal);
        Assert.Single(unreachable.Error.TrimEnd('\n').Split('\n'));
        Failed(Ccwb.Run(Home, environment, ["quota", "list", "--endpoint-url", "ftp://x", .. Tables]), "error: --endpoint-url: 'ftp://x' is not an http(s) URL");
    }

    [Fact]
    public void Missing_region_or_credentials_is_one_error_line_not_a_stack_trace()
    {
        Failed(Ccwb.Run(Home, null, ["quota", "list", .. Tables]),
            "error: --region: no AWS region is set: pass --region, set aws_region in the profile, or set AWS_REGION");
        Failed(Ccwb.Run(Home, null, ["quota", "list", "--region", "us-east-1", "--endpoint-url", peer.Dynamo.Url, .. Tables]),
            "error: aws: no AWS credentials found: use a named profile (AWS_PROFILE, aws sso login) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
}
