using System.Globalization;
using System.Text.Json.Serialization;

namespace Ccwb.Credentials.Quota;

/// <summary>Token usage against the user's limits, as the quota API reports it (any field may be absent).</summary>
public sealed record QuotaUsage(
    [property: JsonPropertyName("monthly_tokens")] double? MonthlyTokens,
    [property: JsonPropertyName("monthly_limit")] double? MonthlyLimit,
    [property: JsonPropertyName("monthly_percent")] double? MonthlyPercent,
    [property: JsonPropertyName("daily_tokens")] double? DailyTokens,
    [property: JsonPropertyName("daily_limit")] double? DailyLimit,
    [property: JsonPropertyName("daily_percent")] double? DailyPercent)
{
    /// <summary>The <c>Monthly:</c> and <c>Daily:</c> lines, each only when its tokens and limit are known.</summary>
    public IEnumerable<string> Lines()
    {
        if (MonthlyTokens is { } mt && MonthlyLimit is { } ml) yield return Line("Monthly", mt, ml, MonthlyPercent);
        if (DailyTokens is { } dt && DailyLimit is { } dl) yield return Line("Daily", dt, dl, DailyPercent);
    }

    private static string Line(string period, double tokens, double limit, double? percent) =>
        $"  {period}: {Grouped(tokens)} / {Grouped(limit)} tokens ({Percent(percent ?? (limit > 0 ? tokens / limit * 100 : 0))}%)";

    /// <summary>Comma thousands separators, whatever the user's locale.</summary>
    public static string Grouped(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
