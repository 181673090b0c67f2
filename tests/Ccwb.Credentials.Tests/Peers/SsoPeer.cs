using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;

namespace Ccwb.Credentials.Tests.Peers;

/// <summary>
/// IAM Identity Center on 127.0.0.1: the SSO-OIDC service (RegisterClient, StartDeviceAuthorization, CreateToken) and
/// the SSO portal (GetRoleCredentials), in AWS's REST-JSON wire format with its error shapes (<c>x-amzn-ErrorType</c>
/// plus an OAuth <c>error</c> body). It checks what AWS checks: the client registration and its expiry, the state of
/// each device code (pending, approved, denied, expired, redeemed), the polling rate, refresh-token rotation (a
/// redeemed refresh token is refused) and the bearer token and assignment on GetRoleCredentials.
/// </summary>
public sealed class SsoPeer : IDisposable
{
    public const string StartUrl = "https://d-9067c0ffee.awsapps.com/start";
    public const string Account = "111122223333";
    public const string PermissionSet = "ClaudeCodeUser";

    private readonly LoopbackHttpServer server;
    private readonly ConcurrentDictionary<string, (string Secret, DateTimeOffset Expires)> clients = new();
    private readonly ConcurrentDictionary<string, Device> devices = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> accessTokens = new();
    private readonly ConcurrentDictionary<string, (string ClientId, bool Used)> refreshTokens = new();
    private readonly ConcurrentQueue<string> calls = new();
    private readonly Lock gate = new();

    public SsoPeer()
    {
        Endpoint = $"http://127.0.0.1:{AwsPeer.FreePort()}";
        server = new LoopbackHttpServer(Endpoint + "/", HandleAsync);
    }

    public string Endpoint { get; }
    /// <summary>How long new client registrations stay valid.</summary>
    public TimeSpan RegistrationLifetime { get; set; } = TimeSpan.FromDays(90);
    /// <summary>How long device codes stay valid.</summary>
    public int DeviceCodeSeconds { get; set; } = 600;
    public int PollIntervalSeconds { get; set; } = 1;
    public int AccessTokenSeconds { get; set; } = 3600;
    /// <summary>What the user does on the verification page: approve or deny.</summary>
    public bool UserDenies { get; set; }
    /// <summary>Answer the first device-code poll with SlowDownException, as AWS does to a client that polls too fast.</summary>
    public bool SlowDownOnce { get; set; }
    /// <summary>Appended to the session token GetRoleCredentials issues (a service answering with a value that is not a token).</summary>
    public string SessionTokenSuffix { get; set; } = "";
    /// <summary>
    /// STS, which learns of every role credential GetRoleCredentials issues (as AWS's STS knows them), so that
    /// GetCallerIdentity signed with them names the Identity Center role session of <see cref="UserName"/>.
    /// </summary>
    public AwsPeer? Sts { get; set; }
    /// <summary>The signed-in user: the session name of the <c>AWSReservedSSO_…</c> role the credentials act as.</summary>
    public string UserName { get; set; } = "alice@example.com";
    /// <summary>The ARN GetCallerIdentity answers for role credentials this peer issued.</summary>
    public string RoleSessionArn => $"arn:aws:sts::{Account}:assumed-role/AWSReservedSSO_{PermissionSet}_0123456789abcdef/{UserName}";
    /// <summary>The pre-filled verification link to answer with instead of the peer's own page.</summary>
    public string? VerificationUriComplete { get; set; }
    public IReadOnlyList<string> Calls => calls.ToList();
    /// <summary>The user code of the latest device authorization (what the user would read off the terminal).</summary>
    public string? LastUserCode { get; private set; }
    public int Count(string operation) => calls.Count(c => c == operation);
    /// <summary>Seconds between the device-code polls after a SlowDownException.</summary>
    public List<double> PollGaps { get; } = [];

    private sealed class Device
    {
        public required string ClientId;
        public required string UserCode;
        public required DateTimeOffset Expires;
        public string State = "pending";
        public DateTimeOffset? LastPoll;
    }

    /// <summary>A signed-in session as <c>aws sso login</c> would leave it: a registration, access and refresh token.</summary>
    public (string ClientId, string ClientSecret, string AccessToken, string RefreshToken) SignedInSession(bool accessTokenExpired)
    {
        var clientId = "client-" + Random();
        var secret = "secret-" + Random();
        clients[clientId] = (secret, DateTimeOffset.UtcNow + RegistrationLifetime);
        var access = "aoa" + Random();
        accessTokens[access] = accessTokenExpired ? DateTimeOffset.UtcNow.AddMinutes(-5) : DateTimeOffset.UtcNow.AddSeconds(AccessTokenSeconds);
        var refresh = "aorAAAA" + Random();
        refreshTokens[refresh] = (clientId, false);
        return (clientId, secret, access, refresh);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        (int Status, string? ErrorType, string Body) answer;
        try
        {
            var path = request.Url!.AbsolutePath;
            answer = (request.HttpMethod, path) switch
            {
                ("POST", "/client/register") => RegisterClient(Json(buffer)),
                ("POST", "/device_authorization") => StartDeviceAuthorization(Json(buffer)),
                ("POST", "/token") => CreateToken(Json(buffer)),
                ("GET", "/device") => VerificationPage(request.QueryString["user_code"]),
                ("GET", "/federation/credentials") => GetRoleCredentials(request),
                _ => (404, "UnknownOperationException", "{}"),
            };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            answer = OidcError(400, "InvalidRequestException", "invalid_request", "Malformed request: " + e.Message);
        }
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        if (answer.ErrorType is not null)
            context.Response.Headers["x-amzn-ErrorType"] = answer.ErrorType + ":http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static JsonObject Json(MemoryStream body) => JsonNode.Parse(body.ToArray())!.AsObject();

    private (int, string?, string) RegisterClient(JsonObject body)
    {
        calls.Enqueue("RegisterClient");
        if (body["clientType"]?.GetValue<string>() != "public" || string.IsNullOrEmpty(body["clientName"]?.GetValue<string>()))
            return OidcError(400, "InvalidClientMetadataException", "invalid_client_metadata", "clientName and clientType public are required");
        var clientId = "client-" + Random();
        var secret = "secret-" + Random();
        var expires = DateTimeOffset.UtcNow + RegistrationLifetime;
        clients[clientId] = (secret, expires);
        return (200, null, new JsonObject
        {
            ["clientId"] = clientId, ["clientSecret"] = secret,
            ["clientIdIssuedAt"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["clientSecretExpiresAt"] = expires.ToUnixTimeSeconds(),
        }.ToJsonString());
    }

    /// <summary>As AWS: an unknown client, a wrong secret or an expired registration is InvalidClientException.</summary>
    private (int, string?, string)? CheckClient(JsonObject body)
    {
        var id = body["clientId"]?.GetValue<string>() ?? "";
        if (!clients.TryGetValue(id, out var client) || client.Secret != body["clientSecret"]?.GetValue<string>())
            return OidcError(401, "InvalidClientException", "invalid_client", "Invalid client provided");
        if (client.Expires <= DateTimeOffset.UtcNow)
            return OidcError(401, "InvalidClientException", "invalid_client", "Client registration has expired");
        return null;
    }

    private (int, string?, string) StartDeviceAuthorization(JsonObject body)
    {
        calls.Enqueue("StartDeviceAuthorization");
        if (CheckClient(body) is { } refused) return refused;
        if (body["startUrl"]?.GetValue<string>() != StartUrl)
            return OidcError(400, "InvalidRequestException", "invalid_request", "Invalid start url");
        var code = "dc-" + Random();
        var userCode = Random()[..4].ToUpperInvariant() + "-" + Random()[..4].ToUpperInvariant();
        LastUserCode = userCode;
        devices[code] = new Device
        {
            ClientId = body["clientId"]!.GetValue<string>(), UserCode = userCode, Expires = DateTimeOffset.UtcNow.AddSeconds(DeviceCodeSeconds),
        };
        return (200, null, new JsonObject
        {
            ["deviceCode"] = code, ["userCode"] = userCode,
            ["verificationUri"] = Endpoint + "/device",
            ["verificationUriComplete"] = VerificationUriComplete ?? Endpoint + "/device?user_code=" + userCode,
            ["expiresIn"] = DeviceCodeSeconds, ["interval"] = PollIntervalSeconds,
        }.ToJsonString());
    }

    /// <summary>The page the user opens: signing in there approves (or denies) the device code.</summary>
    private (int, string?, string) VerificationPage(string? userCode)
    {
        var device = devices.Values.FirstOrDefault(d => d.UserCode == userCode);
        if (device is null) return (404, null, "{}");
        lock (gate) if (device.State == "pending") device.State = UserDenies ? "denied" : "approved";
        return (200, null, "{}");
    }

    private (int, string?, string) CreateToken(JsonObject body)
    {
        var grant = body["grantType"]?.GetValue<string>();
        calls.Enqueue("CreateToken:" + grant);
        if (CheckClient(body) is { } refused) return refused;
        var clientId = body["clientId"]!.GetValue<string>();
        lock (gate)
        {
            switch (grant)
            {
                case "urn:ietf:params:oauth:grant-type:device_code":
                    if (!devices.TryGetValue(body["deviceCode"]?.GetValue<string>() ?? "", out var device) || device.ClientId != clientId)
                        return OidcError(400, "InvalidGrantException", "invalid_grant", "Invalid device code provided");
                    var now = DateTimeOffset.UtcNow;
                    if (device.LastPoll is { } last && SlowDownOnce is false && PollGaps.Count < 100) PollGaps.Add((now - last).TotalSeconds);
                    device.LastPoll = now;
                    if (SlowDownOnce)
                    {
                        SlowDownOnce = false;
                        return OidcError(400, "SlowDownException", "slow_down", null);
                    }
                    if (device.Expires <= now) return OidcError(400, "ExpiredTokenException", "expired_token", "Device code has expired");
                    switch (device.State)
                    {
                        case "pending": return OidcError(400, "AuthorizationPendingException", "authorization_pending", null);
                        case "denied": return OidcError(400, "AccessDeniedException", "access_denied", "Authorization was denied by the user");
                        case "redeemed": return OidcError(400, "InvalidGrantException", "invalid_grant", "Device code has already been used");
                    }
                    device.State = "redeemed";
                    return Tokens(clientId);
                case "refresh_token":
                    var presented = body["refreshToken"]?.GetValue<string>() ?? "";
                    if (!refreshTokens.TryGetValue(presented, out var refresh) || refresh.ClientId != clientId || refresh.Used)
                        return OidcError(400, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided");
                    // Rotation: a redeemed refresh token is never accepted again.
                    refreshTokens[presented] = (clientId, true);
                    return Tokens(clientId);
                default:
                    return OidcError(400, "UnsupportedGrantTypeException", "unsupported_grant_type", "Unsupported grant type");
            }
        }
    }

    private (int, string?, string) Tokens(string clientId)
    {
        var access = "aoa" + Random();
        accessTokens[access] = DateTimeOffset.UtcNow.AddSeconds(AccessTokenSeconds);
        var refresh = "aorAAAA" + Random();
        refreshTokens[refresh] = (clientId, false);
        return (200, null, new JsonObject
        {
            ["accessToken"] = access, ["tokenType"] = "Bearer", ["expiresIn"] = AccessTokenSeconds, ["refreshToken"] = refresh,
        }.ToJsonString());
    }

    private (int, string?, string) GetRoleCredentials(HttpListenerRequest request)
    {
        calls.Enqueue("GetRoleCredentials");
        var token = request.Headers["x-amz-sso_bearer_token"] ?? "";
        if (!accessTokens.TryGetValue(token, out var expires) || expires <= DateTimeOffset.UtcNow)
            return (401, "UnauthorizedException", new JsonObject { ["message"] = "Session token not found or invalid" }.ToJsonString());
        if (request.QueryString["account_id"] != Account || request.QueryString["role_name"] != PermissionSet)
            return (403, "ForbiddenException", new JsonObject { ["message"] = "No access" }.ToJsonString());
        var accessKeyId = "ASIA" + Random()[..16].ToUpperInvariant();
        var secretAccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
        var sessionToken = "IQoJb3JpZ2luX2Vj" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(400)) + SessionTokenSuffix;
        issuedRoleCredentials[accessKeyId] = (secretAccessKey, sessionToken);
        Sts?.Trust(accessKeyId, secretAccessKey, RoleSessionArn);
        return (200, null, new JsonObject
        {
            ["roleCredentials"] = new JsonObject
            {
                ["accessKeyId"] = accessKeyId,
                ["secretAccessKey"] = secretAccessKey,
                ["sessionToken"] = sessionToken,
                ["expiration"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(),
            },
        }.ToJsonString());
    }

    private static (int, string?, string) OidcError(int status, string type, string error, string? description) =>
        (status, type, new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString());

    private static string Random() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Secret, string SessionToken)> issuedRoleCredentials = new();

    /// <summary>
    /// The secret key and session token issued by GetRoleCredentials with an access key id, or null: what AWS looks up
    /// to verify a signature.
    /// </summary>
    public (string Secret, string SessionToken)? Issued(string accessKeyId) =>
        issuedRoleCredentials.TryGetValue(accessKeyId, out var issued) ? issued : null;

    public void Dispose() => server.Dispose();
}
