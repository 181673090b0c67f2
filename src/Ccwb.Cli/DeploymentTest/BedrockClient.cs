using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Cli.DeploymentTest;

/// <summary>A Bedrock answer: the HTTP status, AWS's error type (empty on success) and message, and the JSON body.</summary>
internal sealed record BedrockAnswer(int Status, string ErrorType, string Message, JsonNode? Body)
{
    public bool Ok => Status is >= 200 and < 300 && ErrorType.Length == 0;
}

/// <summary>
/// The two Bedrock calls <c>ccwb test</c> makes, SigV4-signed with the helper's credentials: ListFoundationModels
/// (control plane) and Converse (runtime). Both sign as service <c>bedrock</c>.
/// </summary>
/// <remarks>
/// Hand-written over the helper's signer and transport because no AWSSDK.Bedrock / BedrockRuntime package is served
/// here; the two REST-JSON calls and their error shape (<c>x-amzn-ErrorType</c>, <c>{"message":…}</c>) are small.
/// </remarks>
internal sealed class BedrockClient(HttpTransport http, AwsCredentials credentials, TimeSpan timeout, Func<DateTimeOffset> clock)
{
    private const string Service = "bedrock";

    /// <exception cref="HttpTransportException">No answer (connection, TLS, time-out).</exception>
    public BedrockAnswer ListFoundationModels(Uri endpoint, string region) =>
        Send("GET", new Uri(endpoint, "foundation-models?byProvider=anthropic"), null, region);

    /// <summary>One user message, at most <paramref name="maxTokens"/> tokens back: proves the model answers.</summary>
    /// <exception cref="HttpTransportException">No answer (connection, TLS, time-out).</exception>
    public BedrockAnswer Converse(Uri runtimeEndpoint, string region, string modelId, int maxTokens)
    {
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["text"] = "Reply with the single word OK." }),
            }),
            ["inferenceConfig"] = new JsonObject { ["maxTokens"] = maxTokens },
        };
        // The model id goes into the path encoded (':' of versioned ids becomes %3A), as the AWS SDKs send it.
        var url = new Uri(runtimeEndpoint, $"model/{Uri.EscapeDataString(modelId)}/converse");
        return Send("POST", url, Encoding.UTF8.GetBytes(body.ToJsonString()), region);
    }

    private BedrockAnswer Send(string method, Uri url, byte[]? body, string region)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (body is not null) headers.Add(new("Content-Type", "application/json"));
        var payloadHash = body is null ? SigV4Signer.EmptyPayloadHash : SigV4Signer.PayloadHash(body);
        var signed = SigV4Signer.SignHeaders(method, url, headers, payloadHash, credentials, region, Service, clock());
        // Content-Type travels as the request's own property; only the signing headers are added.
        var response = http.Send(new HttpRequest(method, url, body, body is null ? null : "application/json", [.. signed]), timeout);
        JsonNode? json = null;
        try { json = response.Body.Length > 0 ? JsonNode.Parse(response.Body) : null; }
        catch (JsonException) { /* an error page that is not JSON: the status says enough */ }
        if (response.IsSuccess) return new BedrockAnswer(response.StatusCode, "", "", json);
        return new BedrockAnswer(response.StatusCode, ErrorType(response, json), Message(json), json);
    }

    // AWS's REST-JSON services name the error in x-amzn-ErrorType ("ThrottlingException:http://internal…"), some
    // gateways only in the body's __type or code.
    private static string ErrorType(HttpResponse response, JsonNode? json)
    {
        var type = response.Header("x-amzn-ErrorType") ?? Text(json, "__type") ?? Text(json, "code") ?? $"HTTP {response.StatusCode}";
        type = type.Split(':')[0];
        return Ccwb.Http.TerminalText.Clean(type[(type.LastIndexOf('#') + 1)..]);
    }

    private static string Message(JsonNode? json) => Ccwb.Http.TerminalText.Clean(Text(json, "message") ?? Text(json, "Message") ?? "");

    /// <summary>A string member of a JSON object from the service, or null when absent or not a string.</summary>
    internal static string? Text(JsonNode? json, string name) =>
        json is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
