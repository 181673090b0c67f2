using System.Globalization;

namespace Ccwb.Credentials.Storage;

/// <summary>Timestamps as the credential_process protocol and the cache files write them: UTC, seconds, <c>Z</c>.</summary>
public static class Rfc3339
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset value) =>
        TryParseOwnFormat(text, out value) || TryParseAnyFormat(text, out value);

    /// <summary>The general parser, for timestamps written by other tools (offsets, fractions, no <c>T</c>).</summary>
    internal static bool TryParseAnyFormat(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    /// <summary>
    /// Exactly <c>yyyy-MM-ddTHH:mm:ssZ</c>, the form <see cref="Format"/> writes. Read on every cached call, so parsed
    /// by position: the general parser builds its culture token tables first, about 2% of the whole call.
    /// </summary>
    internal static bool TryParseOwnFormat(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is not { Length: 20 } || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':'
            || text[16] != ':' || text[19] != 'Z')
            return false;
        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(string text, int start, int count, out int number)
    {
        number = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i])) return false;
            number = number * 10 + (text[i] - '0');
        }
        return true;
    }
}
