using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Ccwb.Credentials.Storage;
using Ccwb.Functions.Tests.Peers;
using Ccwb.Functions.UsageMonitor;
using Ccwb.Http;
using Ccwb.Quota;
using Ccwb.Testing.Peers;

namespace Ccwb.Functions.Tests;

/// <summary>
/// A usage monitor run against CloudWatch's PromQL API and SNS (a signature-checking peer) and DynamoDB (dynalite, tables
/// from quota-service.yaml): usage priced and added to month and day, alerts published once.
/// </summary>
public sealed class UsageMonitorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private const string Topic = "arn:aws:sns:us-east-1:123456789012:claude-code-quota-alerts";
    private DynamoPeer dynamo = null!;
    private QuotaStore store = null!;
    private AmazonDynamoDBClient client = null!;
    private CloudWatchSnsPeer aws = null!;

    public async ValueTask InitializeAsync()
    {
        dynamo = await DynamoPeer.StartAsync();
        var tables = await QuotaTables.CreateAsync(dynamo);
        client = new AmazonDynamoDBClient(new BasicAWSCredentials(DynamoPeer.AccessKey, DynamoPeer.SecretKey),
            new AmazonDynamoDBConfig { ServiceURL = dynamo.Url, AuthenticationRegion = DynamoPeer.Region });
        store = new QuotaStore(client, tables.Policies, tables.Usage);
        aws = new CloudWatchSnsPeer();
    }

    public async ValueTask DisposeAsync()
    {
        aws.Dispose();
        client.Dispose();
        await dynamo.DisposeAsync();
    }

    private UsageMonitorFunction Monitor(string secret = CloudWatchSnsPeer.Secret)
    {
        var api = new AwsApi(new HttpTransport(new ProxySelector(_ => null), "tests"),
            new AwsCredentials(CloudWatchSnsPeer.AccessKey, secret, "session", DateTimeOffset.MaxValue), CloudWatchSnsPeer.Region, () => Now);
        var endpoint = new Uri(aws.Endpoint);
        return new UsageMonitorFunction(new PromQlUsage(api, endpoint).Fetch, store, client, new SnsAlertPublisher(api, endpoint, Topic), null,
            TimeSpan.FromMinutes(15));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Window_usage_is_priced_added_to_month_and_day_and_an_alert_is_sent_once()
    {
        await store.PutPolicyAsync(new QuotaPolicy { Type = PolicyType.User, Identifier = "alice@example.com", MonthlyTokenLimit = 1_000_000 }, Ct);
        await store.PutUsageAsync(new UsageRecord { User = "alice@example.com", Period = UsagePeriod.Month, PeriodKey = "2026-12", InputTokens = 700_000, CostUsd = 2.10m }, Ct);
        // 100,000 Sonnet input (0.1 × 3 = 0.30), 20,000 Opus output (0.02 × 25 = 0.50), 50,000 Haiku cache creation
        // (0.05 × 1.25 = 0.0625): 170,000 tokens and $0.8625 in the window.
        aws.Series.AddRange([
            ("alice@example.com", "input", "us.anthropic.claude-sonnet-4-6", 100_000),
            ("alice@example.com", "output", "global.anthropic.claude-opus-4-8", 20_000),
            ("alice@example.com", "cacheCreation", "us.anthropic.claude-haiku-4-5-20251001-v1:0", 50_000),
        ]);

        var first = await Monitor().RunAsync(Now, Ct);
        aws.Series.Clear();
        var second = await Monitor().RunAsync(Now.AddMinutes(15), Ct);

        var month = await store.GetUsageAsync("alice@example.com", UsagePeriod.Month, "2026-12", Ct);
        var day = await store.GetUsageAsync("alice@example.com", UsagePeriod.Day, "2026-12-02", Ct);
        Assert.Equal(870_000, month!.TotalTokens);
        Assert.Equal(2.9625m, month.CostUsd);
        Assert.Equal((170_000, 0.8625m), (day!.TotalTokens, day.CostUsd));
        Assert.Equal(["alice@example.com#monthly#2026-12#warning"], first.AlertsSent);
        Assert.Empty(second.AlertsSent);
        var (topic, subject, message) = Assert.Single(aws.Published);
        Assert.Equal(Topic, topic);
        Assert.Equal("Claude Code WARNING - Monthly Token Quota - 87%", subject);
        Assert.Contains("Usage: 870,000 / 1,000,000 tokens (87.0%)", message);
        Assert.All(aws.Queries, q => Assert.Equal("sum by (\"user.email\", type, model)(sum_over_time({\"claude_code.token.usage\"}[900s]))", q));
    }

    [Fact]
    public async Task More_series_than_one_promql_answer_holds_are_read_in_pieces_and_no_users_usage_is_lost()
    {
        // 300 users sharing the prefix "dev", one whose whole address is "dev", and addresses starting with an
        // upper-case letter and a non-ASCII one: 606 series, more than the 500 CloudWatch answers at most.
        var users = Enumerable.Range(0, 300).Select(i => $"dev{i:000}@example.com").Concat(["dev", "ALICE@example.com", "Ünal@example.com"]).ToList();
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
            aws.Series.AddRange([(user, "input", "us.anthropic.claude-sonnet-4-6", 1_000 + i), (user, "output", "us.anthropic.claude-sonnet-4-6", 10)]);

        var run = await Monitor().RunAsync(Now, Ct);

        Assert.Equal(users.Count, run.UsersWithUsage);
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            var month = await store.GetUsageAsync(user, UsagePeriod.Month, "2026-12", Ct);
            Assert.True(month is not null, user);
            Assert.Equal((1_000L + i, 10L), (month.InputTokens, month.OutputTokens));
        }
        // The first answer was cut short, so the users were asked for again in pieces, each answered whole.
        var queries = aws.Queries.ToList();
        Assert.Equal(PromQlUsage.Query(TimeSpan.FromMinutes(15)), queries[0]);
        Assert.Contains(PromQlUsage.Query(TimeSpan.FromMinutes(15), "[dD][eE][vV]"), queries);
        Assert.Contains(PromQlUsage.Query(TimeSpan.FromMinutes(15), "[dD][eE][vV]0.*"), queries);
    }

    [Fact]
    public async Task One_user_with_more_series_than_an_answer_holds_fails_the_run_with_a_clear_message_and_writes_nothing()
    {
        aws.Series.AddRange(Enumerable.Range(0, 500).Select(i => ("a@b", "input", $"model-{i}", 1L)));
        aws.Series.Add(("carol@example.com", "input", "us.anthropic.claude-sonnet-4-6", 1_000));

        var error = await Assert.ThrowsAsync<AwsApiException>(() => Monitor().RunAsync(Now, Ct));

        Assert.Equal("PromQL answers 500 series for the one user matching [aA][^a-zA-Z0-9][bB]; their usage cannot be read completely", error.Message);
        Assert.Null(await store.GetUsageAsync("carol@example.com", UsagePeriod.Month, "2026-12", Ct));
    }

    [Fact]
    public async Task Users_without_a_policy_get_no_alert()
    {
        aws.Series.Add(("nobody@example.com", "input", "claude-sonnet-4-6", 5_000_000));

        var run = await Monitor().RunAsync(Now, Ct);

        Assert.Equal((1, 0), (run.UsersWithUsage, run.UsersChecked));
        Assert.Empty(aws.Published);
    }

    [Fact]
    public async Task A_wrongly_signed_call_is_refused_and_the_run_fails_without_writing_usage()
    {
        aws.Series.Add(("alice@example.com", "input", "claude-sonnet-4-6", 1_000));

        var error = await Assert.ThrowsAsync<AwsApiException>(() => Monitor(secret: "not-the-role-secret").RunAsync(Now, Ct));

        Assert.StartsWith("monitoring answered HTTP 403", error.Message);
        Assert.Equal("monitoring: SignatureDoesNotMatch", Assert.Single(aws.Refused));
        Assert.Null(await store.GetUsageAsync("alice@example.com", UsagePeriod.Month, "2026-12", Ct));
    }
}
