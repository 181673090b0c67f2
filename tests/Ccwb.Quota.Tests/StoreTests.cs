using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Ccwb.CloudFormation.Templates;
using Ccwb.Testing.Peers;
using static Ccwb.Quota.Tests.Policies;

namespace Ccwb.Quota.Tests;

/// <summary>The DynamoDB store against dynalite, with the tables made from quota-service.yaml's own definitions.</summary>
public sealed class StoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private DynamoPeer peer = null!;
    private AmazonDynamoDBClient client = null!;
    private QuotaStore store = null!;

    public async ValueTask InitializeAsync()
    {
        peer = await DynamoPeer.StartAsync();
        var tables = await peer.CreateTablesFromTemplateAsync(TemplateLibrary.Get(QuotaSchema.TemplateFile).Document, "acme-quota");
        client = Client(peer);
        store = new QuotaStore(client, tables[QuotaSchema.Policies.ResourceName], tables[QuotaSchema.Usage.ResourceName]);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await peer.DisposeAsync();
    }

    internal static AmazonDynamoDBClient Client(DynamoPeer peer) =>
        new(new BasicAWSCredentials(DynamoPeer.AccessKey, DynamoPeer.SecretKey), new AmazonDynamoDBConfig { ServiceURL = peer.Url, AuthenticationRegion = DynamoPeer.Region });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Policies_round_trip_every_field()
    {
        var policy = new QuotaPolicy
        {
            Type = PolicyType.Group, Identifier = "engineering", MonthlyTokenLimit = 3_000_000, DailyTokenLimit = 200_000,
            MonthlyCostLimitUsd = 150.75m, DailyCostLimitUsd = 12m, WarnThresholdPercent = 90,
            MonthlyEnforcement = EnforcementMode.Alert, DailyEnforcement = EnforcementMode.Block, Enabled = false,
            CreatedAt = Now, UpdatedAt = Now.AddHours(1), CreatedBy = "admin@example.com",
        };
        await store.PutPolicyAsync(policy, Ct);
        Assert.Equal(policy, await store.GetPolicyAsync(PolicyType.Group, "engineering", Ct));
        Assert.Null(await store.GetPolicyAsync(PolicyType.User, "engineering", Ct));
    }

    [Fact]
    public async Task Items_have_the_documented_key_shapes()
    {
        await store.PutPolicyAsync(User("alice@example.com", 5), Ct);
        await store.PutUsageAsync(Month(10), Ct);
        var policy = await client.GetItemAsync(store.PoliciesTable, new() { ["pk"] = new("POLICY#user#alice@example.com"), ["sk"] = new("CURRENT") }, Ct);
        Assert.Equal("user", policy.Item["policy_type"].S);
        var usage = await client.GetItemAsync(store.UsageTable, new() { ["pk"] = new("USER#alice@example.com"), ["sk"] = new("MONTH#2026-12") }, Ct);
        Assert.Equal("10", usage.Item["total_tokens"].N);
        // Kept for 400 days after the month ends (1 January 2027).
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(400).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            usage.Item[QuotaSchema.Usage.TtlAttribute].N);
    }

    [Fact]
    public async Task List_reads_each_type_through_the_type_index_in_order()
    {
        await store.PutPoliciesAsync([Default(1), Group("zeta", 2), User("bob@example.com", 3), Group("alpha", 4), User("alice@example.com", 5)], Ct);
        Assert.Equal(["user:alice@example.com", "user:bob@example.com", "group:alpha", "group:zeta", "default:default"],
            (await store.ListPoliciesAsync(ct: Ct)).Select(p => p.Key));
        Assert.Equal(["group:alpha", "group:zeta"], (await store.ListPoliciesAsync(PolicyType.Group, Ct)).Select(p => p.Key));
        Assert.Contains(peer.Requests, r => r.EndsWith(".Query", StringComparison.Ordinal));
        Assert.DoesNotContain(peer.Requests, r => r.EndsWith(".Scan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_writes_and_reads_beyond_one_request_each()
    {
        var groups = Enumerable.Range(0, 130).Select(i => Group($"g{i:D3}", 1_000_000 + i)).ToList();
        await store.PutPoliciesAsync(groups, Ct);
        Assert.Equal(130, (await store.ListPoliciesAsync(PolicyType.Group, Ct)).Count);
        // 130 groups + user + default = 132 keys: two BatchGetItem calls; the lowest monthly limit wins.
        var resolved = await store.ResolveAsync("alice@example.com", groups.Select(g => g.Identifier).Reverse(), Ct);
        Assert.Equal("g000", resolved!.Identifier);
        Assert.Equal(2, peer.Requests.Count(r => r.EndsWith(".BatchGetItem", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Seeding_the_stacks_default_never_replaces_one_an_administrator_set()
    {
        var (seed, errors) = PolicyRows.ReadStackDefault("10000000,0,0,0,80,block,alert");
        Assert.Empty(errors);
        Assert.True(await store.PutPolicyIfAbsentAsync(seed!, Ct));
        MonthlyLimitIs(await store.GetPolicyAsync(PolicyType.Default, "default", Ct), 10_000_000);

        await store.PutPolicyAsync(Default(42), Ct);
        Assert.False(await store.PutPolicyIfAbsentAsync(seed!, Ct));
        MonthlyLimitIs(await store.GetPolicyAsync(PolicyType.Default, "default", Ct), 42);

        static void MonthlyLimitIs(QuotaPolicy? stored, long monthly) => Assert.Equal(monthly, stored!.MonthlyTokenLimit);
    }

    [Fact]
    public async Task Delete_reports_whether_the_policy_existed()
    {
        await store.PutPolicyAsync(Default(5), Ct);
        Assert.True(await store.DeletePolicyAsync(PolicyType.Default, "default", Ct));
        Assert.False(await store.DeletePolicyAsync(PolicyType.Default, "default", Ct));
        Assert.Null(await store.GetPolicyAsync(PolicyType.Default, "default", Ct));
    }

    [Fact]
    public async Task Resolution_from_the_table_is_the_same_as_from_memory()
    {
        QuotaPolicy[] all = [User("alice@example.com", 9, enabled: false), Group("eng", 7), Group("ops", 5), Default(3)];
        await store.PutPoliciesAsync(all, Ct);
        foreach (var (user, groups) in new[] { ("alice@example.com", new[] { "eng", "ops" }), ("alice@example.com", ["eng"]), ("bob@example.com", []), ("bob@example.com", ["nope"]) })
            Assert.Equal(PolicyResolution.Resolve(user, groups, all), await store.ResolveAsync(user, groups, Ct));
    }

    [Fact]
    public async Task Usage_lists_everyone_for_one_month_through_the_period_index()
    {
        await store.PutUsageAsync(Month(100, user: "bob@example.com"), Ct);
        await store.PutUsageAsync(Month(200, user: "alice@example.com"), Ct);
        await store.PutUsageAsync(Month(300, user: "alice@example.com", key: "2026-11"), Ct);
        await store.PutUsageAsync(Day(50, user: "alice@example.com"), Ct);
        var december = await store.ListUsageAsync(UsagePeriod.Month, "2026-12", Ct);
        Assert.Equal([("alice@example.com", 200L), ("bob@example.com", 100L)], december.Select(u => (u.User, u.TotalTokens)));
        Assert.Equal(50, (await store.GetUsageAsync("alice@example.com", UsagePeriod.Day, "2026-12-02", Ct))!.TotalTokens);
    }

    [Fact]
    public async Task Check_blocks_then_an_unblock_lets_through_until_it_expires()
    {
        await store.PutPolicyAsync(Default(1_000), Ct);
        await store.PutUsageAsync(Month(1_000, key: UsageRecord.MonthKey(Now)), Ct);
        Assert.Equal("monthly_exceeded", (await store.CheckAsync("alice@example.com", [], Now, Ct)).Reason);
        // Whatever case the token's e-mail or the telemetry has, it is the same user.
        Assert.Equal("monthly_exceeded", (await store.CheckAsync(" Alice@Example.com", [], Now, Ct)).Reason);
        await store.PutUsageAsync(Month(1_500, user: "ALICE@example.com", key: UsageRecord.MonthKey(Now)), Ct);
        Assert.Equal(1_500, (await store.CheckAsync("alice@example.com", [], Now, Ct)).MonthlyTokens);

        await store.PutUnblockAsync(new UnblockRecord { User = "alice@example.com", ExpiresAt = Now.AddHours(24), CreatedAt = Now, CreatedBy = "admin" }, Ct);
        Assert.Equal("unblocked", (await store.CheckAsync("alice@example.com", [], Now.AddHours(23), Ct)).Reason);
        // The item is still in the table after its expiry (TTL deletes eventually); the check goes by the expiry.
        Assert.Equal("monthly_exceeded", (await store.CheckAsync("alice@example.com", [], Now.AddHours(24), Ct)).Reason);
        Assert.NotEmpty((await client.GetItemAsync(store.UsageTable, new() { ["pk"] = new("USER#alice@example.com"), ["sk"] = new(QuotaSchema.Usage.UnblockSortKey) }, Ct)).Item);
    }
}
