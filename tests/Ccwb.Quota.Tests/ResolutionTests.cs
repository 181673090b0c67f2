using static Ccwb.Quota.Tests.Policies;

namespace Ccwb.Quota.Tests;

/// <summary>THE policy resolution: user, then the most restrictive group, then default, then none; disabled policies skipped.</summary>
public sealed class ResolutionTests
{
    private static readonly QuotaPolicy Alice = User("alice@example.com", 5_000_000);
    private static readonly QuotaPolicy Engineering = Group("engineering", 3_000_000);
    private static readonly QuotaPolicy Research = Group("research", 20_000_000);
    private static readonly QuotaPolicy Everyone = Default(1_000_000);

    [Fact]
    public void User_policy_wins_over_groups_and_default_even_when_less_restrictive() =>
        Assert.Same(Alice, PolicyResolution.Resolve(new PolicyCandidates(Alice, [Engineering], Everyone)));

    [Fact]
    public void Without_a_user_policy_a_group_policy_wins_over_the_default_even_when_less_restrictive() =>
        Assert.Same(Research, PolicyResolution.Resolve(new PolicyCandidates(null, [Research], Everyone)));

    [Fact]
    public void Without_user_or_group_policies_the_default_applies() =>
        Assert.Same(Everyone, PolicyResolution.Resolve(new PolicyCandidates(null, [], Everyone)));

    [Fact]
    public void Without_any_policy_there_is_none_and_usage_is_unlimited()
    {
        Assert.Null(PolicyResolution.Resolve(new PolicyCandidates(null, [], null)));
        var decision = QuotaDecision.Evaluate(null, Month(999_999_999), null, null, DateTimeOffset.UtcNow);
        Assert.True(decision.Allowed);
        Assert.Equal("no_policy", decision.Reason);
    }

    [Fact]
    public void Of_several_groups_the_lowest_monthly_limit_wins_whatever_the_order()
    {
        Assert.Same(Engineering, PolicyResolution.Resolve(new PolicyCandidates(null, [Research, Engineering], Everyone)));
        Assert.Same(Engineering, PolicyResolution.Resolve(new PolicyCandidates(null, [Engineering, Research], Everyone)));
    }

    [Fact]
    public void A_group_without_a_monthly_limit_counts_as_least_restrictive_not_as_zero()
    {
        var unlimited = Group("contractors", 0, daily: 10_000);
        Assert.Same(Research, PolicyResolution.Resolve(new PolicyCandidates(null, [unlimited, Research], null)));
    }

    [Fact]
    public void Groups_tied_on_monthly_limit_are_decided_by_daily_limit_then_name()
    {
        var looseDaily = Group("a-team", 3_000_000, daily: 500_000);
        var tightDaily = Group("z-team", 3_000_000, daily: 100_000);
        Assert.Same(tightDaily, PolicyResolution.Resolve(new PolicyCandidates(null, [looseDaily, tightDaily], null)));
        var twinA = Group("alpha", 3_000_000);
        var twinB = Group("beta", 3_000_000);
        Assert.Same(twinA, PolicyResolution.Resolve(new PolicyCandidates(null, [twinB, twinA], null)));
    }

    [Fact]
    public void A_disabled_user_policy_falls_back_to_the_groups_not_to_unlimited() =>
        Assert.Same(Engineering, PolicyResolution.Resolve(new PolicyCandidates(User("alice@example.com", 1, enabled: false), [Engineering], Everyone)));

    [Fact]
    public void A_disabled_group_policy_is_skipped_even_when_most_restrictive() =>
        Assert.Same(Research, PolicyResolution.Resolve(new PolicyCandidates(null, [Group("engineering", 1, enabled: false), Research], Everyone)));

    [Fact]
    public void Only_disabled_groups_fall_back_to_the_default() =>
        Assert.Same(Everyone, PolicyResolution.Resolve(new PolicyCandidates(null, [Group("engineering", 1, enabled: false)], Everyone)));

    [Fact]
    public void A_disabled_default_means_no_policy() =>
        Assert.Null(PolicyResolution.Resolve(new PolicyCandidates(null, [], Default(1, enabled: false))));

    [Fact]
    public void Flat_list_resolution_matches_users_case_insensitively_and_only_the_named_groups()
    {
        QuotaPolicy[] all = [Alice, Engineering, Research, Everyone];
        Assert.Same(Alice, PolicyResolution.Resolve("Alice@Example.COM", [], all));
        Assert.Same(Research, PolicyResolution.Resolve("bob@example.com", ["research", "sales"], all));
        Assert.Same(Everyone, PolicyResolution.Resolve("bob@example.com", ["sales"], all));
        Assert.Same(Everyone, PolicyResolution.Resolve("bob@example.com", ["Engineering"], all)); // group names are exact
    }
}
