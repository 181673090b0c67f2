using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Storage;
using Ccwb.Functions.Tests.Peers;
using Ccwb.Http;
using Ccwb.Testing.Peers;

namespace Ccwb.Functions.Tests;

/// <summary>
/// The quota service as deployed, on 127.0.0.1: DynamoDB (dynalite) with the quota tables, the npm OpenID provider,
/// and two HTTP APIs in front of the check function's real bootstrap — one with the JWT authorizer (OIDC
/// deployments), one with IAM authorization (IAM Identity Center and passthrough deployments).
/// </summary>
public sealed class QuotaServiceFixture : IAsyncLifetime
{
    public const string ClientId = "quota-check-client";
    public const string Region = "us-east-1";

    /// <summary>IAM callers by access key: their secret and the role session ARN API Gateway reports.</summary>
    public static readonly Dictionary<string, (string Secret, string UserArn)> IamCallers = new()
    {
        ["ASIAIDCALICE"] = ("idc-alice-secret", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ClaudeCodeUsers_0123456789abcdef/iam-alice@example.com"),
        ["ASIAIDCNOEMAIL"] = ("idc-plain-secret", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ClaudeCodeUsers_0123456789abcdef/carol.plain"),
        ["ASIAOTHERROLE"] = ("other-role-secret", "arn:aws:sts::123456789012:assumed-role/SomeServiceRole/i-0abc123"),
    };

    public DynamoDbPeer Dynamo { get; private set; } = null!;
    public OidcPeer Oidc { get; private set; } = null!;
    public ApiGatewayPeer JwtApi { get; private set; } = null!;
    public ApiGatewayPeer IamApi { get; private set; } = null!;
    public FunctionProcess JwtFunction { get; private set; } = null!;
    public FunctionProcess IamFunction { get; private set; } = null!;
    private readonly HttpClient http = new();

    public async ValueTask InitializeAsync()
    {
        var bootstrap = QuotaCheckBootstrap.Path;
        Dynamo = await DynamoDbPeer.StartAsync();
        Oidc = await OidcPeer.StartAsync("quota-claims");
        JwtApi = new ApiGatewayPeer { Jwt = (Oidc.Issuer, ClientId) };
        IamApi = new ApiGatewayPeer { Iam = (Region, key => IamCallers.TryGetValue(key, out var c) ? c : null) };
        JwtFunction = new FunctionProcess(bootstrap, FunctionProcess.LambdaEnvironment(JwtApi.RuntimeApi, Dynamo.Endpoint));
        IamFunction = new FunctionProcess(bootstrap, FunctionProcess.LambdaEnvironment(IamApi.RuntimeApi, Dynamo.Endpoint));
    }

    public async ValueTask DisposeAsync()
    {
        JwtFunction?.Dispose();
        IamFunction?.Dispose();
        JwtApi?.Dispose();
        IamApi?.Dispose();
        if (Oidc is not null) await Oidc.DisposeAsync();
        if (Dynamo is not null) await Dynamo.DisposeAsync();
        http.Dispose();
    }

    public static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A policy item as <c>ccwb quota set</c> writes it.</summary>
    public Task PutPolicyAsync(string type, string identifier, long monthly, string mode = "block", long daily = 0, string dailyMode = "alert",
        decimal monthlyCost = 0, decimal dailyCost = 0, bool enabled = true, long warn80 = 0, long warn90 = 0)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S($"POLICY#{type}#{identifier}"), ["sk"] = S("CURRENT"), ["policy_type"] = S(type), ["identifier"] = S(identifier),
            ["monthly_token_limit"] = N(monthly), ["enforcement_mode"] = S(mode), ["daily_enforcement_mode"] = S(dailyMode),
            ["enabled"] = new AttributeValue { BOOL = enabled },
        };
        if (daily > 0) item["daily_token_limit"] = N(daily);
        if (monthlyCost > 0) item["monthly_cost_limit"] = N(monthlyCost);
        if (dailyCost > 0) item["daily_cost_limit"] = N(dailyCost);
        if (warn80 > 0) item["warning_threshold_80"] = N(warn80);
        if (warn90 > 0) item["warning_threshold_90"] = N(warn90);
        return Dynamo.PutAsync(DynamoDbPeer.PoliciesTable, item);
    }

    /// <summary>This month's usage item as the usage monitor writes it.</summary>
    public Task PutUsageAsync(string user, long total, long daily = 0, string? dailyDate = null, decimal cost = 0, decimal dailyCost = 0)
    {
        var now = DateTimeOffset.UtcNow;
        return Dynamo.PutAsync(DynamoDbPeer.QuotaTable, new()
        {
            ["pk"] = S("USER#" + user), ["sk"] = S("MONTH#" + Month(now)), ["email"] = S(user), ["total_tokens"] = N(total),
            ["daily_tokens"] = N(daily), ["daily_date"] = S(dailyDate ?? Day(now)), ["estimated_cost"] = N(cost), ["daily_cost_usd"] = N(dailyCost),
        });
    }

    /// <summary>An unblock as <c>ccwb quota unblock</c> writes it: expires_at, and the ttl DynamoDB deletes it by.</summary>
    public Task PutUnblockAsync(string user, DateTimeOffset expires, DateTimeOffset? ttl = null) =>
        Dynamo.PutAsync(DynamoDbPeer.QuotaTable, new()
        {
            ["pk"] = S("USER#" + user), ["sk"] = S("UNBLOCK#CURRENT"),
            ["expires_at"] = S(expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ["unblocked_by"] = S("admin@example.com"), ["ttl"] = N((ttl ?? expires).ToUnixTimeSeconds()),
        });

    /// <summary>An id token for a user from the OpenID provider (password grant), with a groups claim when given.</summary>
    public async Task<string> IdTokenAsync(string user, params string[] groups)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = user, ["password"] = "not-checked", ["client_id"] = ClientId, ["scope"] = "openid email",
        };
        if (groups.Length > 0) form["groups"] = string.Join(',', groups);
        using var response = await http.PostAsync(Oidc.BaseUrl + "/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id_token"]!.GetValue<string>();
    }

    /// <summary>The credential helper's own quota client, calling the JWT-authorized API with a bearer token.</summary>
    public static QuotaResult CheckWithBearer(string endpoint, string idToken) =>
        new QuotaClient(Transport(), endpoint, TimeSpan.FromSeconds(30)).CheckWithBearer(idToken);

    /// <summary>The credential helper's own quota client, calling the IAM-authorized API SigV4-signed.</summary>
    public QuotaResult CheckWithSigV4(string accessKey)
    {
        var credentials = new AwsCredentials(accessKey, IamCallers[accessKey].Secret, "session-token", DateTimeOffset.UtcNow.AddHours(1));
        return new QuotaClient(Transport(), IamApi.Endpoint, TimeSpan.FromSeconds(30)).CheckWithSigV4(credentials, Region, DateTimeOffset.UtcNow);
    }

    private static HttpTransport Transport() => new(new ProxySelector(_ => null), "ccwb-tests");

    private static AttributeValue S(string value) => new() { S = value };
    private static AttributeValue N(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
