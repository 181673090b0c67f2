using Ccwb.Functions.UsageMonitor;

namespace Ccwb.Functions.Tests;

/// <summary>The usage monitor's alert decisions: which limits call for an alert, at which level, sent once.</summary>
public sealed class AlertTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly AlertLimits Limits = new(1_000_000, 100_000, 50m, 10m, 80, "user:a@example.com", "block");

    private sealed class RecordingPublisher : IAlertPublisher
    {
        public List<(string Subject, string Message)> Published { get; } = [];

        public Task PublishAsync(string subject, string message, CancellationToken cancel)
        {
            Published.Add((subject, message));
            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData(799_999, null)]
    [InlineData(800_000, "warning")]
    [InlineData(900_000, "critical")]
    [InlineData(1_000_000, "exceeded")]
    public void Monthly_tokens_alert_at_80_90_and_100_percent(long tokens, string? level)
    {
        var alerts = QuotaAlerts.Due("a@example.com", new UsageTotals(tokens, 0, 0, 0), Limits, Today, new HashSet<string>());

        Assert.Equal(level, alerts.SingleOrDefault()?.Level);
    }

    [Fact]
    public void Every_limit_kind_alerts_on_its_own_with_its_period()
    {
        var alerts = QuotaAlerts.Due("a@example.com", new UsageTotals(850_000, 95_000, 51m, 8.5m), Limits, Today, new HashSet<string>());

        Assert.Equal(
            ["a@example.com#monthly#2026-12#warning", "a@example.com#daily#2026-12-02#critical",
             "a@example.com#monthly_cost#2026-12#exceeded", "a@example.com#daily_cost#2026-12-02#warning"],
            alerts.Select(a => a.Key));
    }

    [Fact]
    public void A_zero_limit_never_alerts_upstream_alerted_exceeded_on_any_usage_for_cost_only_policies()
    {
        var costOnly = Limits with { MonthlyTokenLimit = 0, DailyTokenLimit = 0 };

        var alerts = QuotaAlerts.Due("a@example.com", new UsageTotals(5_000_000, 5_000_000, 1m, 1m), costOnly, Today, new HashSet<string>());

        Assert.Empty(alerts);
    }

    [Fact]
    public void The_policys_warning_threshold_replaces_80_percent()
    {
        var early = Limits with { WarnPercent = 50 };

        Assert.Equal("warning", Assert.Single(QuotaAlerts.Due("a@example.com", new UsageTotals(650_000, 0, 0, 0), early, Today, new HashSet<string>())).Level);
        Assert.Empty(QuotaAlerts.Due("a@example.com", new UsageTotals(490_000, 0, 0, 0), early, Today, new HashSet<string>()));
    }

    [Fact]
    public async Task Alerts_already_sent_are_not_sent_again_and_sent_ones_are_published_with_their_figures()
    {
        var usage = new UsageTotals(1_250_000, 0, 0, 0);
        var publisher = new RecordingPublisher();

        var first = QuotaAlerts.Due("a@example.com", usage, Limits, Today, new HashSet<string>());
        var sent = await QuotaAlerts.SendAsync(publisher, first, CancellationToken.None);
        var again = QuotaAlerts.Due("a@example.com", usage, Limits, Today, sent.ToHashSet());

        Assert.Empty(again);
        var (subject, message) = Assert.Single(publisher.Published);
        Assert.Equal("Claude Code EXCEEDED - Monthly Token Quota - 125%", subject);
        Assert.Equal("USER: a@example.com\nALERT: Monthly Token Quota - EXCEEDED\nUsage: 1,250,000 / 1,000,000 tokens (125.0%)\n" +
                     "Period: 2026-12\nPolicy: user:a@example.com\nEnforcement: block", message);
    }
}
