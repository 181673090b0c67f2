using Ccwb.Credentials.Quota;
using Ccwb.Quota;
using static Ccwb.Quota.EnforcementMode;
using static Ccwb.Quota.PolicyType;
using HelperPolicy = Ccwb.Credentials.Quota.QuotaPolicy;

namespace Ccwb.Functions.Tests;

/// <summary>
/// The check function's real native bootstrap behind API Gateway's JWT authorizer or IAM authorization, reading
/// DynamoDB, called by the credential helper's own quota client: what the helper gets is what a user would see.
/// Each test uses its own users, so the tests share one running service.
/// </summary>
public sealed class QuotaCheckTests(QuotaServiceFixture service) : IClassFixture<QuotaServiceFixture>
{
    private async Task<QuotaResult> CheckAsync(string user, params string[] groups) =>
        QuotaServiceFixture.CheckWithBearer(service.JwtApi.Endpoint, await service.IdTokenAsync(user, groups));

    [Fact]
    public async Task User_policy_within_quota_is_allowed_with_the_usage_and_policy_the_helper_reads()
    {
        await service.PutPolicyAsync(User, "within@example.com", 1_000_000, daily: 200_000);
        await service.PutUsageAsync("within@example.com", 123_456, dayTokens: 50_000);

        var result = await CheckAsync("within@example.com");

        Assert.False(result.Failed, result.Message);
        Assert.True(result.Allowed);
        Assert.Equal("within_quota", result.Reason);
        Assert.False(result.NearLimit);
        Assert.Equal(new QuotaUsage(123_456, 1_000_000, 12.34, 50_000, 200_000, 25.0), result.Usage); // rounded down, as the helper's 80 % check needs
        Assert.Equal(new HelperPolicy("user", "within@example.com"), result.Policy);
    }

    [Fact]
    public async Task Email_claim_in_another_case_finds_the_lower_case_policy()
    {
        await service.PutPolicyAsync(User, "mixedcase@example.com", 1_000_000);

        var result = await CheckAsync("MixedCase@Example.com");

        Assert.Equal(new HelperPolicy("user", "mixedcase@example.com"), result.Policy);
    }

    [Theory]
    [InlineData(799_000, false)]
    [InlineData(800_000, true)]
    [InlineData(999_999, true)]
    public async Task From_80_percent_the_answer_allows_with_the_figures_the_helper_warns_on(long used, bool near)
    {
        var user = $"warn{used}@example.com";
        await service.PutPolicyAsync(User, user, 1_000_000);
        await service.PutUsageAsync(user, used);

        var result = await CheckAsync(user);

        Assert.True(result.Allowed);
        Assert.Equal("within_quota", result.Reason);
        Assert.Equal(near, result.NearLimit);
    }

    [Fact]
    public async Task Monthly_limit_reached_in_block_mode_blocks()
    {
        await service.PutPolicyAsync(User, "monthly@example.com", 1_000_000);
        await service.PutUsageAsync("monthly@example.com", 1_000_000);

        var result = await CheckAsync("monthly@example.com");

        Assert.False(result.Failed);
        Assert.False(result.Allowed);
        Assert.Equal("monthly_exceeded", result.Reason);
        Assert.Equal("Monthly token limit reached: 1,000,000 of 1,000,000 tokens.", result.Message);
        Assert.Equal(100.0, result.Usage!.MonthlyPercent);
    }

    [Fact]
    public async Task Monthly_limit_reached_in_alert_mode_allows_and_says_so()
    {
        await service.PutPolicyAsync(User, "alertonly@example.com", 1_000_000, mode: Alert);
        await service.PutUsageAsync("alertonly@example.com", 1_500_000);

        var result = await CheckAsync("alertonly@example.com");

        Assert.True(result.Allowed);
        Assert.True(result.NearLimit);
        Assert.EndsWith("(alert only: access continues)", result.Message);
    }

    [Fact]
    public async Task Daily_block_holds_when_the_monthly_limit_only_alerts_upstream_skipped_it()
    {
        await service.PutPolicyAsync(User, "dailyblock@example.com", 10_000_000, mode: Alert, daily: 100_000, dailyMode: Block);
        await service.PutUsageAsync("dailyblock@example.com", 150_000, dayTokens: 120_000);

        var result = await CheckAsync("dailyblock@example.com");

        Assert.False(result.Allowed);
        Assert.Equal("daily_exceeded", result.Reason);
        Assert.Equal(120.0, result.Usage!.DailyPercent);
    }

    [Fact]
    public async Task Usage_of_a_previous_day_does_not_count_today()
    {
        await service.PutPolicyAsync(User, "yesterday@example.com", 10_000_000, daily: 100_000, dailyMode: Block);
        await service.PutUsageAsync("yesterday@example.com", 150_000, dayTokens: 120_000, day: DateTimeOffset.UtcNow.AddDays(-1));

        var result = await CheckAsync("yesterday@example.com");

        Assert.True(result.Allowed);
        Assert.Equal(0, result.Usage!.DailyTokens);
    }

    [Fact]
    public async Task Cost_limits_block_by_monthly_and_daily_spend()
    {
        await service.PutPolicyAsync(User, "spender@example.com", 0, monthlyCost: 50m);
        await service.PutUsageAsync("spender@example.com", 2_000_000, monthCost: 50.25m);
        await service.PutPolicyAsync(User, "dailyspender@example.com", 0, monthlyCost: 500m, dailyCost: 20m, dailyMode: Block);
        await service.PutUsageAsync("dailyspender@example.com", 2_000_000, dayTokens: 900_000, monthCost: 60m, dayCost: 21.5m);

        var monthly = await CheckAsync("spender@example.com");
        var daily = await CheckAsync("dailyspender@example.com");

        Assert.False(monthly.Allowed);
        Assert.Equal("monthly_cost_exceeded", monthly.Reason);
        Assert.Equal("Monthly cost limit reached: $50.25 of $50.00.", monthly.Message);
        Assert.False(daily.Allowed);
        Assert.Equal("daily_cost_exceeded", daily.Reason);
    }

    [Fact]
    public async Task Group_policies_apply_the_strictest_and_a_zero_limit_is_not_the_strictest_upstream_picked_it()
    {
        await service.PutPolicyAsync(Group, "g-unlimited", 0);
        await service.PutPolicyAsync(Group, "g-large", 5_000_000);
        await service.PutPolicyAsync(Group, "g-small", 1_000_000);
        await service.PutUsageAsync("grouped@example.com", 1_200_000);

        var result = await CheckAsync("grouped@example.com", "g-unlimited", "g-large", "g-small");

        Assert.False(result.Allowed);
        Assert.Equal(new HelperPolicy("group", "g-small"), result.Policy);
    }

    [Fact]
    public async Task Groups_flattened_by_the_JWT_authorizer_into_a_bracketed_string_match_upstream_split_on_commas_only()
    {
        // The authorizer hands ["g-bracket-a","g-bracket-b"] over as "[g-bracket-a g-bracket-b]".
        Assert.Equal("[g-bracket-a g-bracket-b]", Peers.ApiGatewayPeer.Flatten(System.Text.Json.Nodes.JsonNode.Parse("""["g-bracket-a","g-bracket-b"]""")));
        await service.PutPolicyAsync(Group, "g-bracket-b", 2_000_000);

        var result = await CheckAsync("bracketed@example.com", "g-bracket-a", "g-bracket-b");

        Assert.Equal(new HelperPolicy("group", "g-bracket-b"), result.Policy);
        Assert.Equal(2_000_000, result.Usage!.MonthlyLimit);
    }

    [Fact]
    public async Task User_policy_wins_over_groups_and_a_disabled_one_falls_through_to_the_group()
    {
        await service.PutPolicyAsync(Group, "g-precedence", 1_000_000);
        await service.PutPolicyAsync(User, "own@example.com", 9_000_000);
        await service.PutPolicyAsync(User, "disabled@example.com", 9_000_000, enabled: false);

        var own = await CheckAsync("own@example.com", "g-precedence");
        var disabled = await CheckAsync("disabled@example.com", "g-precedence");

        Assert.Equal(new HelperPolicy("user", "own@example.com"), own.Policy);
        Assert.Equal(new HelperPolicy("group", "g-precedence"), disabled.Policy);
    }

    [Fact]
    public async Task Unblock_allows_until_it_expires_even_before_DynamoDB_deletes_the_item()
    {
        await service.PutPolicyAsync(User, "unblocked@example.com", 1_000_000);
        await service.PutUsageAsync("unblocked@example.com", 2_000_000);
        await service.PutUnblockAsync("unblocked@example.com", DateTimeOffset.UtcNow.AddHours(2));
        await service.PutPolicyAsync(User, "expired@example.com", 1_000_000);
        await service.PutUsageAsync("expired@example.com", 2_000_000);
        await service.PutUnblockAsync("expired@example.com", DateTimeOffset.UtcNow.AddMinutes(-1));

        var unblocked = await CheckAsync("unblocked@example.com");
        var expired = await CheckAsync("expired@example.com");

        Assert.True(unblocked.Allowed);
        Assert.Equal("unblocked", unblocked.Reason);
        Assert.Contains("Access was unblocked by an administrator until ", unblocked.Message);
        Assert.False(expired.Allowed);
        Assert.Equal("monthly_exceeded", expired.Reason);
    }

    [Fact]
    public async Task Default_policy_applies_when_no_user_or_group_policy_does_and_none_means_no_policy()
    {
        // Only this test writes the default policy: it checks both sides, then disables it again.
        var before = await CheckAsync("nopolicy@example.com");
        await service.PutPolicyAsync(PolicyType.Default, PolicyTypes.DefaultIdentifier, 3_000_000, mode: Alert);
        try
        {
            var after = await CheckAsync("nopolicy@example.com", "g-without-policy");

            Assert.True(before.Allowed);
            Assert.Equal("no_policy", before.Reason);
            Assert.Null(before.Usage);
            Assert.Equal(new HelperPolicy("default", "default"), after.Policy);
            Assert.Equal(3_000_000, after.Usage!.MonthlyLimit);
        }
        finally
        {
            await service.PutPolicyAsync(PolicyType.Default, PolicyTypes.DefaultIdentifier, 3_000_000, enabled: false);
        }
    }

    [Fact]
    public async Task Token_without_an_email_claim_is_refused_as_missing_identity()
    {
        var result = await CheckAsync("no-email-user");

        Assert.False(result.Failed);
        Assert.False(result.Allowed);
        Assert.Equal("missing_identity", result.Reason);
    }

    [Fact]
    public async Task Token_for_another_audience_never_reaches_the_function()
    {
        var token = await service.IdTokenAsync("within@example.com");
        using var wrongAudience = new Peers.ApiGatewayPeer { Jwt = (service.Oidc.Issuer, "some-other-client") };

        var result = QuotaServiceFixture.CheckWithBearer(wrongAudience.Endpoint, token);

        Assert.True(result.Failed);
        Assert.Equal("jwt_invalid", result.Reason);
    }

    [Fact]
    public async Task IAM_Identity_Center_caller_is_known_by_the_role_session_name_in_the_payload_2_authorizer_context_upstream_read_the_v1_identity()
    {
        await service.PutPolicyAsync(User, "iam-alice@example.com", 1_000_000);
        await service.PutUsageAsync("iam-alice@example.com", 1_000_001);
        await service.PutPolicyAsync(User, "carol.plain", 5_000_000);

        var alice = service.CheckWithSigV4("ASIAIDCALICE");
        var carol = service.CheckWithSigV4("ASIAIDCNOEMAIL");
        var other = service.CheckWithSigV4("ASIAOTHERROLE");

        Assert.False(alice.Allowed);
        Assert.Equal("monthly_exceeded", alice.Reason);
        Assert.Equal(new HelperPolicy("user", "iam-alice@example.com"), alice.Policy);
        Assert.True(carol.Allowed);
        Assert.Equal(new HelperPolicy("user", "carol.plain"), carol.Policy);
        Assert.False(other.Allowed);
        Assert.Equal("missing_identity", other.Reason);
    }
}
