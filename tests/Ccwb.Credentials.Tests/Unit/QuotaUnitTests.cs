using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Quota;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

public class QuotaUnitTests
{
    [Fact]
    public void State_is_due_when_absent_unreadable_or_older_than_the_interval_and_is_written_0600()
    {
        using var home = new TempDirectory("ccwb-quota-state");
        var state = new QuotaState(home.Path, "p");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.True(state.IsDue(now, TimeSpan.FromMinutes(30)));

        state.Save(now);
        Assert.Equal("{\"last_check_unix\":1800000000}", File.ReadAllText(state.FilePath));
        Assert.False(state.IsDue(now.AddMinutes(29), TimeSpan.FromMinutes(30)));
        Assert.True(state.IsDue(now.AddMinutes(30), TimeSpan.FromMinutes(30)));
        // A record from the future (a clock set back) does not stop checks.
        Assert.True(state.IsDue(now.AddHours(-1), TimeSpan.FromMinutes(30)));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(state.FilePath));

        File.WriteAllText(state.FilePath, "{\"last_check_unix\":\"soon\"}");
        Assert.True(state.IsDue(now, TimeSpan.FromMinutes(30)));
        File.WriteAllText(state.FilePath, "garbage");
        Assert.True(state.IsDue(now, TimeSpan.FromMinutes(30)));
    }

    [Theory]
    [InlineData(79.9, 1.0, false)]
    [InlineData(80.0, 1.0, true)]
    [InlineData(1.0, 80.0, true)]
    public void Warning_starts_at_80_percent_of_either_limit(double monthly, double daily, bool near)
    {
        var result = new QuotaResult(true, false, "within_quota", "", new QuotaUsage(1, 2, monthly, 1, 2, daily), null);
        Assert.Equal(near, result.NearLimit);
    }

    [Theory]
    [InlineData(79.99, "#28a745")]
    [InlineData(80, "#ffc107")]
    [InlineData(90, "#fd7e14")]
    [InlineData(100, "#dc3545")]
    public void Page_bar_colours_follow_the_thresholds(double percent, string colour) => Assert.Equal(colour, QuotaStatusPage.Colour(percent));

    [Fact]
    public void Page_escapes_the_service_message_clamps_bars_and_shows_daily_only_with_a_daily_limit()
    {
        var result = new QuotaResult(false, false, "blocked", "<script>alert(1)</script>", new QuotaUsage(2_000, 1_000, 200, 5, 0, 0), null);
        var html = QuotaStatusPage.Html(result, blocked: true);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("width:100%", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h2>Daily</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Access Blocked", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_User_0123/alice", "alice")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Dev/bob@example.com", "bob@example.com")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Dev/ci-runner", null)]
    [InlineData("arn:aws:iam::123456789012:user/carol@example.com", null)]
    [InlineData("not an arn", null)]
    public void Caller_identity_names_a_user_only_for_email_sessions_or_identity_center_roles(string arn, string? user) =>
        Assert.Equal(user, CallerIdentity.UserOf(arn));
}
