namespace Ccwb.Quota.Tests;

/// <summary>Short-hand policies for the tests.</summary>
internal static class Policies
{
    public static QuotaPolicy User(string email, long monthly, bool enabled = true) =>
        new() { Type = PolicyType.User, Identifier = email, MonthlyTokenLimit = monthly, Enabled = enabled };

    public static QuotaPolicy Group(string name, long monthly, long daily = 0, bool enabled = true) =>
        new() { Type = PolicyType.Group, Identifier = name, MonthlyTokenLimit = monthly, DailyTokenLimit = daily, Enabled = enabled };

    public static QuotaPolicy Default(long monthly, bool enabled = true) =>
        new() { Type = PolicyType.Default, Identifier = PolicyTypes.DefaultIdentifier, MonthlyTokenLimit = monthly, Enabled = enabled };

    public static UsageRecord Month(long tokens, decimal cost = 0, string user = "alice@example.com", string key = "2026-12") =>
        new() { User = user, Period = UsagePeriod.Month, PeriodKey = key, InputTokens = tokens, CostUsd = cost };

    public static UsageRecord Day(long tokens, decimal cost = 0, string user = "alice@example.com", string key = "2026-12-02") =>
        new() { User = user, Period = UsagePeriod.Day, PeriodKey = key, InputTokens = tokens, CostUsd = cost };
}
