using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ccwb.Functions.Tests.Peers;

/// <summary>
/// The AWS side of a deployed function, on 127.0.0.1: the Lambda Runtime API a custom runtime polls
/// (<c>/2018-06-01/runtime/…</c>), and in front of it an HTTP API route <c>GET /check</c> that authenticates as API
/// Gateway does — a JWT authorizer (signature against the provider's keys, issuer, audience, expiry; 401 otherwise) or
/// IAM authorization (a valid SigV4 signature for <c>execute-api</c>; 403 otherwise) — and hands the function a
/// payload format 2.0 event with the validated claims (flattened to strings as the JWT authorizer does) or the IAM caller.
/// </summary>
public sealed class ApiGatewayPeer : IDisposable
{
    private readonly LoopbackHttpServer server;
    private readonly HttpClient http = new();
    private readonly BlockingCollection<Pending> queue = [];
    private readonly ConcurrentDictionary<string, Pending> inFlight = new();
    private readonly ConcurrentQueue<string> initErrors = new();
    private int sequence;

    public ApiGatewayPeer()
    {
        var port = AwsPeer.FreePort();
        RuntimeApi = $"127.0.0.1:{port}";
        Endpoint = $"http://127.0.0.1:{port}";
        server = new LoopbackHttpServer(Endpoint + "/", HandleAsync);
    }

    /// <summary>host:port for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string RuntimeApi { get; }

    /// <summary>The API's base URL (the helper's <c>quota_api_endpoint</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The JWT authorizer's issuer and audience; null: bearer tokens are refused.</summary>
    public (string Issuer, string Audience)? Jwt { get; set; }

    /// <summary>IAM authorization: the region, and for an access key its secret and the caller's ARN.</summary>
    public (string Region, Func<string, (string Secret, string UserArn)?> Caller)? Iam { get; set; }

    public IReadOnlyList<string> InitErrors => [.. initErrors];

    /// <summary>The function's time limit per invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What the function answered an invocation: its response document, or an error with its type.</summary>
    public sealed record Outcome(bool IsError, string Body, string? ErrorType, TimeSpan Elapsed);

    /// <summary>Invokes the function directly with an event, as Lambda would; waits for the function's answer.</summary>
    public async Task<Outcome> InvokeAsync(byte[] payload, TimeSpan? timeout = null)
    {
        var pending = new Pending($"req-{Interlocked.Increment(ref sequence):D6}", payload);
        pending.Clock.Start();
        queue.Add(pending);
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (await Task.WhenAny(pending.Done.Task, Task.Delay(limit)) != pending.Done.Task)
            throw new TimeoutException($"the function did not answer invocation {pending.RequestId} within {limit.TotalSeconds} s");
        return await pending.Done.Task;
    }

    private sealed class Pending(string requestId, byte[] payload)
    {
        public string RequestId { get; } = requestId;
        public byte[] Payload { get; } = payload;
        public Stopwatch Clock { get; } = new();
        public TaskCompletionSource<Outcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        try
        {
            if (path.StartsWith("/2018-06-01/runtime/", StringComparison.Ordinal)) await RuntimeApiAsync(context, path["/2018-06-01/runtime/".Length..]);
            else if (path == "/check") await CheckRouteAsync(context);
            else await ReplyAsync(context.Response, 404, """{"message":"Not Found"}""");
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // the caller went away
        }
    }

    // The Runtime API as Lambda serves it to a custom runtime.
    private async Task RuntimeApiAsync(HttpListenerContext context, string route)
    {
        var request = context.Request;
        var body = await ReadAsync(request);
        if (request.HttpMethod == "GET" && route == "invocation/next")
        {
            Pending next;
            try { next = await Task.Run(() => queue.Take()); }
            catch (InvalidOperationException) { return; }
            inFlight[next.RequestId] = next;
            var response = context.Response;
            response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
            response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.Add(Timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:quota-check";
            response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-00000000-000000000000000000000000;Sampled=0";
            await ReplyAsync(response, 200, next.Payload);
            return;
        }
        if (request.HttpMethod == "POST" && route == "init/error")
        {
            initErrors.Enqueue((request.Headers["Lambda-Runtime-Function-Error-Type"] ?? "") + " " + Encoding.UTF8.GetString(body));
            await ReplyAsync(context.Response, 202, """{"status":"OK"}""");
            return;
        }
        var parts = route.Split('/');
        if (request.HttpMethod == "POST" && parts is ["invocation", var id, "response" or "error"] && inFlight.TryRemove(id, out var pending))
        {
            pending.Clock.Stop();
            var isError = parts[2] == "error";
            pending.Done.TrySetResult(new Outcome(isError, Encoding.UTF8.GetString(body),
                isError ? request.Headers["Lambda-Runtime-Function-Error-Type"] : null, pending.Clock.Elapsed));
            await ReplyAsync(context.Response, 202, """{"status":"OK"}""");
            return;
        }
        await ReplyAsync(context.Response, 400, """{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}""");
    }

    // The HTTP API route: authenticate, build the event, invoke, map the function's answer to the HTTP response.
    private async Task CheckRouteAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var authorizer = new JsonObject();
        var authorization = request.Headers["Authorization"] ?? "";
        if (Jwt is not null)
        {
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal)
                || await ValidateJwtAsync(authorization["Bearer ".Length..]) is not { } claims)
            {
                await ReplyAsync(context.Response, 401, """{"message":"Unauthorized"}""");
                return;
            }
            authorizer["jwt"] = new JsonObject { ["claims"] = claims, ["scopes"] = null };
        }
        else if (Iam is { } iam)
        {
            if (ValidateSigV4(request, iam) is not { } caller)
            {
                await ReplyAsync(context.Response, 403, """{"message":"Forbidden"}""");
                return;
            }
            authorizer["iam"] = caller;
        }
        var outcome = await InvokeAsync(Encoding.UTF8.GetBytes(HttpApiEvent(request, authorizer).ToJsonString()));
        if (outcome.IsError)
        {
            await ReplyAsync(context.Response, 500, """{"message":"Internal Server Error"}""");
            return;
        }
        var answer = JsonNode.Parse(outcome.Body)!;
        await ReplyAsync(context.Response, answer["statusCode"]!.GetValue<int>(), answer["body"]!.GetValue<string>());
    }

    /// <summary>A payload format 2.0 event for <c>GET /check</c>, as API Gateway builds it.</summary>
    public static JsonObject HttpApiEvent(HttpListenerRequest? request, JsonObject authorizer)
    {
        var headers = new JsonObject();
        if (request is not null)
            foreach (var name in request.Headers.AllKeys)
                if (name is not null) headers[name.ToLowerInvariant()] = request.Headers[name];
        var now = DateTimeOffset.UtcNow;
        return new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "GET /check",
            ["rawPath"] = "/check",
            ["rawQueryString"] = "",
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "a1b2c3d4e5",
                ["authorizer"] = authorizer,
                ["domainName"] = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
                ["domainPrefix"] = "a1b2c3d4e5",
                ["http"] = new JsonObject
                {
                    ["method"] = "GET", ["path"] = "/check", ["protocol"] = "HTTP/1.1", ["sourceIp"] = "127.0.0.1",
                    ["userAgent"] = request?.UserAgent ?? "",
                },
                ["requestId"] = Guid.NewGuid().ToString("N")[..16],
                ["routeKey"] = "GET /check",
                ["stage"] = "$default",
                ["time"] = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                ["timeEpoch"] = now.ToUnixTimeMilliseconds(),
            },
            ["isBase64Encoded"] = false,
        };
    }

    // What the JWT authorizer checks; the claims as it passes them on (every value a string, arrays as "[a b]").
    private async Task<JsonObject?> ValidateJwtAsync(string token)
    {
        var (issuer, audience) = Jwt!.Value;
        var discovery = JsonNode.Parse(await http.GetStringAsync(issuer + "/.well-known/openid-configuration"))!;
        var jwks = new JsonWebKeySet(await http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ClockSkew = TimeSpan.Zero,
        });
        if (!result.IsValid) return null;
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!.AsObject();
        var claims = new JsonObject();
        foreach (var (name, value) in payload) claims[name] = Flatten(value);
        return claims;
    }

    public static string Flatten(JsonNode? value) => value switch
    {
        null => "",
        JsonArray array => "[" + string.Join(' ', array.Select(Flatten)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    // What IAM authorization checks; the caller as the event's requestContext.authorizer.iam names it.
    private static JsonObject? ValidateSigV4(HttpListenerRequest request, (string Region, Func<string, (string Secret, string UserArn)?> Caller) iam)
    {
        var authorization = request.Headers["Authorization"] ?? "";
        var credential = authorization.Split(',', StringSplitOptions.TrimEntries)[0].Split("Credential=", 2);
        if (credential.Length != 2) return null;
        var scope = credential[1].Split('/');
        if (scope.Length != 5 || scope[2] != iam.Region || scope[3] != "execute-api" || scope[4] != "aws4_request") return null;
        if (!SigV4.Verify(request, [], key => iam.Caller(key)?.Secret).Valid) return null;
        var arn = iam.Caller(scope[0])!.Value.UserArn;
        return new JsonObject
        {
            ["accessKey"] = scope[0], ["accountId"] = "123456789012", ["callerId"] = "AROAEXAMPLE:" + arn[(arn.LastIndexOf('/') + 1)..],
            ["cognitoIdentity"] = null, ["principalOrgId"] = "o-example", ["userArn"] = arn, ["userId"] = "AROAEXAMPLE:" + arn[(arn.LastIndexOf('/') + 1)..],
        };
    }

    private static async Task<byte[]> ReadAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static Task ReplyAsync(HttpListenerResponse response, int status, string body) => ReplyAsync(response, status, Encoding.UTF8.GetBytes(body));

    private static async Task ReplyAsync(HttpListenerResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    public void Dispose()
    {
        queue.CompleteAdding();
        server.Dispose();
        http.Dispose();
    }
}
