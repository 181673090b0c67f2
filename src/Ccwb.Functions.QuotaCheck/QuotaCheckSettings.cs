using System.Globalization;
using Ccwb.Quota;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>The function's configuration, from the environment the quota stack sets.</summary>
/// <param name="EnvironmentPolicy">With fine-grained quotas off: the one policy every user gets (from the stack parameters).</param>
/// <param name="AllowMissingIdentity">MISSING_EMAIL_ENFORCEMENT=allow: a request naming no user is let through.</param>
public sealed record QuotaCheckSettings(string QuotaTable, string PoliciesTable, QuotaPolicy? EnvironmentPolicy, bool AllowMissingIdentity)
{
    /// <summary>The identifier the stack-parameter policy is reported under (upstream's).</summary>
    public const string EnvironmentPolicyIdentifier = "environment";

    public static QuotaCheckSettings FromEnvironment(Func<string, string?> env)
    {
        var fineGrained = string.Equals(env("ENABLE_FINEGRAINED_QUOTAS"), "true", StringComparison.OrdinalIgnoreCase);
        var monthly = Long(env, "MONTHLY_TOKEN_LIMIT");
        var monthlyCost = Decimal(env, "MONTHLY_COST_LIMIT_USD");
        QuotaPolicy? environmentPolicy = null;
        // Cost-only deployments set the token limit to 0: a cost limit alone still makes a policy.
        if (!fineGrained && (monthly > 0 || monthlyCost > 0))
            environmentPolicy = new QuotaPolicy
            {
                Type = PolicyType.Default,
                Identifier = EnvironmentPolicyIdentifier,
                MonthlyTokenLimit = monthly,
                DailyTokenLimit = Long(env, "DAILY_TOKEN_LIMIT"),
                MonthlyCostLimitUsd = monthlyCost,
                DailyCostLimitUsd = Decimal(env, "DAILY_COST_LIMIT_USD"),
                MonthlyEnforcement = PolicyTypes.ParseMode(env("MONTHLY_ENFORCEMENT_MODE")) ?? EnforcementMode.Block,
                DailyEnforcement = PolicyTypes.ParseMode(env("DAILY_ENFORCEMENT_MODE")) ?? EnforcementMode.Alert,
            };
        return new QuotaCheckSettings(env("QUOTA_TABLE") is { Length: > 0 } q ? q : "UserQuotaMetrics",
            env("POLICIES_TABLE") is { Length: > 0 } p ? p : "QuotaPolicies", environmentPolicy,
            string.Equals(env("MISSING_EMAIL_ENFORCEMENT"), "allow", StringComparison.OrdinalIgnoreCase));
    }

    private static long Long(Func<string, string?> env, string name) =>
        long.TryParse(env(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : 0;

    private static decimal Decimal(Func<string, string?> env, string name) =>
        decimal.TryParse(env(name), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : 0;
}
