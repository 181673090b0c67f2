using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;

namespace Ccwb.Cli.Tests.Support;

/// <summary>
/// Bedrock (control plane and runtime on one port) on 127.0.0.1, in Bedrock's REST-JSON wire format, errors included
/// (<c>x-amzn-ErrorType</c> and <c>{"message":…}</c>). Like AWS, it first authenticates: the SigV4 signature must verify
/// with a secret STS issued (<see cref="AwsPeer.Issued"/>), for service <c>bedrock</c> in one of <see cref="Regions"/>, with the
/// session token that came with the key and a date within five minutes. Then it answers ListFoundationModels and
/// Converse, or the fault set for a model.
/// </summary>
public sealed class BedrockPeer : IDisposable
{
    private readonly LoopbackHttpServer server;
    private readonly AwsPeer sts;
    private readonly ConcurrentQueue<string> calls = new();

    /// <param name="regions">The regions it answers for: requests signed for another region are refused.</param>
    public BedrockPeer(AwsPeer sts, params string[] regions)
    {
        this.sts = sts;
        Regions = regions;
        Endpoint = $"http://127.0.0.1:{AwsPeer.FreePort()}";
        server = new LoopbackHttpServer(Endpoint + "/", HandleAsync);
    }

    public string Endpoint { get; }
    public IReadOnlyList<string> Regions { get; }

    /// <summary>Per model id: AccessDeniedException, ThrottlingException, ValidationException, ResourceNotFoundException or "slow" (answers after 5 s).</summary>
    public ConcurrentDictionary<string, string> Faults { get; } = new(StringComparer.Ordinal);

    /// <summary>Base model ids ListFoundationModels returns.</summary>
    public List<string> Listed { get; } =
    [
        "anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-sonnet-5", "anthropic.claude-opus-4-8",
        "anthropic.claude-sonnet-4-6", "anthropic.claude-sonnet-4-5-20250929-v1:0",
    ];

    /// <summary>"list" or "converse &lt;model id&gt;" per authenticated call; "refused: &lt;reason&gt;" otherwise.</summary>
    public IReadOnlyList<string> Calls => calls.ToList();

    /// <summary>The region each authenticated call was signed for, in the order of <see cref="Calls"/>.</summary>
    public IReadOnlyList<string> SignedRegions => signedRegions.ToList();

    private readonly ConcurrentQueue<string> signedRegions = new();

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(buffer);
        (int Status, string? ErrorType, string Body) answer;
        try
        {
            answer = await AnswerAsync(context.Request, buffer.ToArray());
        }
        catch (Exception e)
        {
            answer = (500, "InternalServerException", Message(e.ToString()));
        }
        try
        {
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            if (answer.ErrorType is not null)
                context.Response.Headers["x-amzn-ErrorType"] = answer.ErrorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // the client gave up (the slow answer)
        }
    }

    private async Task<(int, string?, string)> AnswerAsync(HttpListenerRequest request, byte[] body)
    {
        if (Authenticate(request, body) is { } refusal)
        {
            calls.Enqueue("refused: " + refusal.Type);
            return (403, refusal.Type, Message(refusal.Message));
        }
        var region = Scope(request)[2];
        signedRegions.Enqueue(region);
        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "GET" && path == "/foundation-models")
        {
            calls.Enqueue("list");
            var summaries = new JsonArray();
            foreach (var id in Listed)
                summaries.Add(new JsonObject
                {
                    ["modelArn"] = $"arn:aws:bedrock:{region}::foundation-model/{id}", ["modelId"] = id, ["modelName"] = id,
                    ["providerName"] = "Anthropic", ["inputModalities"] = new JsonArray("TEXT", "IMAGE"), ["outputModalities"] = new JsonArray("TEXT"),
                    ["responseStreamingSupported"] = true, ["inferenceTypesSupported"] = new JsonArray("INFERENCE_PROFILE"),
                    ["modelLifecycle"] = new JsonObject { ["status"] = "ACTIVE" },
                });
            return (200, null, new JsonObject { ["modelSummaries"] = summaries }.ToJsonString());
        }
        var segments = request.RawUrl!.Split('?')[0].Split('/');
        if (request.HttpMethod == "POST" && segments is ["", "model", var encodedId, "converse"])
        {
            var modelId = Uri.UnescapeDataString(encodedId);
            calls.Enqueue("converse " + modelId);
            if (Converse(body) is { } invalid) return (400, "ValidationException", Message(invalid));
            switch (Faults.GetValueOrDefault(modelId))
            {
                case "AccessDeniedException":
                    return (403, "AccessDeniedException", Message("You don't have access to the model with the specified model ID."));
                case "ThrottlingException":
                    return (429, "ThrottlingException", Message("Too many requests, please wait before trying again."));
                case "ValidationException":
                    return (400, "ValidationException", Message("The provided model identifier is invalid."));
                case "ResourceNotFoundException":
                    return (404, "ResourceNotFoundException", Message("Model not found."));
                case "slow":
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    break;
            }
            if (!modelId.Contains(".anthropic.", StringComparison.Ordinal))
                return (400, "ValidationException", Message("The provided model identifier is invalid."));
            return (200, null, new JsonObject
            {
                ["output"] = new JsonObject
                {
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(new JsonObject { ["text"] = "OK" }) },
                },
                ["stopReason"] = "end_turn",
                ["usage"] = new JsonObject { ["inputTokens"] = 14, ["outputTokens"] = 1, ["totalTokens"] = 15 },
                ["metrics"] = new JsonObject { ["latencyMs"] = 321 },
            }.ToJsonString());
        }
        return (404, "UnknownOperationException", Message("Unknown operation"));
    }

    /// <summary>What AWS checks before any operation; null when the request passes.</summary>
    private (string Type, string Message)? Authenticate(HttpListenerRequest request, byte[] body)
    {
        var signature = SigV4.Verify(request, body, key => sts.Issued(key)?.Secret);
        if (!signature.Valid)
            return signature.Reason switch
            {
                "SignatureDoesNotMatch" => ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided."),
                "MissingAuthenticationToken" => ("MissingAuthenticationTokenException", "Missing Authentication Token"),
                _ => ("UnrecognizedClientException", "The security token included in the request is invalid."),
            };
        var scope = Scope(request);
        if (!Regions.Contains(scope[2]) || scope[3] != "bedrock")
            return ("InvalidSignatureException", $"Credential should be scoped to a valid region and service 'bedrock', not '{scope[2]}/{scope[3]}'.");
        if (sts.IsExpired(signature.AccessKeyId)) return ("ExpiredTokenException", "The security token included in the request is expired");
        var token = sts.Issued(signature.AccessKeyId)!.Value.SessionToken;
        if (token.Length > 0 && request.Headers["X-Amz-Security-Token"] != token)
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        if (!DateTimeOffset.TryParseExact(request.Headers["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt) || (DateTimeOffset.UtcNow - signedAt).Duration() > TimeSpan.FromMinutes(5))
            return ("InvalidSignatureException", "Signature expired.");
        return null;
    }

    // AKID/date/region/service/aws4_request of a request whose signature verified.
    private static string[] Scope(HttpListenerRequest request) =>
        (request.Headers["Authorization"] ?? "").Split("Credential=", 2)[1].Split(',')[0].Split('/');

    /// <summary>Converse's own validation of the request body; null when it is acceptable.</summary>
    private static string? Converse(byte[] body)
    {
        JsonNode? request;
        try { request = JsonNode.Parse(body); }
        catch (System.Text.Json.JsonException) { return "Malformed input request, please reformat your input and try again."; }
        if (request?["messages"] is not JsonArray { Count: > 0 } messages || messages[0]?["role"]?.GetValue<string>() != "user")
            return "A conversation must start with a user message.";
        if (request["inferenceConfig"]?["maxTokens"] is not JsonValue max || !max.TryGetValue<int>(out var tokens) || tokens < 1)
            return "The maximum tokens you requested exceeds the model limit.";
        return null;
    }

    private static string Message(string text) => new JsonObject { ["message"] = text }.ToJsonString();

    public void Dispose() => server.Dispose();
}
