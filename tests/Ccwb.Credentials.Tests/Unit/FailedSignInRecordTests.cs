using System.Globalization;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary>When a call started, as far as a shared sign-in failure is concerned: handed over by the front, else now.</summary>
public class FailedSignInRecordTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static string Ticks(DateTime time) => time.Ticks.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void The_front_s_start_counts_when_it_is_a_moment_ago() =>
        Assert.Equal(Now.AddMilliseconds(-3), FailedSignInRecord.StartOfCall(Now, Ticks(Now.AddMilliseconds(-3))));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Without_a_readable_start_the_call_starts_now(string? handedOver) =>
        Assert.Equal(Now, FailedSignInRecord.StartOfCall(Now, handedOver));

    [Fact]
    public void A_start_in_the_future_or_inherited_from_long_ago_is_ignored()
    {
        Assert.Equal(Now, FailedSignInRecord.StartOfCall(Now, Ticks(Now.AddSeconds(1))));
        Assert.Equal(Now, FailedSignInRecord.StartOfCall(Now, Ticks(Now.AddMinutes(-1))));
    }
}
