using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Ccwb.Quota;

/// <summary>Policies, usage and unblocks as DynamoDB items (attribute names snake_case, as upstream's tables).</summary>
internal static class QuotaItems
{
    public static Dictionary<string, AttributeValue> PolicyKey(PolicyType type, string identifier) => new()
    {
        [QuotaSchema.PartitionKey] = S(QuotaSchema.Policies.PartitionKeyFor(type, identifier)),
        [QuotaSchema.SortKey] = S(QuotaSchema.Policies.CurrentSortKey),
    };

    public static Dictionary<string, AttributeValue> ToItem(QuotaPolicy p)
    {
        var item = PolicyKey(p.Type, p.Identifier);
        item[QuotaSchema.Policies.TypeAttribute] = S(PolicyTypes.Name(p.Type));
        item[QuotaSchema.Policies.IdentifierAttribute] = S(p.Type == PolicyType.User ? QuotaSchema.UserKey(p.Identifier) : p.Identifier);
        item["monthly_token_limit"] = N(p.MonthlyTokenLimit);
        item["daily_token_limit"] = N(p.DailyTokenLimit);
        item["monthly_cost_limit"] = N(p.MonthlyCostLimitUsd);
        item["daily_cost_limit"] = N(p.DailyCostLimitUsd);
        item["warn_threshold_percent"] = N(p.WarnThresholdPercent);
        // Upstream's absolute thresholds, kept so its tools reading the table see the same warning points.
        item["warning_threshold_80"] = N(p.MonthlyTokenLimit * 80 / 100);
        item["warning_threshold_90"] = N(p.MonthlyTokenLimit * 90 / 100);
        item["enforcement_mode"] = S(PolicyTypes.Name(p.MonthlyEnforcement));
        item["daily_enforcement_mode"] = S(PolicyTypes.Name(p.DailyEnforcement));
        item["enabled"] = new AttributeValue { BOOL = p.Enabled };
        if (p.CreatedAt is { } created) item["created_at"] = S(Time(created));
        if (p.UpdatedAt is { } updated) item["updated_at"] = S(Time(updated));
        if (p.CreatedBy is { } by) item["created_by"] = S(by);
        return item;
    }

    public static QuotaPolicy ToPolicy(Dictionary<string, AttributeValue> item)
    {
        var type = PolicyTypes.Parse(Text(item, QuotaSchema.Policies.TypeAttribute))
                   ?? throw new FormatException($"policy item {Text(item, QuotaSchema.PartitionKey)} has no valid {QuotaSchema.Policies.TypeAttribute}");
        var monthly = Long(item, "monthly_token_limit");
        // Items written by upstream carry only warning_threshold_80; read it back as a percentage.
        var warn = item.ContainsKey("warn_threshold_percent") ? (int)Long(item, "warn_threshold_percent")
            : monthly > 0 && Long(item, "warning_threshold_80") > 0 ? (int)Math.Clamp(Long(item, "warning_threshold_80") * 100 / monthly, 1, 100) : 80;
        return new QuotaPolicy
        {
            Type = type,
            Identifier = Text(item, QuotaSchema.Policies.IdentifierAttribute) ?? "",
            MonthlyTokenLimit = monthly,
            DailyTokenLimit = Long(item, "daily_token_limit"),
            MonthlyCostLimitUsd = Decimal(item, "monthly_cost_limit"),
            DailyCostLimitUsd = Decimal(item, "daily_cost_limit"),
            WarnThresholdPercent = warn,
            MonthlyEnforcement = PolicyTypes.ParseMode(Text(item, "enforcement_mode")) ?? EnforcementMode.Block,
            DailyEnforcement = PolicyTypes.ParseMode(Text(item, "daily_enforcement_mode")) ?? EnforcementMode.Alert,
            Enabled = !item.TryGetValue("enabled", out var enabled) || enabled.BOOL != false,
            CreatedAt = TimeOf(Text(item, "created_at")),
            UpdatedAt = TimeOf(Text(item, "updated_at")),
            CreatedBy = Text(item, "created_by"),
        };
    }

    public static Dictionary<string, AttributeValue> ToItem(UsageRecord u)
    {
        var retention = u.Period == UsagePeriod.Month ? QuotaSchema.Usage.MonthRetention : QuotaSchema.Usage.DayRetention;
        var item = new Dictionary<string, AttributeValue>
        {
            [QuotaSchema.PartitionKey] = S(QuotaSchema.Usage.PartitionKeyFor(u.User)),
            [QuotaSchema.SortKey] = S(u.SortKey),
            ["email"] = S(QuotaSchema.UserKey(u.User)),
            ["input_tokens"] = N(u.InputTokens),
            ["output_tokens"] = N(u.OutputTokens),
            ["cache_read_tokens"] = N(u.CacheReadTokens),
            ["cache_write_tokens"] = N(u.CacheWriteTokens),
            ["total_tokens"] = N(u.TotalTokens),
            ["estimated_cost"] = N(u.CostUsd),
            [QuotaSchema.Usage.TtlAttribute] = N((u.PeriodEnd() + retention).ToUnixTimeSeconds()),
        };
        if (u.UpdatedAt is { } updated) item["updated_at"] = S(Time(updated));
        return item;
    }

    public static UsageRecord ToUsage(Dictionary<string, AttributeValue> item)
    {
        var sk = Text(item, QuotaSchema.SortKey) ?? "";
        var month = sk.StartsWith("MONTH#", StringComparison.Ordinal);
        return new UsageRecord
        {
            User = (Text(item, QuotaSchema.PartitionKey) ?? "USER#")["USER#".Length..],
            Period = month ? UsagePeriod.Month : UsagePeriod.Day,
            PeriodKey = sk[(sk.IndexOf('#', StringComparison.Ordinal) + 1)..],
            InputTokens = Long(item, "input_tokens"),
            OutputTokens = Long(item, "output_tokens"),
            CacheReadTokens = Long(item, "cache_read_tokens"),
            CacheWriteTokens = Long(item, "cache_write_tokens"),
            CostUsd = Decimal(item, "estimated_cost"),
            UpdatedAt = TimeOf(Text(item, "updated_at")),
        };
    }

    public static Dictionary<string, AttributeValue> UnblockKey(string user) => new()
    {
        [QuotaSchema.PartitionKey] = S(QuotaSchema.Usage.PartitionKeyFor(user)),
        [QuotaSchema.SortKey] = S(QuotaSchema.Usage.UnblockSortKey),
    };

    public static Dictionary<string, AttributeValue> ToItem(UnblockRecord u)
    {
        var item = UnblockKey(u.User);
        item["expires_at"] = S(Time(u.ExpiresAt));
        item["created_at"] = S(Time(u.CreatedAt));
        item[QuotaSchema.Usage.TtlAttribute] = N(u.ExpiresAt.ToUnixTimeSeconds());
        if (u.CreatedBy is { } by) item["created_by"] = S(by);
        if (u.Reason is { } reason) item["reason"] = S(reason);
        return item;
    }

    public static UnblockRecord ToUnblock(Dictionary<string, AttributeValue> item) => new()
    {
        User = (Text(item, QuotaSchema.PartitionKey) ?? "USER#")["USER#".Length..],
        // Upstream's unblock items may carry only the TTL (epoch seconds).
        ExpiresAt = TimeOf(Text(item, "expires_at")) ?? DateTimeOffset.FromUnixTimeSeconds(Long(item, QuotaSchema.Usage.TtlAttribute)),
        CreatedAt = TimeOf(Text(item, "created_at")) ?? DateTimeOffset.UnixEpoch,
        CreatedBy = Text(item, "created_by"),
        Reason = Text(item, "reason"),
    };

    public static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static AttributeValue N(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string? Text(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S : null;

    private static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is { } n ? (long)decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture) : 0;

    private static decimal Decimal(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is { } n ? decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture) : 0;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset? TimeOf(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
