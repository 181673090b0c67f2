namespace Ccwb.Functions.QuotaCheck;

/// <summary>Whether crossing a limit only alerts or also blocks new credentials.</summary>
public enum EnforcementMode
{
    Alert,
    Block,
}

/// <summary>A quota policy as stored (one item per user, group or the default).</summary>
/// <param name="Type">user, group or default.</param>
/// <param name="MonthlyTokenLimit">0 = no monthly token limit.</param>
/// <param name="DailyTokenLimit">0 = no daily token limit.</param>
public sealed record QuotaPolicy(
    string Type,
    string Identifier,
    long MonthlyTokenLimit,
    long DailyTokenLimit,
    decimal MonthlyCostLimit,
    decimal DailyCostLimit,
    long WarningThreshold80,
    long WarningThreshold90,
    EnforcementMode MonthlyEnforcement,
    EnforcementMode DailyEnforcement,
    bool Enabled);

/// <summary>A user's usage this month as the usage monitor keeps it.</summary>
/// <param name="DailyDate">The UTC day the daily counters belong to (yyyy-MM-dd).</param>
public sealed record MonthlyUsage(long TotalTokens, long DailyTokens, string? DailyDate, decimal EstimatedCost, decimal DailyCost)
{
    public static MonthlyUsage None { get; } = new(0, 0, null, 0, 0);

    /// <summary>The daily counters count only on their own day: a new UTC day starts at zero.</summary>
    public MonthlyUsage On(DateOnly today)
    {
        var day = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return DailyDate == day ? this : this with { DailyTokens = 0, DailyCost = 0, DailyDate = day };
    }
}

/// <summary>An administrator's temporary unblock.</summary>
public sealed record Unblock(DateTimeOffset? ExpiresAt, string? UnblockedBy)
{
    public bool ActiveAt(DateTimeOffset now) => ExpiresAt is not { } expiry || now < expiry;
}

/// <summary>Where policies, usage and unblocks are read from.</summary>
public interface IQuotaStore
{
    Task<QuotaPolicy?> GetPolicyAsync(string type, string identifier, CancellationToken cancel);
    Task<MonthlyUsage?> GetUsageAsync(string user, string month, CancellationToken cancel);
    Task<Unblock?> GetUnblockAsync(string user, CancellationToken cancel);
}

/// <summary>The store could not be read: the check has no answer.</summary>
public sealed class QuotaStoreException(string message, Exception? inner = null) : Exception(message, inner);
