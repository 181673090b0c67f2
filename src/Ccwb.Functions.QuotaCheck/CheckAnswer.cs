using System.Text.Json.Serialization;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>
/// The body of a <c>/check</c> answer, the shape the credential helper's quota client reads (its
/// <c>QuotaCheckResponse</c>): <c>allowed</c>, <c>reason</c>, <c>message</c>, <c>usage</c>, <c>policy</c>.
/// </summary>
public sealed record CheckAnswer(
    [property: JsonPropertyName("allowed")] bool Allowed,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("enforcement_mode")] string? EnforcementMode = null,
    [property: JsonPropertyName("usage")] UsageSummary? Usage = null,
    [property: JsonPropertyName("policy")] PolicyName? Policy = null,
    [property: JsonPropertyName("unblock_status")] UnblockStatus? UnblockStatus = null);

/// <summary>Usage against the policy's limits; the daily pair only when the policy has a daily limit.</summary>
public sealed record UsageSummary(
    [property: JsonPropertyName("monthly_tokens")] long MonthlyTokens,
    [property: JsonPropertyName("monthly_limit")] long MonthlyLimit,
    [property: JsonPropertyName("monthly_percent")] double MonthlyPercent,
    [property: JsonPropertyName("daily_tokens")] long DailyTokens,
    [property: JsonPropertyName("daily_limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DailyLimit,
    [property: JsonPropertyName("daily_percent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DailyPercent,
    [property: JsonPropertyName("monthly_cost_usd")] decimal MonthlyCost,
    [property: JsonPropertyName("daily_cost_usd")] decimal DailyCost);

public sealed record PolicyName(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("identifier")] string Identifier);

public sealed record UnblockStatus(
    [property: JsonPropertyName("is_unblocked")] bool IsUnblocked,
    [property: JsonPropertyName("expires_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExpiresAt);

/// <summary>What API Gateway turns into the HTTP response (payload format 2.0).</summary>
public sealed record HttpApiResponse(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("headers")] Dictionary<string, string> Headers,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("isBase64Encoded")] bool IsBase64Encoded);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CheckAnswer))]
[JsonSerializable(typeof(HttpApiResponse))]
public sealed partial class QuotaCheckJson : JsonSerializerContext;
