using System.Globalization;
using System.Text.RegularExpressions;

namespace Ccwb.Quota;

/// <summary>A value a user typed or a file held that cannot be used: the field it belongs to and why.</summary>
public sealed record QuotaInputError(string Field, string Message);

/// <summary>Reading and checking the values a policy is made of, the same for the command line and imported files.</summary>
public static partial class QuotaValues
{
    // The stack's template limits (and upstream's): tokens per month / day.
    public const long MaxMonthlyTokens = 1_000_000_000;
    public const long MaxDailyTokens = 100_000_000;

    [GeneratedRegex(@"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$")]
    private static partial Regex EmailShape();

    // Group names come from IdP claims (groups, cognito:groups, custom:department): printable, no '#' (the key separator).
    [GeneratedRegex(@"^[^#\p{C}]{1,256}$")]
    private static partial Regex GroupShape();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([kKmMbB]?)$")]
    private static partial Regex TokenAmount();

    /// <summary>Token amount: an integer or decimal with an optional K / M / B suffix ("500K", "1.5M", "2B").</summary>
    public static bool TryParseTokens(string text, out long tokens)
    {
        tokens = 0;
        var match = TokenAmount().Match(text.Trim());
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return false;
        var scaled = number * match.Groups[2].Value.ToUpperInvariant() switch { "K" => 1_000m, "M" => 1_000_000m, "B" => 1_000_000_000m, _ => 1m };
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue) return false;
        tokens = (long)scaled;
        return true;
    }

    public static bool TryParseCost(string text, out decimal usd) =>
        decimal.TryParse(text.Trim().TrimStart('$'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out usd) && usd >= 0;

    public static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "1": value = true; return true;
            case "false" or "no" or "0": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>A user identifier: an e-mail address, compared and stored lower-case (IdPs differ in the case they send).</summary>
    public static string? NormalizeUser(string text, out string? error)
    {
        var email = text.Trim();
        error = email.Length > 254 || !EmailShape().IsMatch(email) ? $"'{email}' is not an e-mail address" : null;
        return error is null ? QuotaSchema.UserKey(email) : null;
    }

    public static string? NormalizeGroup(string text, out string? error)
    {
        var group = text.Trim();
        error = GroupShape().IsMatch(group) ? null : $"'{group}' is not a usable group name (1-256 printable characters, no '#')";
        return error is null ? group : null;
    }

    /// <summary>The identifier a policy of this type is stored under, checked; null with an error when unusable.</summary>
    public static string? NormalizeIdentifier(PolicyType type, string? text, out string? error)
    {
        error = null;
        switch (type)
        {
            case PolicyType.Default:
                if (!string.IsNullOrWhiteSpace(text) && !string.Equals(text.Trim(), PolicyTypes.DefaultIdentifier, StringComparison.OrdinalIgnoreCase))
                {
                    error = $"the default policy has no identifier (got '{text.Trim()}')";
                    return null;
                }
                return PolicyTypes.DefaultIdentifier;
            case PolicyType.User when string.IsNullOrWhiteSpace(text):
                error = "a user policy needs the user's e-mail address";
                return null;
            case PolicyType.Group when string.IsNullOrWhiteSpace(text):
                error = "a group policy needs the group name";
                return null;
            case PolicyType.User:
                return NormalizeUser(text!, out error);
            default:
                return NormalizeGroup(text!, out error);
        }
    }

    /// <summary>Everything wrong with a policy's limits (its identifier is checked when it is made).</summary>
    public static IReadOnlyList<QuotaInputError> Check(QuotaPolicy policy)
    {
        var errors = new List<QuotaInputError>();
        if (policy.MonthlyTokenLimit is < 0 or > MaxMonthlyTokens)
            errors.Add(new("monthly_token_limit", $"{policy.MonthlyTokenLimit} is out of range (0 for none, up to {MaxMonthlyTokens:N0})"));
        if (policy.DailyTokenLimit is < 0 or > MaxDailyTokens)
            errors.Add(new("daily_token_limit", $"{policy.DailyTokenLimit} is out of range (0 for none, up to {MaxDailyTokens:N0})"));
        if (policy is { MonthlyTokenLimit: > 0, DailyTokenLimit: > 0 } && policy.DailyTokenLimit > policy.MonthlyTokenLimit)
            errors.Add(new("daily_token_limit", $"{policy.DailyTokenLimit} is above the monthly limit {policy.MonthlyTokenLimit}"));
        if (policy.MonthlyCostLimitUsd < 0) errors.Add(new("monthly_cost_limit_usd", "must be 0 (none) or more"));
        if (policy.DailyCostLimitUsd < 0) errors.Add(new("daily_cost_limit_usd", "must be 0 (none) or more"));
        if (policy.WarnThresholdPercent is < 1 or > 100)
            errors.Add(new("warn_threshold_percent", $"{policy.WarnThresholdPercent} is out of range (1-100)"));
        return errors;
    }

    /// <summary>
    /// An unblock duration: <c>Nh</c> (1-168 hours), <c>Nd</c> (1-7 days), or <c>until-reset</c> (the start of the
    /// next month, UTC, when monthly usage starts again from zero).
    /// </summary>
    public static bool TryParseUnblockDuration(string text, DateTimeOffset now, out DateTimeOffset until)
    {
        until = default;
        var value = text.Trim().ToLowerInvariant();
        if (value == "until-reset")
        {
            var utc = now.UtcDateTime;
            until = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
            return true;
        }
        if (value.Length < 2 || !int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1) return false;
        var span = value[^1] switch { 'h' when n <= 168 => TimeSpan.FromHours(n), 'd' when n <= 7 => TimeSpan.FromDays(n), _ => TimeSpan.Zero };
        if (span == TimeSpan.Zero) return false;
        until = now + span;
        return true;
    }

    public static string Tokens(long tokens) => tokens.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Usd(decimal usd) => usd.ToString("0.00##", CultureInfo.InvariantCulture);
}
