using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ccwb.Testing.Peers;

/// <summary>
/// STS and Cognito Identity on 127.0.0.1, answering in AWS's wire formats (Query/XML for STS, JSON 1.1 for Cognito),
/// errors included. Like AWS, it accepts a web-identity token only if its signature verifies against the issuer's
/// JWKS and its iss, aud and exp are right; GetCallerIdentity requires a valid SigV4 signature made with credentials
/// it issued.
/// </summary>
public sealed class AwsPeer : IDisposable
{
    public const string Account = "123456789012";
    public const string RoleArn = "arn:aws:iam::123456789012:role/ClaudeCodeBedrock";
    public const string IdentityPoolId = "us-east-1:11111111-2222-3333-4444-555555555555";

    private readonly LoopbackHttpServer server;
    private readonly string issuer;
    private readonly string audience;
    private readonly string cognitoProviderName;
    private readonly HttpClient http = new();
    private readonly ConcurrentDictionary<string, (string Secret, string Arn, string Token)> issued = new();
    private readonly ConcurrentQueue<string> calls = new();
    private readonly ConcurrentDictionary<string, bool> expired = new();

    /// <param name="cognitoProviderName">The identity pool's provider name (the Logins key it accepts).</param>
    public AwsPeer(string issuer, string audience, string? cognitoProviderName = null)
    {
        this.issuer = issuer;
        this.audience = audience;
        this.cognitoProviderName = cognitoProviderName ?? new Uri(issuer).Authority;
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        server = new LoopbackHttpServer(Endpoint + "/", HandleAsync);
    }

    public string Endpoint { get; }
    /// <summary>Makes the peer fail in one way: sts-access-denied, sts-malformed-xml, cognito-not-authorized.</summary>
    public string? Fault { get; set; }
    public IReadOnlyList<string> Calls => calls.ToList();
    public string? LastSessionName { get; private set; }
    public string? LastDurationSeconds { get; private set; }

    /// <summary>The secret key and session token the peer issued with an access key id, or null: what AWS looks up to verify a signature.</summary>
    public (string Secret, string SessionToken)? Issued(string accessKeyId) =>
        issued.TryGetValue(accessKeyId, out var v) ? (v.Secret, v.Token) : null;

    /// <summary>
    /// A loopback port that is free now and that no other test of this run has been given. Ports come from below the
    /// kernel's ephemeral range (32768+), so neither an earlier test's released port nor a client connection's
    /// ephemeral port can be handed out again while a test's server is still about to bind it.
    /// </summary>
    public static int FreePort()
    {
        lock (PortLock)
        {
            while (true)
            {
                var port = nextPort++;
                if (nextPort > 32000) nextPort = 20000;
                try
                {
                    using var probe = new TcpListener(IPAddress.Loopback, port);
                    probe.Start();
                    return port;
                }
                catch (SocketException)
                {
                    // in use by something else: try the next one
                }
            }
        }
    }

    private static readonly Lock PortLock = new();
    // A different start per process, so parallel test processes rarely walk the same ports.
    private static int nextPort = 20000 + (Environment.ProcessId % 1200) * 10;

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        var body = buffer.ToArray();
        (int Status, string ContentType, string Body) answer;
        try
        {
            var target = request.Headers["X-Amz-Target"];
            answer = target is not null ? await CognitoAsync(target, body) : await StsAsync(request, body);
        }
        catch (Exception e)
        {
            answer = (500, "text/plain", e.ToString());
        }
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private async Task<(int, string, string)> StsAsync(HttpListenerRequest request, byte[] body)
    {
        var form = ParseForm(Encoding.UTF8.GetString(body));
        var action = form.GetValueOrDefault("Action");
        calls.Enqueue("sts:" + action);
        switch (action)
        {
            case "AssumeRoleWithWebIdentity":
                if (Fault == "sts-malformed-xml") return (200, "text/xml", "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>");
                var validation = await ValidateAsync(form.GetValueOrDefault("WebIdentityToken") ?? "");
                if (validation is not null) return StsError(400, validation.Value.Code, validation.Value.Message);
                if (Fault == "sts-access-denied" || form.GetValueOrDefault("RoleArn") != RoleArn)
                    return StsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
                if (!int.TryParse(form.GetValueOrDefault("DurationSeconds"), CultureInfo.InvariantCulture, out var duration) || duration < 900 || duration > 43200)
                    return StsError(400, "ValidationError", "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint");
                var session = form.GetValueOrDefault("RoleSessionName") ?? "";
                if (session.Length is < 2 or > 64 || session.Any(c => !(char.IsAsciiLetterOrDigit(c) || "_+=,.@-".Contains(c, StringComparison.Ordinal))))
                    return StsError(400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
                LastSessionName = session;
                LastDurationSeconds = form["DurationSeconds"];
                var (key, secret, token, expires) = Issue($"arn:aws:sts::{Account}:assumed-role/ClaudeCodeBedrock/{session}", duration);
                return (200, "text/xml", $"""
                    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleWithWebIdentityResult>
                        <SubjectFromWebIdentityToken>alice-0001</SubjectFromWebIdentityToken>
                        <Audience>{audience}</Audience>
                        <AssumedRoleUser>
                          <Arn>arn:aws:sts::{Account}:assumed-role/ClaudeCodeBedrock/{session}</Arn>
                          <AssumedRoleId>AROAEXAMPLE:{session}</AssumedRoleId>
                        </AssumedRoleUser>
                        <Credentials>
                          <SessionToken>{token}</SessionToken>
                          <SecretAccessKey>{secret}</SecretAccessKey>
                          <Expiration>{expires:yyyy-MM-ddTHH:mm:ssZ}</Expiration>
                          <AccessKeyId>{key}</AccessKeyId>
                        </Credentials>
                        <Provider>{issuer}</Provider>
                      </AssumeRoleWithWebIdentityResult>
                      <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
                    </AssumeRoleWithWebIdentityResponse>
                    """);
            case "GetCallerIdentity":
                var signature = SigV4.Verify(request, body, k => issued.TryGetValue(k, out var v) ? v.Secret : null);
                if (!signature.Valid)
                    return StsError(403, signature.Reason, signature.Reason == "SignatureDoesNotMatch"
                        ? "The request signature we calculated does not match the signature you provided."
                        : "The security token included in the request is invalid.");
                if (expired.ContainsKey(signature.AccessKeyId))
                    return StsError(400, "ExpiredToken", "The security token included in the request is expired");
                var arn = issued[signature.AccessKeyId].Arn;
                return (200, "text/xml", $"""
                    <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <GetCallerIdentityResult><Arn>{arn}</Arn><UserId>AROAEXAMPLE:session</UserId><Account>{Account}</Account></GetCallerIdentityResult>
                      <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
                    </GetCallerIdentityResponse>
                    """);
            default:
                return StsError(400, "InvalidAction", $"Could not find operation {action} for version 2011-06-15");
        }
    }

    private async Task<(int, string, string)> CognitoAsync(string target, byte[] body)
    {
        var operation = target.Split('.')[^1];
        calls.Enqueue("cognito:" + operation);
        var request = JsonNode.Parse(body)!.AsObject();
        var logins = request["Logins"]?.AsObject();
        if (Fault == "cognito-not-authorized")
            return CognitoError("NotAuthorizedException", "Token is not from a supported provider of this identity pool.");
        if (logins is null || logins.Count != 1 || !logins.ContainsKey(cognitoProviderName))
            return CognitoError("NotAuthorizedException", "Token is not from a supported provider of this identity pool.");
        var validation = await ValidateAsync(logins[cognitoProviderName]!.GetValue<string>());
        if (validation is not null) return CognitoError("NotAuthorizedException", "Invalid login token. " + validation.Value.Message);
        switch (operation)
        {
            case "GetId":
                if (request["IdentityPoolId"]?.GetValue<string>() != IdentityPoolId)
                    return CognitoError("ResourceNotFoundException", "IdentityPool 'x' not found.");
                return (200, "application/x-amz-json-1.1", JsonSerializer.Serialize(new JsonObject { ["IdentityId"] = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001" }));
            case "GetCredentialsForIdentity":
                var (key, secret, token, expires) = Issue($"arn:aws:sts::{Account}:assumed-role/Cognito_Authenticated/CognitoIdentityCredentials", 3600);
                return (200, "application/x-amz-json-1.1", new JsonObject
                {
                    ["IdentityId"] = request["IdentityId"]!.GetValue<string>(),
                    ["Credentials"] = new JsonObject
                    {
                        ["AccessKeyId"] = key, ["SecretKey"] = secret, ["SessionToken"] = token,
                        ["Expiration"] = expires.ToUnixTimeSeconds() + 0.5,
                    },
                }.ToJsonString());
            default:
                return CognitoError("UnknownOperationException", "");
        }
    }

    /// <summary>What AWS checks on a web-identity token; null when it passes.</summary>
    private async Task<(string Code, string Message)?> ValidateAsync(string token)
    {
        // As AWS does for an IAM OIDC provider: the issuer's discovery document names the key set.
        var discovery = JsonNode.Parse(await http.GetStringAsync(issuer + "/.well-known/openid-configuration"))!;
        var jwks = new JsonWebKeySet(await http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ClockSkew = TimeSpan.Zero,
        });
        if (result.IsValid) return null;
        return result.Exception is SecurityTokenExpiredException
            ? ("ExpiredTokenException", "Token expired: current date/time is after the token's exp.")
            : ("InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS: " + result.Exception?.GetType().Name);
    }

    /// <summary>Makes credentials the peer knows count as expired from now on, as AWS treats a session past its expiry.</summary>
    public void Expire(string accessKeyId) => expired[accessKeyId] = true;

    public bool IsExpired(string accessKeyId) => expired.ContainsKey(accessKeyId);

    /// <summary>Makes STS know long-term keys of an IAM principal (what passthrough profiles use), as IAM would.</summary>
    public void Trust(string accessKeyId, string secret, string arn) => issued[accessKeyId] = (secret, arn, "");

    private (string Key, string Secret, string Token, DateTimeOffset Expires) Issue(string arn, int seconds)
    {
        var key = "ASIA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
        // Real session tokens are long and base64 (with '+', '/' and '='), which stresses escaping and file formats.
        var token = "IQoJb3JpZ2luX2Vj" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(600));
        issued[key] = (secret, arn, token);
        return (key, secret, token, DateTimeOffset.UtcNow.AddSeconds(seconds));
    }

    private static (int, string, string) StsError(int status, string code, string message) => (status, "text/xml", $"""
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>
          <RequestId>{Guid.NewGuid()}</RequestId>
        </ErrorResponse>
        """);

    private static (int, string, string) CognitoError(string type, string message) =>
        (400, "application/x-amz-json-1.1", new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString());

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "", StringComparer.Ordinal);

    public void Dispose()
    {
        server.Dispose();
        http.Dispose();
    }
}
