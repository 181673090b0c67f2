using System.Text.Json.Nodes;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Storage;
using Ccwb.Functions.Tests.Peers;
using Ccwb.Http;
using Ccwb.Quota;
using Ccwb.Testing.Peers;

namespace Ccwb.Functions.Tests;

/// <summary>
/// The quota service as deployed, on 127.0.0.1: DynamoDB (dynalite) with the tables made from quota-service.yaml, the
/// npm OpenID provider, and two HTTP APIs in front of the check function's real bootstrap — one with the JWT
/// authorizer (OIDC deployments), one with IAM authorization (IAM Identity Center and passthrough deployments).
/// Policies, usage and unblocks are written with the same store <c>ccwb quota</c> and the usage monitor use.
/// </summary>
public sealed class QuotaServiceFixture : IAsyncLifetime
{
    public const string ClientId = "quota-check-client";
    public const string Region = "us-east-1";

    /// <summary>IAM callers by access key: their secret and the role session ARN API Gateway reports.</summary>
    public static readonly Dictionary<string, (string Secret, string UserArn)> IamCallers = new()
    {
        ["ASIAIDCALICE"] = ("idc-alice-secret", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ClaudeCodeUsers_0123456789abcdef/IAM-Alice@example.com"),
        ["ASIAIDCNOEMAIL"] = ("idc-plain-secret", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ClaudeCodeUsers_0123456789abcdef/carol.plain"),
        ["ASIAOTHERROLE"] = ("other-role-secret", "arn:aws:sts::123456789012:assumed-role/SomeServiceRole/i-0abc123"),
    };

    public DynamoPeer Dynamo { get; private set; } = null!;
    public QuotaTables Tables { get; private set; } = null!;
    public QuotaStore Store { get; private set; } = null!;
    public OidcPeer Oidc { get; private set; } = null!;
    public ApiGatewayPeer JwtApi { get; private set; } = null!;
    public ApiGatewayPeer IamApi { get; private set; } = null!;
    public FunctionProcess JwtFunction { get; private set; } = null!;
    public FunctionProcess IamFunction { get; private set; } = null!;
    private readonly HttpClient http = new();

    public async ValueTask InitializeAsync()
    {
        var bootstrap = QuotaCheckBootstrap.Path;
        Dynamo = await DynamoPeer.StartAsync();
        Tables = await QuotaTables.CreateAsync(Dynamo);
        Store = Tables.Store(Dynamo);
        Oidc = await OidcPeer.StartAsync("quota-claims");
        JwtApi = new ApiGatewayPeer { Jwt = (Oidc.Issuer, ClientId) };
        IamApi = new ApiGatewayPeer { Iam = (Region, key => IamCallers.TryGetValue(key, out var c) ? c : null) };
        JwtFunction = new FunctionProcess(bootstrap, FunctionProcess.LambdaEnvironment(JwtApi.RuntimeApi, Dynamo.Url, Tables));
        IamFunction = new FunctionProcess(bootstrap, FunctionProcess.LambdaEnvironment(IamApi.RuntimeApi, Dynamo.Url, Tables));
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

    public Task PutPolicyAsync(PolicyType type, string identifier, long monthly, EnforcementMode mode = EnforcementMode.Block, long daily = 0,
        EnforcementMode dailyMode = EnforcementMode.Alert, decimal monthlyCost = 0, decimal dailyCost = 0, bool enabled = true, int warnPercent = 80) =>
        Store.PutPolicyAsync(new Ccwb.Quota.QuotaPolicy
        {
            Type = type, Identifier = identifier, MonthlyTokenLimit = monthly, DailyTokenLimit = daily, MonthlyCostLimitUsd = monthlyCost,
            DailyCostLimitUsd = dailyCost, MonthlyEnforcement = mode, DailyEnforcement = dailyMode, Enabled = enabled, WarnThresholdPercent = warnPercent,
        });

    /// <summary>This month's and (when given) a day's usage, as the usage monitor writes them.</summary>
    public async Task PutUsageAsync(string user, long monthTokens, long dayTokens = 0, DateTimeOffset? day = null, decimal monthCost = 0, decimal dayCost = 0)
    {
        var now = DateTimeOffset.UtcNow;
        await Store.PutUsageAsync(new UsageRecord
        {
            User = user, Period = UsagePeriod.Month, PeriodKey = UsageRecord.MonthKey(now), InputTokens = monthTokens, CostUsd = monthCost,
        });
        if (dayTokens > 0 || dayCost > 0)
            await Store.PutUsageAsync(new UsageRecord
            {
                User = user, Period = UsagePeriod.Day, PeriodKey = UsageRecord.DayKey(day ?? now), InputTokens = dayTokens, CostUsd = dayCost,
            });
    }

    public Task PutUnblockAsync(string user, DateTimeOffset expires) =>
        Store.PutUnblockAsync(new UnblockRecord { User = user, ExpiresAt = expires, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "admin@example.com" });

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
}
