using System.Text.Json.Serialization;

namespace Ccwb.Quota;

/// <summary>The check API's answer, in the shape the credential helper reads (allowed, reason, message, usage, policy).</summary>
public sealed record CheckResponse(
    [property: JsonPropertyName("allowed")] bool Allowed,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("warning")] bool Warning,
    [property: JsonPropertyName("usage")] CheckUsage? Usage,
    [property: JsonPropertyName("policy")] CheckPolicy? Policy)
{
    public static CheckResponse From(QuotaDecision d) => new(
        d.Allowed, d.Reason, d.Message, d.Warning,
        d.Policy is null ? null : new CheckUsage(
            d.MonthlyTokens, d.Policy.MonthlyTokenLimit > 0 ? d.Policy.MonthlyTokenLimit : null, d.MonthlyPercent,
            d.DailyTokens, d.Policy.DailyTokenLimit > 0 ? d.Policy.DailyTokenLimit : null, d.DailyPercent,
            d.MonthlyCostUsd, d.DailyCostUsd),
        d.Policy is null ? null : new CheckPolicy(PolicyTypes.Name(d.Policy.Type), d.Policy.Identifier));
}

public sealed record CheckUsage(
    [property: JsonPropertyName("monthly_tokens")] long MonthlyTokens,
    [property: JsonPropertyName("monthly_limit")] long? MonthlyLimit,
    [property: JsonPropertyName("monthly_percent")] double? MonthlyPercent,
    [property: JsonPropertyName("daily_tokens")] long DailyTokens,
    [property: JsonPropertyName("daily_limit")] long? DailyLimit,
    [property: JsonPropertyName("daily_percent")] double? DailyPercent,
    [property: JsonPropertyName("monthly_cost_usd")] decimal MonthlyCostUsd,
    [property: JsonPropertyName("daily_cost_usd")] decimal DailyCostUsd);

public sealed record CheckPolicy(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("identifier")] string Identifier);

/// <summary>Source-generated serialization (native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CheckResponse))]
public sealed partial class QuotaJsonContext : JsonSerializerContext;
