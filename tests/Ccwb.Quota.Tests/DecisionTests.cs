using static Ccwb.Quota.Tests.Policies;

namespace Ccwb.Quota.Tests;

/// <summary>Warn and block thresholds, enforcement modes, unblocks and their expiry.</summary>
public sealed class DecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly QuotaPolicy Monthly = Default(1_000_000);

    private static QuotaDecision Decide(QuotaPolicy policy, UsageRecord? month = null, UsageRecord? day = null, UnblockRecord? unblock = null) =>
        QuotaDecision.Evaluate(policy, month, day, unblock, Now);

    [Fact]
    public void Below_the_warning_threshold_is_within_quota_without_warning()
    {
        var d = Decide(Monthly, Month(799_999));
        Assert.True(d.Allowed);
        Assert.Equal("within_quota", d.Reason);
        Assert.False(d.Warning);
        // Rounded down, so the credential helper's own 80 % check does not warn either.
        Assert.Equal(79.99, d.MonthlyPercent!.Value);
    }

    [Fact]
    public void At_exactly_the_warning_threshold_it_warns_but_allows()
    {
        var d = Decide(Monthly, Month(800_000));
        Assert.True(d.Allowed);
        Assert.Equal("within_quota", d.Reason);
        Assert.True(d.Warning);
    }

    [Fact]
    public void The_warning_threshold_is_the_policys_own()
    {
        Assert.False(Decide(Monthly with { WarnThresholdPercent = 95 }, Month(940_000)).Warning);
        Assert.True(Decide(Monthly with { WarnThresholdPercent = 95 }, Month(950_000)).Warning);
        Assert.True(Decide(Monthly with { WarnThresholdPercent = 50 }, Month(500_000)).Warning);
    }

    [Fact]
    public void Reaching_the_monthly_limit_in_block_mode_blocks()
    {
        Assert.True(Decide(Monthly, Month(999_999)).Allowed);
        var d = Decide(Monthly, Month(1_000_000));
        Assert.False(d.Allowed);
        Assert.Equal("monthly_exceeded", d.Reason);
        Assert.Contains("1,000,000 of 1,000,000", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reaching_the_monthly_limit_in_alert_mode_allows_with_the_reason_and_a_warning()
    {
        var d = Decide(Monthly with { MonthlyEnforcement = EnforcementMode.Alert }, Month(2_000_000));
        Assert.True(d.Allowed);
        Assert.Equal("monthly_exceeded", d.Reason);
        Assert.True(d.Warning);
        Assert.Contains("alert only", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Daily_limit_defaults_to_alert_and_blocks_only_in_block_mode()
    {
        var policy = Monthly with { DailyTokenLimit = 100_000 };
        Assert.Equal(("daily_exceeded", true), (Decide(policy, Month(100_000), Day(100_000)).Reason, Decide(policy, Month(100_000), Day(100_000)).Allowed));
        var blocking = Decide(policy with { DailyEnforcement = EnforcementMode.Block }, Month(100_000), Day(100_000));
        Assert.False(blocking.Allowed);
        Assert.Equal("daily_exceeded", blocking.Reason);
    }

    [Fact]
    public void A_blocking_limit_wins_over_an_earlier_alert_only_one()
    {
        var policy = Monthly with { MonthlyEnforcement = EnforcementMode.Alert, DailyTokenLimit = 10, DailyEnforcement = EnforcementMode.Block };
        var d = Decide(policy, Month(2_000_000), Day(10));
        Assert.False(d.Allowed);
        Assert.Equal("daily_exceeded", d.Reason);
    }

    [Fact]
    public void Cost_limits_block_with_their_own_reasons()
    {
        var monthlyCost = Default(0) with { MonthlyCostLimitUsd = 100m };
        Assert.Equal(("monthly_cost_exceeded", false), Pair(Decide(monthlyCost, Month(5, cost: 100m))));
        Assert.True(Decide(monthlyCost, Month(5, cost: 99.99m)).Allowed);
        Assert.True(Decide(monthlyCost, Month(5, cost: 80m)).Warning);
        var dailyCost = Default(0) with { DailyCostLimitUsd = 10m, DailyEnforcement = EnforcementMode.Block };
        Assert.Equal(("daily_cost_exceeded", false), Pair(Decide(dailyCost, Month(5, cost: 10m), Day(5, cost: 10m))));
    }

    [Fact]
    public void A_policy_without_limits_allows_any_usage_without_warning()
    {
        var d = Decide(User("vip@example.com", 0), Month(long.MaxValue / 8), Day(long.MaxValue / 8));
        Assert.Equal(("within_quota", true), Pair(d));
        Assert.False(d.Warning);
        Assert.Null(d.MonthlyPercent);
    }

    [Fact]
    public void An_active_unblock_lets_a_blocked_user_through()
    {
        var unblock = new UnblockRecord { User = "alice@example.com", ExpiresAt = Now.AddHours(1) };
        var d = Decide(Monthly, Month(1_500_000), unblock: unblock);
        Assert.Equal(("unblocked", true), Pair(d));
        Assert.True(d.Warning);
    }

    [Fact]
    public void Expired_unblock_is_ignored_although_DynamoDB_ttl_has_not_deleted_it_yet()
    {
        var unblock = new UnblockRecord { User = "alice@example.com", ExpiresAt = Now };
        Assert.Equal(("monthly_exceeded", false), Pair(Decide(Monthly, Month(1_500_000), unblock: unblock)));
    }

    [Fact]
    public void An_unblock_does_not_change_the_answer_for_a_user_within_quota() =>
        Assert.Equal("within_quota", Decide(Monthly, Month(1), unblock: new UnblockRecord { User = "alice@example.com", ExpiresAt = Now.AddDays(1) }).Reason);

    [Fact]
    public void The_check_response_has_the_fields_the_credential_helper_reads()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(CheckResponse.From(Decide(Monthly with { DailyTokenLimit = 200_000 }, Month(850_000), Day(50_000))),
            QuotaJsonContext.Default.CheckResponse);
        Assert.Equal(
            """{"allowed":true,"reason":"within_quota","message":"Usage is within quota.","warning":true,"usage":{"monthly_tokens":850000,"monthly_limit":1000000,"monthly_percent":85,"daily_tokens":50000,"daily_limit":200000,"daily_percent":25,"monthly_cost_usd":0,"daily_cost_usd":0},"policy":{"type":"default","identifier":"default"}}""",
            json);
        Assert.Equal("""{"allowed":true,"reason":"no_policy","message":"No quota policy applies; usage is unlimited.","warning":false}""",
            System.Text.Json.JsonSerializer.Serialize(CheckResponse.From(QuotaDecision.Evaluate(null, null, null, null, Now)), QuotaJsonContext.Default.CheckResponse));
    }

    private static (string, bool) Pair(QuotaDecision d) => (d.Reason, d.Allowed);
}
