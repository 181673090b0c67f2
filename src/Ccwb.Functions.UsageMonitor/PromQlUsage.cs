using System.Globalization;
using System.Text.Json;

namespace Ccwb.Functions.UsageMonitor;

/// <summary>
/// The window's token usage per user, kind and model from CloudWatch's PromQL API (<c>POST /api/v1/query</c>, signed
/// for <c>monitoring</c>). Claude Code exports its token counter with delta temporality, so the window's tokens are
/// <c>sum_over_time</c> of the deltas (<c>increase</c> reads each down-step as a counter reset and under-counts).
/// </summary>
/// <remarks>
/// CloudWatch answers at most <see cref="SeriesLimit"/> series per query and says nothing when it leaves some out, so
/// an answer that reaches the limit is taken as cut short: the users are split by the next character of their email
/// (one piece per letter or digit, one for any other character, one for the address that ends there) and each piece
/// asked again, as often as needed. One user has a few series per model, far below the limit, so the split ends.
/// </remarks>
public sealed class PromQlUsage(AwsApi aws, Uri endpoint)
{
    /// <summary>CloudWatch's most series in one answer (QueryMetrics <c>limit</c>, 1–500); asked for explicitly.</summary>
    public const int SeriesLimit = 500;

    // Characters of email an answer may be split by; a piece still full this deep cannot be split, which is reported.
    private const int MaxPrefixCharacters = 64;

    // The classes one email character falls into: each letter (either case), each digit, anything else. Together with
    // "ends here" they cover every string exactly once, so the pieces neither overlap nor leave a user out.
    private static readonly string[] CharacterClasses =
    [
        .. Enumerable.Range('a', 26).Select(c => $"[{(char)c}{char.ToUpperInvariant((char)c)}]"),
        .. Enumerable.Range('0', 10).Select(c => ((char)c).ToString()),
        "[^a-zA-Z0-9]",
    ];

    /// <summary>The query; with <paramref name="userPattern"/> only users whose whole email matches that regex.</summary>
    public static string Query(TimeSpan window, string? userPattern = null) =>
        "sum by (\"user.email\", type, model)(sum_over_time({\"claude_code.token.usage\"" +
        (userPattern is null ? "" : $", \"user.email\"=~\"{userPattern}\"") +
        $"}}[{(long)window.TotalSeconds}s]))";

    public IReadOnlyList<TokenSample> Fetch(TimeSpan window, DateTimeOffset at)
    {
        var samples = new List<TokenSample>();
        FetchUsers(window, at, prefix: "", depth: 0, samples);
        return samples;
    }

    // The usage of the users whose email starts with the character classes in prefix, split while answers are full.
    private void FetchUsers(TimeSpan window, DateTimeOffset at, string prefix, int depth, List<TokenSample> samples)
    {
        var (piece, series) = Run(Query(window, prefix.Length == 0 ? null : prefix + ".*"), at);
        if (series < SeriesLimit)
        {
            samples.AddRange(piece);
            return;
        }
        if (depth == MaxPrefixCharacters)
            throw new AwsApiException($"PromQL answers {SeriesLimit} series even for the users matching {prefix}.*; their usage cannot be read completely");
        // The address that is exactly the prefix (none at the top: usage without a user is not counted). One user
        // cannot be split further.
        if (depth > 0)
        {
            var (user, userSeries) = Run(Query(window, prefix), at);
            if (userSeries >= SeriesLimit)
                throw new AwsApiException($"PromQL answers {SeriesLimit} series for the one user matching {prefix}; their usage cannot be read completely");
            samples.AddRange(user);
        }
        foreach (var next in CharacterClasses) FetchUsers(window, at, prefix + next, depth + 1, samples);
    }

    private (IReadOnlyList<TokenSample> Samples, int Series) Run(string query, DateTimeOffset at)
    {
        var body = aws.PostForm(new Uri(endpoint, "/api/v1/query"), "monitoring",
            [new("query", query), new("time", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
             new("limit", SeriesLimit.ToString(CultureInfo.InvariantCulture))], TimeSpan.FromSeconds(15));
        return ParseAnswer(body);
    }

    /// <summary>The samples of an instant-vector answer; throws <see cref="AwsApiException"/> for a failed query.</summary>
    public static IReadOnlyList<TokenSample> Parse(byte[] body) => ParseAnswer(body).Samples;

    private static (IReadOnlyList<TokenSample> Samples, int Series) ParseAnswer(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("status", out var status) || status.GetString() != "success")
            throw new AwsApiException("PromQL query failed: " + (root.TryGetProperty("error", out var error) ? error.ToString() : "no status"));
        var samples = new List<TokenSample>();
        var series = 0;
        foreach (var item in root.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            series++;
            var metric = item.GetProperty("metric");
            var value = item.GetProperty("value")[1].GetString();
            if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var tokens)) continue;
            samples.Add(new TokenSample(Label(metric, "user.email") ?? "", Label(metric, "type") ?? "", Label(metric, "model"), tokens));
        }
        return (samples, series);
    }

    private static string? Label(JsonElement metric, string name) =>
        metric.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>Publishes alerts to the quota stack's SNS topic (the Query API's <c>Publish</c>, signed for <c>sns</c>).</summary>
public sealed class SnsAlertPublisher(AwsApi aws, Uri endpoint, string topicArn) : IAlertPublisher
{
    public Task PublishAsync(string subject, string message, CancellationToken cancel)
    {
        aws.PostForm(endpoint, "sns",
            [new("Action", "Publish"), new("Version", "2010-03-31"), new("TopicArn", topicArn), new("Subject", subject), new("Message", message)],
            TimeSpan.FromSeconds(15));
        return Task.CompletedTask;
    }
}
