namespace Ccwb.Quota;

/// <summary>
/// The answer to "may this user have credentials now?": allowed or not, why (the reasons the credential helper
/// knows: within_quota, monthly_exceeded, daily_exceeded, monthly_cost_exceeded, daily_cost_exceeded, unblocked,
/// no_policy), whether usage has reached the warning threshold, and the figures behind it.
/// </summary>
public sealed record QuotaDecision(
    bool Allowed,
    string Reason,
    string Message,
    bool Warning,
    QuotaPolicy? Policy,
    long MonthlyTokens,
    long DailyTokens,
    decimal MonthlyCostUsd,
    decimal DailyCostUsd)
{
    public double? MonthlyPercent => Percent(MonthlyTokens, Policy?.MonthlyTokenLimit ?? 0);

    public double? DailyPercent => Percent(DailyTokens, Policy?.DailyTokenLimit ?? 0);

    // Rounded down: the credential helper warns at 80 %, so 799,999 of 1,000,000 tokens must read 79.99, not 80.00.
    private static double? Percent(long tokens, long limit) => limit > 0 ? Math.Floor(tokens * 10_000.0 / limit) / 100 : null;

    /// <summary>
    /// Decides for the resolved <paramref name="policy"/> and the user's usage this month and today. A limit reached
    /// (usage at or above it) blocks when its mode is block, unless an unblock is active; in alert mode it is reported
    /// but allowed. Limits are checked monthly tokens, daily tokens, monthly cost, daily cost; the first that blocks
    /// gives the reason, else the first reached in alert mode.
    /// </summary>
    public static QuotaDecision Evaluate(QuotaPolicy? policy, UsageRecord? month, UsageRecord? day, UnblockRecord? unblock, DateTimeOffset now)
    {
        var monthlyTokens = month?.TotalTokens ?? 0;
        var dailyTokens = day?.TotalTokens ?? 0;
        var monthlyCost = month?.CostUsd ?? 0;
        var dailyCost = day?.CostUsd ?? 0;
        QuotaDecision Decide(bool allowed, string reason, string message, bool warning) =>
            new(allowed, reason, message, warning, policy, monthlyTokens, dailyTokens, monthlyCost, dailyCost);

        if (policy is null) return Decide(true, "no_policy", "No quota policy applies; usage is unlimited.", false);

        var reached = new List<(string Reason, string Message, EnforcementMode Mode)>();
        if (policy.MonthlyTokenLimit > 0 && monthlyTokens >= policy.MonthlyTokenLimit)
            reached.Add(("monthly_exceeded", $"Monthly token limit reached: {QuotaValues.Tokens(monthlyTokens)} of {QuotaValues.Tokens(policy.MonthlyTokenLimit)} tokens.", policy.MonthlyEnforcement));
        if (policy.DailyTokenLimit > 0 && dailyTokens >= policy.DailyTokenLimit)
            reached.Add(("daily_exceeded", $"Daily token limit reached: {QuotaValues.Tokens(dailyTokens)} of {QuotaValues.Tokens(policy.DailyTokenLimit)} tokens.", policy.DailyEnforcement));
        if (policy.MonthlyCostLimitUsd > 0 && monthlyCost >= policy.MonthlyCostLimitUsd)
            reached.Add(("monthly_cost_exceeded", $"Monthly cost limit reached: ${QuotaValues.Usd(monthlyCost)} of ${QuotaValues.Usd(policy.MonthlyCostLimitUsd)}.", policy.MonthlyEnforcement));
        if (policy.DailyCostLimitUsd > 0 && dailyCost >= policy.DailyCostLimitUsd)
            reached.Add(("daily_cost_exceeded", $"Daily cost limit reached: ${QuotaValues.Usd(dailyCost)} of ${QuotaValues.Usd(policy.DailyCostLimitUsd)}.", policy.DailyEnforcement));

        var warning = reached.Count > 0 || AtLeast(monthlyTokens, policy.MonthlyTokenLimit, policy.WarnThresholdPercent)
                      || AtLeast(dailyTokens, policy.DailyTokenLimit, policy.WarnThresholdPercent)
                      || AtLeast(monthlyCost, policy.MonthlyCostLimitUsd, policy.WarnThresholdPercent)
                      || AtLeast(dailyCost, policy.DailyCostLimitUsd, policy.WarnThresholdPercent);

        var blocking = reached.FirstOrDefault(r => r.Mode == EnforcementMode.Block);
        if (blocking.Reason is not null)
        {
            if (unblock is not null && unblock.IsActive(now))
                return Decide(true, "unblocked", $"{blocking.Message} Access was unblocked by an administrator until {unblock.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.", true);
            return Decide(false, blocking.Reason, blocking.Message, true);
        }
        if (reached.Count > 0) return Decide(true, reached[0].Reason, reached[0].Message + " (alert only: access continues)", true);
        return Decide(true, "within_quota", "Usage is within quota.", warning);
    }

    // Integer / decimal arithmetic, so 80 % of a limit is exactly 80 %, with no floating-point edge.
    private static bool AtLeast(long used, long limit, int percent) => limit > 0 && used * 100m >= limit * (decimal)percent;

    private static bool AtLeast(decimal used, decimal limit, int percent) => limit > 0 && used * 100m >= limit * percent;
}
