using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ccwb.Credentials.Tests.Peers;

/// <summary>
/// The quota API (<c>GET /check</c>) on 127.0.0.1, authenticating callers as the deployed API Gateway does: a bearer
/// id token must verify against the OpenID provider's keys (signature, issuer, audience, expiry), a SigV4 request
/// must carry a valid signature for <c>execute-api</c> in the expected region made with credentials AWS issued.
/// Failed authentication is 401 (bearer) or 403 (SigV4). Then it answers as <see cref="Answer"/> says.
/// </summary>
public sealed class QuotaPeer : IDisposable
{
    private readonly LoopbackHttpServer server;
    private readonly HttpClient http = new();
    private readonly ConcurrentQueue<string> calls = new();

    public QuotaPeer()
    {
        Endpoint = $"http://127.0.0.1:{AwsPeer.FreePort()}/prod";
        server = new LoopbackHttpServer(Endpoint + "/", HandleAsync);
    }

    /// <summary>The base URL for <c>quota_api_endpoint</c> (a stage path, as API Gateway has).</summary>
    public string Endpoint { get; }

    /// <summary>allowed, warning, blocked, garbage, server-error, unauthorized (401 after authentication, as an authorizer may), slow (answers after 10 s).</summary>
    public string Answer { get; set; } = "allowed";

    /// <summary>For bearer checks: the issuer and audience the id token must have.</summary>
    public (string Issuer, string Audience)? Bearer { get; set; }

    /// <summary>
    /// For SigV4 checks: the region signed for, and the secret key and session token (empty for long-term keys) AWS
    /// issued with an access key.
    /// </summary>
    public (string Region, Func<string, (string Secret, string SessionToken)?> Issued)? Iam { get; set; }

    /// <summary>One entry per call: "bearer ok", "bearer refused: …", "sigv4 ok", "sigv4 refused: …".</summary>
    public IReadOnlyList<string> Calls => calls.ToList();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var (status, body) = (500, "");
        try
        {
            (status, body) = await AnswerAsync(context.Request);
        }
        catch (Exception e)
        {
            body = e.ToString();
        }
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // the client gave up (the slow answer)
        }
    }

    private async Task<(int, string)> AnswerAsync(HttpListenerRequest request)
    {
        if (request.HttpMethod != "GET" || request.Url!.AbsolutePath != new Uri(Endpoint).AbsolutePath + "/check")
            return (404, """{"message":"Not Found"}""");
        var authorization = request.Headers["Authorization"] ?? "";
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var refusal = await ValidateBearerAsync(authorization["Bearer ".Length..]);
            calls.Enqueue(refusal is null ? "bearer ok" : "bearer refused: " + refusal);
            if (refusal is not null) return (401, """{"message":"Unauthorized"}""");
        }
        else
        {
            var refusal = ValidateSigV4(request);
            calls.Enqueue(refusal is null ? "sigv4 ok" : "sigv4 refused: " + refusal);
            if (refusal is not null) return (403, """{"message":"Forbidden"}""");
        }
        switch (Answer)
        {
            case "garbage":
                return (200, "<html>upstream gateway says hi</html>");
            case "server-error":
                return (502, """{"message":"Internal server error"}""");
            case "unauthorized":
                return (401, """{"message":"Unauthorized"}""");
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(10));
                return (200, Decision(true, 10));
            case "warning":
                return (200, Decision(true, 85.26));
            case "blocked":
                return (200, Decision(false, 104));
            default:
                return (200, Decision(true, 12.5));
        }
    }

    private static string Decision(bool allowed, double monthlyPercent) => new JsonObject
    {
        ["allowed"] = allowed,
        ["reason"] = allowed ? "within_quota" : "monthly_exceeded",
        ["message"] = allowed ? "" : "Monthly token limit exceeded.",
        ["usage"] = new JsonObject
        {
            ["monthly_tokens"] = (long)Math.Round(monthlyPercent * 10_000_000), ["monthly_limit"] = 1_000_000_000, ["monthly_percent"] = monthlyPercent,
            ["daily_tokens"] = 1_234_567, ["daily_limit"] = 50_000_000, ["daily_percent"] = 2.469134,
        },
        ["policy"] = new JsonObject { ["type"] = "user", ["identifier"] = "alice@example.com" },
    }.ToJsonString();

    /// <summary>What the API's JWT authorizer checks; null when the token passes.</summary>
    private async Task<string?> ValidateBearerAsync(string token)
    {
        if (Bearer is not { } expected) return "no OpenID provider configured";
        var discovery = JsonNode.Parse(await http.GetStringAsync(expected.Issuer + "/.well-known/openid-configuration"))!;
        var jwks = new JsonWebKeySet(await http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = expected.Issuer,
            ValidAudience = expected.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ClockSkew = TimeSpan.Zero,
        });
        return result.IsValid ? null : result.Exception?.GetType().Name ?? "invalid";
    }

    /// <summary>What API Gateway's IAM authorization checks; null when the request passes.</summary>
    private string? ValidateSigV4(HttpListenerRequest request)
    {
        if (Iam is not { } expected) return "no IAM configured";
        var authorization = request.Headers["Authorization"] ?? "";
        var credential = authorization.Split(',', StringSplitOptions.TrimEntries)[0].Split("Credential=", 2);
        if (credential.Length != 2) return "MissingAuthenticationToken";
        var scope = credential[1].Split('/');
        if (scope.Length != 5 || scope[2] != expected.Region || scope[3] != "execute-api" || scope[4] != "aws4_request")
            return "credential scope " + string.Join('/', scope.Skip(1));
        var signedHeaders = authorization.Split("SignedHeaders=", 2).ElementAtOrDefault(1)?.Split(',')[0].Split(';') ?? [];
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date")) return "host and x-amz-date must be signed";
        // API Gateway refuses a request signed more than 15 minutes from now, and a date that is not the scope's.
        if (!DateTimeOffset.TryParseExact(request.Headers["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var signedAt) || (signedAt - DateTimeOffset.UtcNow).Duration() > TimeSpan.FromMinutes(15))
            return "Signature expired";
        if (scope[1] != signedAt.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)) return "credential date";
        // Temporary credentials are valid only with their session token, signed with the request.
        if (expected.Issued(scope[0]) is { SessionToken.Length: > 0 } temporary &&
            (request.Headers["X-Amz-Security-Token"] != temporary.SessionToken || !signedHeaders.Contains("x-amz-security-token")))
            return "InvalidClientTokenId (session token)";
        var result = SigV4.Verify(request, [], key => expected.Issued(key)?.Secret);
        return result.Valid ? null : result.Reason;
    }

    public void Dispose()
    {
        server.Dispose();
        http.Dispose();
    }
}
