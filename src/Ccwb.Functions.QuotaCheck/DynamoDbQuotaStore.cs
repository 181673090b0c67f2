using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>
/// Policies and usage in DynamoDB: <c>QuotaPolicies</c> items <c>pk=POLICY#{type}#{identifier}</c>, <c>sk=CURRENT</c>;
/// <c>UserQuotaMetrics</c> items <c>pk=USER#{user}</c> with <c>sk=MONTH#{yyyy-MM}</c> (usage) or
/// <c>sk=UNBLOCK#CURRENT</c> (an unblock, expiring at <c>expires_at</c>).
/// </summary>
public sealed class DynamoDbQuotaStore(IAmazonDynamoDB client, string policiesTable, string quotaTable) : IQuotaStore
{
    public async Task<QuotaPolicy?> GetPolicyAsync(string type, string identifier, CancellationToken cancel)
    {
        var item = await GetAsync(policiesTable, $"POLICY#{type}#{identifier}", "CURRENT", cancel);
        if (item is null) return null;
        var monthly = Long(item, "monthly_token_limit");
        return new QuotaPolicy(Text(item, "policy_type") ?? type, Text(item, "identifier") ?? identifier, monthly,
            Long(item, "daily_token_limit"), Decimal(item, "monthly_cost_limit"), Decimal(item, "daily_cost_limit"),
            Long(item, "warning_threshold_80") is > 0 and var w80 ? w80 : monthly * 8 / 10,
            Long(item, "warning_threshold_90") is > 0 and var w90 ? w90 : monthly * 9 / 10,
            QuotaCheckSettings.Mode(Text(item, "enforcement_mode"), EnforcementMode.Alert),
            QuotaCheckSettings.Mode(Text(item, "daily_enforcement_mode"), EnforcementMode.Alert),
            !item.TryGetValue("enabled", out var enabled) || enabled.BOOL != false);
    }

    public async Task<MonthlyUsage?> GetUsageAsync(string user, string month, CancellationToken cancel)
    {
        var item = await GetAsync(quotaTable, "USER#" + user, "MONTH#" + month, cancel);
        return item is null ? null : new MonthlyUsage(Long(item, "total_tokens"), Long(item, "daily_tokens"), Text(item, "daily_date"),
            Decimal(item, "estimated_cost"), Decimal(item, "daily_cost_usd"));
    }

    public async Task<Unblock?> GetUnblockAsync(string user, CancellationToken cancel)
    {
        var item = await GetAsync(quotaTable, "USER#" + user, "UNBLOCK#CURRENT", cancel);
        if (item is null) return null;
        DateTimeOffset? expires = DateTimeOffset.TryParse(Text(item, "expires_at"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        // DynamoDB deletes an item some time after its ttl (up to days): the ttl still ends the unblock on time.
        if (Long(item, "ttl") is > 0 and var ttl && (expires is null || DateTimeOffset.FromUnixTimeSeconds(ttl) < expires))
            expires = DateTimeOffset.FromUnixTimeSeconds(ttl);
        return new Unblock(expires, Text(item, "unblocked_by"));
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string table, string pk, string sk, CancellationToken cancel)
    {
        try
        {
            var response = await client.GetItemAsync(new GetItemRequest
            {
                TableName = table,
                Key = new() { ["pk"] = new AttributeValue { S = pk }, ["sk"] = new AttributeValue { S = sk } },
                ConsistentRead = true,
            }, cancel);
            return response.Item is { Count: > 0 } item ? item : null;
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TaskCanceledException or IOException)
        {
            throw new QuotaStoreException($"DynamoDB table {table}: {e.Message}", e);
        }
    }

    private static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) ? v.S ?? v.N : null;

    private static long Long(Dictionary<string, AttributeValue> item, string name) =>
        decimal.TryParse(Text(item, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? (long)v : 0;

    private static decimal Decimal(Dictionary<string, AttributeValue> item, string name) =>
        decimal.TryParse(Text(item, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : 0;
}
