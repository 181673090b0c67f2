namespace Ccwb.Profiles.Validation;

/// <summary>Per-user token and cost quotas.</summary>
internal static class QuotaRules
{
    // The quota stack's template limits.
    private const long MaxMonthlyTokens = 1_000_000_000;
    private const long MaxDailyTokens = 100_000_000;

    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        r.OneOf("quota_limit_type", p.QuotaLimitType, "token", "cost");
        r.OneOf("daily_enforcement_mode", p.DailyEnforcementMode, "alert", "block");
        r.OneOf("monthly_enforcement_mode", p.MonthlyEnforcementMode, "alert", "block");
        r.OneOf("quota_fail_mode", p.QuotaFailMode, "open", "closed");

        // Cost mode stores 0 token limits by design; upstream rejected that as "not a positive integer".
        if (p.QuotaLimitType != "cost")
        {
            if (p.MonthlyTokenLimit <= 0) r.Error("monthly_token_limit", "monthly_token_limit must be a positive integer");
            else if (p.MonthlyTokenLimit > MaxMonthlyTokens)
                r.Warning("monthly_token_limit", $"{p.MonthlyTokenLimit} is above the quota stack's maximum of {MaxMonthlyTokens}");
        }
        if (p.DailyTokenLimit is < 0 or > MaxDailyTokens)
            r.Error("daily_token_limit", $"Must be between 0 and {MaxDailyTokens} (got {p.DailyTokenLimit})");
        if (p.MonthlyCostLimitUsd < 0 || double.IsNaN(p.MonthlyCostLimitUsd))
            r.Error("monthly_cost_limit_usd", "must be >= 0");
        if (p.DailyCostLimitUsd < 0 || double.IsNaN(p.DailyCostLimitUsd))
            r.Error("daily_cost_limit_usd", "must be >= 0");
        if (p.QuotaMonitoringEnabled && p.QuotaLimitType == "cost" && p.MonthlyCostLimitUsd <= 0)
            r.Error("monthly_cost_limit_usd", "must be a positive budget when quota_limit_type is 'cost'");
        if (p.BurstBufferPercent is < 0 or > 100)
            r.Error("burst_buffer_percent", "Burst buffer must be between 0 and 100");
        if (p.QuotaCheckInterval < 0)
            r.Error("quota_check_interval", "must be 0 (every request) or a positive number of minutes");

        // Passthrough checks are SigV4-signed with whatever credentials the AWS chain resolves; the check function can
        // name a user only from an assumed role's session name that is an e-mail (as Identity Center sets it), and
        // answers every other caller as one without an identity (blocked unless the stack allows that).
        if (p.QuotaMonitoringEnabled && p.EffectiveAuthType == "none")
            r.Warning("quota_monitoring_enabled",
                "with auth_type none the quota API knows a user only by an assumed role's session name that is their e-mail " +
                "(as IAM Identity Center sets it); calls with other credentials are blocked as having no identity");
        if (!string.IsNullOrWhiteSpace(p.QuotaApiEndpoint) && !Urls.IsHttps(p.QuotaApiEndpoint))
            r.Error("quota_api_endpoint", $"must be an https URL, got '{p.QuotaApiEndpoint}'");
    }
}
