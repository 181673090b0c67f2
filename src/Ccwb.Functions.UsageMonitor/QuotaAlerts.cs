using System.Globalization;

namespace Ccwb.Functions.UsageMonitor;

/// <summary>The limits a user's usage is measured against (0 = no limit of that kind).</summary>
/// <param name="WarnPercent">The policy's warning threshold (80 unless set); the critical level is 90 % (or the warning threshold, if higher).</param>
public sealed record AlertLimits(long MonthlyTokenLimit, long DailyTokenLimit, decimal MonthlyCostLimit, decimal DailyCostLimit,
    int WarnPercent, string PolicyName, string EnforcementMode)
{
    public static AlertLimits From(Ccwb.Quota.QuotaPolicy policy) =>
        new(policy.MonthlyTokenLimit, policy.DailyTokenLimit, policy.MonthlyCostLimitUsd, policy.DailyCostLimitUsd, policy.WarnThresholdPercent,
            policy.Key, Ccwb.Quota.PolicyTypes.Name(policy.MonthlyEnforcement));
}

/// <summary>A user's usage so far this month and today (UTC).</summary>
public sealed record UsageTotals(long MonthlyTokens, long DailyTokens, decimal MonthlyCost, decimal DailyCost);

/// <summary>One alert: which limit, how close (warning ≥ the policy's threshold, critical ≥ 90 %, exceeded ≥ 100 %), and the figures.</summary>
public sealed record QuotaAlert(string User, string Type, string Level, decimal Usage, decimal Limit, string Period, string PolicyName, string EnforcementMode)
{
    /// <summary>Sent once per user, limit and level in a month; daily alerts once per day.</summary>
    public string Key => $"{User}#{Type}#{Period}#{Level}";

    public double Percent => Limit > 0 ? (double)decimal.Round(Usage / Limit * 100, 1, MidpointRounding.AwayFromZero) : 0;

    public string Subject => $"Claude Code {Level.ToUpperInvariant()} - {Label} - {Percent.ToString("0", CultureInfo.InvariantCulture)}%";

    public string Message =>
        $"USER: {User}\nALERT: {Label} - {Level.ToUpperInvariant()}\nUsage: {Figures} ({Percent.ToString("0.0", CultureInfo.InvariantCulture)}%)\n" +
        $"Period: {Period}\nPolicy: {PolicyName}\nEnforcement: {EnforcementMode}";

    private string Label => Type switch
    {
        "monthly" => "Monthly Token Quota",
        "daily" => "Daily Token Quota",
        "monthly_cost" => "Monthly Spend Budget",
        _ => "Daily Spend Budget",
    };

    private string Figures => Type.EndsWith("_cost", StringComparison.Ordinal)
        ? $"${Usage.ToString("0.00", CultureInfo.InvariantCulture)} / ${Limit.ToString("0.00", CultureInfo.InvariantCulture)}"
        : $"{Usage.ToString("#,0", CultureInfo.InvariantCulture)} / {Limit.ToString("#,0", CultureInfo.InvariantCulture)} tokens";
}

/// <summary>Where alerts go (the quota stack's SNS topic).</summary>
public interface IAlertPublisher
{
    Task PublishAsync(string subject, string message, CancellationToken cancel);
}

/// <summary>Which alerts a user's usage calls for, leaving out those already sent.</summary>
public static class QuotaAlerts
{
    public static IReadOnlyList<QuotaAlert> Due(string user, UsageTotals usage, AlertLimits limits, DateOnly today, IReadOnlySet<string> alreadySent)
    {
        var month = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var alerts = new List<QuotaAlert>();
        var warnPercent = limits.WarnPercent is > 0 and <= 100 ? limits.WarnPercent : 80;
        var criticalPercent = Math.Max(90, warnPercent);
        void Check(string type, decimal used, decimal limit, string period)
        {
            if (limit <= 0) return; // 0 = no limit of this kind: never "exceeded"
            var level = used >= limit ? "exceeded" : used * 100 >= limit * criticalPercent ? "critical" : used * 100 >= limit * warnPercent ? "warning" : null;
            if (level is null) return;
            var alert = new QuotaAlert(user, type, level, used, limit, period, limits.PolicyName, limits.EnforcementMode);
            if (!alreadySent.Contains(alert.Key)) alerts.Add(alert);
        }
        Check("monthly", usage.MonthlyTokens, limits.MonthlyTokenLimit, month);
        Check("daily", usage.DailyTokens, limits.DailyTokenLimit, day);
        Check("monthly_cost", usage.MonthlyCost, limits.MonthlyCostLimit, month);
        Check("daily_cost", usage.DailyCost, limits.DailyCostLimit, day);
        return alerts;
    }

    /// <summary>Publishes each alert; returns the keys of those sent, to be recorded so they are not sent again.</summary>
    public static async Task<IReadOnlyList<string>> SendAsync(IAlertPublisher publisher, IEnumerable<QuotaAlert> alerts, CancellationToken cancel)
    {
        var sent = new List<string>();
        foreach (var alert in alerts)
        {
            await publisher.PublishAsync(alert.Subject, alert.Message, cancel);
            sent.Add(alert.Key);
        }
        return sent;
    }
}
