using System.Globalization;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>
/// The check itself, free of I/O: given the caller's policy, usage and unblock, allowed or blocked and why.
/// Reasons are the ones the credential helper knows: within_quota, monthly_exceeded, daily_exceeded,
/// monthly_cost_exceeded, daily_cost_exceeded, unblocked, no_policy, missing_identity, check_failed.
/// </summary>
public static class QuotaDecision
{
    public static CheckAnswer NoPolicy() =>
        new(true, "no_policy", "No quota policy applies - unlimited access.");

    public static CheckAnswer MissingIdentity(bool allow) =>
        new(allow, "missing_identity", allow
            ? "The request names no user (no email claim, no IAM Identity Center session) - quota check skipped."
            : "The request names no user (no email claim, no IAM Identity Center session) - access denied.");

    public static CheckAnswer Decide(QuotaPolicy policy, MonthlyUsage usage, Unblock? unblock, DateTimeOffset now)
    {
        usage = usage.On(DateOnly.FromDateTime(now.UtcDateTime));
        var summary = Summary(policy, usage);
        var name = new PolicyName(policy.Type, policy.Identifier);
        var mode = Mode(policy.MonthlyEnforcement);
        if (unblock is not null && unblock.ActiveAt(now))
        {
            var until = unblock.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return new(true, "unblocked", until is null ? "Access granted - unblocked by an administrator." : $"Access granted - temporarily unblocked until {until}.",
                mode, summary, name, new UnblockStatus(true, until));
        }
        var notUnblocked = new UnblockStatus(false, null);

        // Monthly limits follow the policy's enforcement mode, daily limits the daily mode, each on its own (a daily
        // block holds even when the monthly limit only alerts).
        if (policy.MonthlyEnforcement == EnforcementMode.Block)
        {
            if (policy.MonthlyCostLimit > 0 && usage.EstimatedCost >= policy.MonthlyCostLimit)
                return Blocked("monthly_cost_exceeded",
                    $"Monthly spend limit exceeded: ${Money(usage.EstimatedCost)} / ${Money(policy.MonthlyCostLimit)} ({Percent(usage.EstimatedCost, policy.MonthlyCostLimit)}%). Contact your administrator.");
            if (policy.MonthlyTokenLimit > 0 && usage.TotalTokens >= policy.MonthlyTokenLimit)
                return Blocked("monthly_exceeded",
                    $"Monthly quota exceeded: {Tokens(usage.TotalTokens)} / {Tokens(policy.MonthlyTokenLimit)} tokens ({Percent(usage.TotalTokens, policy.MonthlyTokenLimit)}%). Contact your administrator for assistance.");
        }
        if (policy.DailyEnforcement == EnforcementMode.Block)
        {
            if (policy.DailyCostLimit > 0 && usage.DailyCost >= policy.DailyCostLimit)
                return Blocked("daily_cost_exceeded",
                    $"Daily spend limit exceeded: ${Money(usage.DailyCost)} / ${Money(policy.DailyCostLimit)}. Resets at UTC midnight.");
            if (policy.DailyTokenLimit > 0 && usage.DailyTokens >= policy.DailyTokenLimit)
                return Blocked("daily_exceeded",
                    $"Daily quota exceeded: {Tokens(usage.DailyTokens)} / {Tokens(policy.DailyTokenLimit)} tokens ({Percent(usage.DailyTokens, policy.DailyTokenLimit)}%). Quota resets at UTC midnight.");
        }
        return new(true, "within_quota", AllowedMessage(policy, usage), mode, summary, name, notUnblocked);

        CheckAnswer Blocked(string reason, string message) => new(false, reason, message, mode, summary, name, notUnblocked);
    }

    // Allowed, with the highest warning crossed: the policy's 90 % and 80 % token thresholds, then limits crossed
    // in alert mode.
    private static string AllowedMessage(QuotaPolicy policy, MonthlyUsage usage)
    {
        if (policy.MonthlyTokenLimit > 0 && usage.TotalTokens >= policy.MonthlyTokenLimit)
            return $"Monthly quota exceeded (alert only): {Tokens(usage.TotalTokens)} / {Tokens(policy.MonthlyTokenLimit)} tokens.";
        if (policy.DailyTokenLimit > 0 && usage.DailyTokens >= policy.DailyTokenLimit)
            return $"Daily quota exceeded (alert only): {Tokens(usage.DailyTokens)} / {Tokens(policy.DailyTokenLimit)} tokens.";
        if (policy.WarningThreshold90 > 0 && usage.TotalTokens >= policy.WarningThreshold90)
            return $"Warning: {Tokens(usage.TotalTokens)} of {Tokens(policy.MonthlyTokenLimit)} monthly tokens used (90% threshold).";
        if (policy.WarningThreshold80 > 0 && usage.TotalTokens >= policy.WarningThreshold80)
            return $"Warning: {Tokens(usage.TotalTokens)} of {Tokens(policy.MonthlyTokenLimit)} monthly tokens used (80% threshold).";
        return "Access granted - within quota limits.";
    }

    private static UsageSummary Summary(QuotaPolicy policy, MonthlyUsage usage) =>
        new(usage.TotalTokens, policy.MonthlyTokenLimit, PercentValue(usage.TotalTokens, policy.MonthlyTokenLimit), usage.DailyTokens,
            policy.DailyTokenLimit > 0 ? policy.DailyTokenLimit : null,
            policy.DailyTokenLimit > 0 ? PercentValue(usage.DailyTokens, policy.DailyTokenLimit) : null,
            decimal.Round(usage.EstimatedCost, 6), decimal.Round(usage.DailyCost, 6));

    private static string Mode(EnforcementMode mode) => mode == EnforcementMode.Block ? "block" : "alert";

    // Rounded down to 0.1: the helper warns from 80 %, and 799,999 of 1,000,000 tokens has not reached it.
    private static double PercentValue(decimal used, decimal limit) => limit > 0 ? (double)(decimal.Floor(used / limit * 1000) / 10) : 0;

    private static string Percent(decimal used, decimal limit) => PercentValue(used, limit).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Tokens(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Money(decimal n) => n.ToString("0.00", CultureInfo.InvariantCulture);
}
