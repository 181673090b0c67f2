namespace Ccwb.Quota.Tests;

/// <summary>Reading the values of a policy (token amounts, costs, identifiers, durations) and whole rows.</summary>
public sealed class ValuesTests
{
    [Theory]
    [InlineData("500", 500)]
    [InlineData("500K", 500_000)]
    [InlineData("1.5M", 1_500_000)]
    [InlineData("2b", 2_000_000_000)]
    [InlineData(" 10 m ", 10_000_000)]
    public void Token_amounts_take_K_M_B_suffixes(string text, long expected)
    {
        Assert.True(QuotaValues.TryParseTokens(text, out var tokens));
        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("1.5")]      // half a token
    [InlineData("5X")]
    [InlineData("1e6")]
    [InlineData("ten")]
    public void Token_amounts_that_are_not_whole_tokens_are_refused(string text) => Assert.False(QuotaValues.TryParseTokens(text, out _));

    [Theory]
    [InlineData("24h", 24)]
    [InlineData("1h", 1)]
    [InlineData("7d", 168)]
    [InlineData("168h", 168)]
    public void Unblock_durations_are_hours_or_days_up_to_a_week(string text, int hours)
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        Assert.True(QuotaValues.TryParseUnblockDuration(text, now, out var until));
        Assert.Equal(now.AddHours(hours), until);
    }

    [Theory]
    [InlineData("8d")]
    [InlineData("169h")]
    [InlineData("0h")]
    [InlineData("2w")]
    [InlineData("h")]
    [InlineData("-1d")]
    public void Unblock_durations_beyond_a_week_or_malformed_are_refused(string text) =>
        Assert.False(QuotaValues.TryParseUnblockDuration(text, DateTimeOffset.UtcNow, out _));

    [Fact]
    public void Until_reset_is_the_start_of_next_month_in_UTC()
    {
        Assert.True(QuotaValues.TryParseUnblockDuration("until-reset", new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.FromHours(-5)), out var until));
        Assert.Equal(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero), until); // 04:30 UTC on 1 January: next reset is February
    }

    [Fact]
    public void Identifiers_are_checked_per_type_and_users_stored_lower_case()
    {
        Assert.Equal("alice@example.com", QuotaValues.NormalizeIdentifier(PolicyType.User, " Alice@Example.com ", out var e1));
        Assert.Null(e1);
        Assert.Null(QuotaValues.NormalizeIdentifier(PolicyType.User, "alice", out var e2));
        Assert.Contains("not an e-mail address", e2, StringComparison.Ordinal);
        Assert.Null(QuotaValues.NormalizeIdentifier(PolicyType.Group, "a#b", out var e3));
        Assert.NotNull(e3);
        Assert.Equal("default", QuotaValues.NormalizeIdentifier(PolicyType.Default, null, out _));
        Assert.Null(QuotaValues.NormalizeIdentifier(PolicyType.Default, "everyone", out var e4));
        Assert.NotNull(e4);
    }

    [Fact]
    public void A_row_with_only_type_and_identifier_takes_the_defaults()
    {
        var (policy, errors) = PolicyRows.Read(new Dictionary<string, string?> { ["type"] = "group", ["identifier"] = "eng" });
        Assert.Empty(errors);
        Assert.Equal(new QuotaPolicy { Type = PolicyType.Group, Identifier = "eng" }, policy);
    }

    [Fact]
    public void Every_bad_value_of_a_row_is_reported_not_only_the_first()
    {
        var (policy, errors) = PolicyRows.Read(new Dictionary<string, string?>
        {
            ["type"] = "user", ["identifier"] = "not-an-email", ["monthly_token_limit"] = "lots", ["enforcement_mode"] = "shout",
            ["warn_threshold_percent"] = "eighty", ["enabled"] = "maybe", ["colour"] = "red",
        });
        Assert.Null(policy);
        Assert.Equal(["colour", "identifier", "monthly_token_limit", "warn_threshold_percent", "enforcement_mode", "enabled"], errors.Select(e => e.Field));
        Assert.Contains("use 'alert' or 'block'", errors.Single(e => e.Field == "enforcement_mode").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_out_of_the_stacks_range_are_refused()
    {
        var (_, errors) = PolicyRows.Read(new Dictionary<string, string?>
        {
            ["type"] = "default", ["monthly_token_limit"] = "2B", ["daily_token_limit"] = "200M", ["warn_threshold_percent"] = "101",
        });
        Assert.Equal(["monthly_token_limit", "daily_token_limit", "warn_threshold_percent"], errors.Select(e => e.Field));
        var (_, dailyAboveMonthly) = PolicyRows.Read(new Dictionary<string, string?> { ["type"] = "default", ["monthly_token_limit"] = "1M", ["daily_token_limit"] = "2M" });
        Assert.Equal("daily_token_limit", Assert.Single(dailyAboveMonthly).Field);
    }

    [Fact]
    public void Written_rows_read_back_to_the_same_policy()
    {
        var policy = new QuotaPolicy
        {
            Type = PolicyType.User, Identifier = "bob@example.com", MonthlyTokenLimit = 7_000_000, DailyTokenLimit = 300_000,
            MonthlyCostLimitUsd = 120.5m, DailyCostLimitUsd = 9.25m, WarnThresholdPercent = 90,
            MonthlyEnforcement = EnforcementMode.Alert, DailyEnforcement = EnforcementMode.Block, Enabled = false,
        };
        var row = PolicyRows.Columns.Zip(PolicyRows.Write(policy)).ToDictionary(p => p.First, p => (string?)p.Second);
        Assert.Equal(policy, PolicyRows.Read(row).Policy);
    }
}
