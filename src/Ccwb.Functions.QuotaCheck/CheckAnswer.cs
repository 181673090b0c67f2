using System.Text.Json.Serialization;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>What API Gateway turns into the HTTP response (payload format 2.0).</summary>
public sealed record HttpApiResponse(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("headers")] Dictionary<string, string> Headers,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("isBase64Encoded")] bool IsBase64Encoded);

[JsonSerializable(typeof(HttpApiResponse))]
public sealed partial class QuotaCheckJson : JsonSerializerContext;
