using System.Globalization;
using System.Text.Json;

namespace Ccwb.Functions.UsageMonitor;

/// <summary>
/// The window's token usage per user, kind and model from CloudWatch's PromQL API (<c>POST /api/v1/query</c>, signed
/// for <c>monitoring</c>). Claude Code exports its token counter with delta temporality, so the window's tokens are
/// <c>sum_over_time</c> of the deltas (<c>increase</c> reads each down-step as a counter reset and under-counts).
/// </summary>
public sealed class PromQlUsage(AwsApi aws, Uri endpoint)
{
    public static string Query(TimeSpan window) =>
        $"sum by (\"user.email\", type, model)(sum_over_time({{\"claude_code.token.usage\"}}[{(long)window.TotalSeconds}s]))";

    public IReadOnlyList<TokenSample> Fetch(TimeSpan window, DateTimeOffset at)
    {
        var body = aws.PostForm(new Uri(endpoint, "/api/v1/query"), "monitoring",
            [new("query", Query(window)), new("time", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))], TimeSpan.FromSeconds(15));
        return Parse(body);
    }

    /// <summary>The samples of an instant-vector answer; throws <see cref="AwsApiException"/> for a failed query.</summary>
    public static IReadOnlyList<TokenSample> Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("status", out var status) || status.GetString() != "success")
            throw new AwsApiException("PromQL query failed: " + (root.TryGetProperty("error", out var error) ? error.ToString() : "no status"));
        var samples = new List<TokenSample>();
        foreach (var series in root.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var metric = series.GetProperty("metric");
            var value = series.GetProperty("value")[1].GetString();
            if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var tokens)) continue;
            samples.Add(new TokenSample(Label(metric, "user.email") ?? "", Label(metric, "type") ?? "", Label(metric, "model"), tokens));
        }
        return samples;
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
