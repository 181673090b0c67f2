using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ccwb.Quota;

namespace Ccwb.Functions.UsageMonitor;

/// <summary>What one run did.</summary>
public sealed record MonitorRun(int UsersWithUsage, int UsersChecked, IReadOnlyList<string> AlertsSent);

/// <summary>
/// One monitor run: the window's usage priced and added to each user's month and day, then every user with usage this
/// month checked against their policy, and the alerts not yet sent published and recorded (items
/// <c>pk=ALERTS</c>, <c>sk=ALERT#{period}#{user}#{limit}#{period}#{level}</c> in the usage table, kept 60 days).
/// </summary>
public sealed class UsageMonitorFunction(Func<TimeSpan, DateTimeOffset, IReadOnlyList<TokenSample>> fetchUsage, QuotaStore store,
    IAmazonDynamoDB dynamo, IAlertPublisher alerts, QuotaPolicy? environmentPolicy, TimeSpan window)
{
    private const string AlertsPartition = "ALERTS";

    public async Task<MonitorRun> RunAsync(DateTimeOffset now, CancellationToken cancel)
    {
        var windowUsage = UsagePricing.Aggregate(fetchUsage(window, now));
        foreach (var usage in windowUsage)
        {
            await AddAsync(usage, UsagePeriod.Month, UsageRecord.MonthKey(now), now, cancel);
            await AddAsync(usage, UsagePeriod.Day, UsageRecord.DayKey(now), now, cancel);
        }

        var month = UsageRecord.MonthKey(now);
        var sent = await SentAlertsAsync(month, cancel);
        var newlySent = new List<string>();
        var checkedUsers = 0;
        foreach (var monthly in await store.ListUsageAsync(UsagePeriod.Month, month, cancel))
        {
            // The monitor does not know a user's groups (they are in the id token): user, then default policy.
            var policy = environmentPolicy ?? await store.ResolveAsync(monthly.User, [], cancel);
            if (policy is null) continue;
            checkedUsers++;
            var daily = await store.GetUsageAsync(monthly.User, UsagePeriod.Day, UsageRecord.DayKey(now), cancel);
            var due = QuotaAlerts.Due(monthly.User, new UsageTotals(monthly.TotalTokens, daily?.TotalTokens ?? 0, monthly.CostUsd, daily?.CostUsd ?? 0),
                AlertLimits.From(policy), DateOnly.FromDateTime(now.UtcDateTime), sent);
            foreach (var alert in due)
            {
                await alerts.PublishAsync(alert.Subject, alert.Message, cancel);
                await RecordAsync(alert, now, cancel);
                newlySent.Add(alert.Key);
            }
        }
        return new MonitorRun(windowUsage.Count, checkedUsers, newlySent);
    }

    private async Task AddAsync(UserUsage usage, UsagePeriod period, string key, DateTimeOffset now, CancellationToken cancel)
    {
        var current = await store.GetUsageAsync(usage.User, period, key, cancel)
                      ?? new UsageRecord { User = usage.User, Period = period, PeriodKey = key };
        await store.PutUsageAsync(current with
        {
            InputTokens = current.InputTokens + usage.InputTokens,
            OutputTokens = current.OutputTokens + usage.OutputTokens,
            CacheReadTokens = current.CacheReadTokens + usage.CacheReadTokens,
            CacheWriteTokens = current.CacheWriteTokens + usage.CacheWriteTokens,
            CostUsd = current.CostUsd + usage.CostUsd,
            UpdatedAt = now,
        }, cancel);
    }

    private async Task<HashSet<string>> SentAlertsAsync(string month, CancellationToken cancel)
    {
        var sent = new HashSet<string>(StringComparer.Ordinal);
        var request = new QueryRequest
        {
            TableName = store.UsageTable,
            KeyConditionExpression = "pk = :pk AND begins_with(sk, :month)",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = AlertsPartition }, [":month"] = new AttributeValue { S = "ALERT#" + month } },
        };
        do
        {
            var page = await dynamo.QueryAsync(request, cancel);
            foreach (var item in page.Items ?? [])
                if (item.TryGetValue("alert_key", out var key) && key.S is { } k) sent.Add(k);
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (request.ExclusiveStartKey is not null);
        return sent;
    }

    private async Task RecordAsync(QuotaAlert alert, DateTimeOffset now, CancellationToken cancel) =>
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = store.UsageTable,
            Item = new()
            {
                ["pk"] = new AttributeValue { S = AlertsPartition },
                ["sk"] = new AttributeValue { S = $"ALERT#{alert.Period}#{alert.Key}" },
                ["alert_key"] = new AttributeValue { S = alert.Key },
                ["sent_at"] = new AttributeValue { S = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
                [QuotaSchema.Usage.TtlAttribute] = new AttributeValue { N = now.AddDays(60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
            },
        }, cancel);
}
