using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary>The positional parser of our own timestamps must agree with the general parser it short-cuts.</summary>
public class Rfc3339Tests
{
    [Theory]
    [InlineData("2030-01-02T03:04:05Z")]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    public void Own_format_parses_to_the_same_instant_as_the_general_parser(string text)
    {
        Assert.True(Rfc3339.TryParseOwnFormat(text, out var own));
        Assert.True(Rfc3339.TryParseAnyFormat(text, out var general));
        Assert.Equal(general, own);
        Assert.Equal(TimeSpan.Zero, own.Offset);
        Assert.Equal(text, Rfc3339.Format(own));
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2030-13-01T00:00:00Z")]
    [InlineData("2030-00-01T00:00:00Z")]
    [InlineData("2030-01-32T00:00:00Z")]
    [InlineData("2030-01-01T24:00:00Z")]
    [InlineData("2030-01-01T00:60:00Z")]
    [InlineData("2030-01-01T00:00:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2030-01-01 00:00:00Z")]
    [InlineData("2030-01-01T00:00:00+00:00")]
    [InlineData("2030-01-01T00:00:00.5Z")]
    [InlineData("2030-01-01T00:00:00")]
    [InlineData("２030-01-01T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_left_to_the_general_parser_with_its_answer(string? text)
    {
        Assert.False(Rfc3339.TryParseOwnFormat(text, out _));
        var general = Rfc3339.TryParseAnyFormat(text, out var expected);
        Assert.Equal(general, Rfc3339.TryParse(text, out var actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_second_of_a_sample_of_days_round_trips_like_the_general_parser()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 2000; i++)
        {
            var instant = DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(0, 253402300799));
            var text = Rfc3339.Format(instant);
            Assert.True(Rfc3339.TryParseOwnFormat(text, out var own));
            Assert.True(Rfc3339.TryParseAnyFormat(text, out var general));
            Assert.Equal(general, own);
            Assert.Equal(instant, own);
        }
    }
}
