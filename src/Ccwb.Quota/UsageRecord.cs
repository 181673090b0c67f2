using System.Globalization;

namespace Ccwb.Quota;

public enum UsagePeriod
{
    Month,
    Day,
}

/// <summary>
/// One user's usage in one month or day, as the usage monitor writes it: tokens by kind and their estimated cost.
/// <see cref="TotalTokens"/> (every kind Claude Code reports, cache reads and writes included) is what token limits
/// count.
/// </summary>
public sealed record UsageRecord
{
    public required string User { get; init; }
    public required UsagePeriod Period { get; init; }

    /// <summary><c>yyyy-MM</c> for a month, <c>yyyy-MM-dd</c> for a day (UTC).</summary>
    public required string PeriodKey { get; init; }

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public decimal CostUsd { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    public long TotalTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens;

    public string SortKey => SortKeyFor(Period, PeriodKey);

    public static string SortKeyFor(UsagePeriod period, string periodKey) => (period == UsagePeriod.Month ? "MONTH#" : "DAY#") + periodKey;

    public static string MonthKey(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string DayKey(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>When the period ends (UTC), from which the item's retention counts.</summary>
    public DateTimeOffset PeriodEnd()
    {
        var format = Period == UsagePeriod.Month ? "yyyy-MM" : "yyyy-MM-dd";
        var start = DateTimeOffset.ParseExact(PeriodKey, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return Period == UsagePeriod.Month ? start.AddMonths(1) : start.AddDays(1);
    }
}

/// <summary>An administrator's exception to a block for one user, until <see cref="ExpiresAt"/>.</summary>
public sealed record UnblockRecord
{
    public required string User { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public string? Reason { get; init; }

    /// <summary>
    /// Judged by the expiry time, never by the item's presence: DynamoDB's TTL deletes expired items only eventually
    /// (often hours later), and an unblock must end when it says.
    /// </summary>
    public bool IsActive(DateTimeOffset now) => ExpiresAt > now;
}
