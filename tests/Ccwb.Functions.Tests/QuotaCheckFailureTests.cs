using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Functions.Tests.Peers;
using Ccwb.Testing.Peers;

namespace Ccwb.Functions.Tests;

/// <summary>The check function's real bootstrap when things go wrong: no DynamoDB, events it cannot read, bad configuration.</summary>
public sealed class QuotaCheckFailureTests
{
    private static byte[] Event(string email) => Encoding.UTF8.GetBytes(ApiGatewayPeer.HttpApiEvent(null,
        new JsonObject { ["jwt"] = new JsonObject { ["claims"] = new JsonObject { ["email"] = email, ["sub"] = email }, ["scopes"] = null } }).ToJsonString());

    [Fact]
    public async Task DynamoDB_unreachable_answers_503_so_the_helpers_quota_fail_mode_decides_upstream_allowed_on_empty_reads()
    {
        using var api = new ApiGatewayPeer();
        var closedPort = $"http://127.0.0.1:{AwsPeer.FreePort()}";
        using var function = new FunctionProcess(QuotaCheckBootstrap.Path, FunctionProcess.LambdaEnvironment(api.RuntimeApi, closedPort, new QuotaTables("p", "u")));

        var first = await api.InvokeAsync(Event("someone@example.com"));
        var second = await api.InvokeAsync(Event("someone@example.com"));

        foreach (var outcome in (ApiGatewayPeer.Outcome[])[first, second])
        {
            Assert.False(outcome.IsError, outcome.Body);
            var response = JsonNode.Parse(outcome.Body)!;
            Assert.Equal(503, response["statusCode"]!.GetValue<int>());
            var body = JsonNode.Parse(response["body"]!.GetValue<string>())!;
            Assert.False(body["allowed"]!.GetValue<bool>());
            Assert.Equal("check_failed", body["reason"]!.GetValue<string>());
        }
        Assert.Contains("error: quota store: HttpRequestException: Connection refused", function.Errors);
        Assert.False(function.HasExited);
    }

    [Fact]
    public async Task DynamoDB_that_never_answers_gets_the_same_503_before_the_invocation_deadline()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel's backlog) and never answers
        var endpoint = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
        using var api = new ApiGatewayPeer { Timeout = TimeSpan.FromSeconds(3) };
        using var function = new FunctionProcess(QuotaCheckBootstrap.Path, FunctionProcess.LambdaEnvironment(api.RuntimeApi, endpoint, new QuotaTables("p", "u")));

        var outcome = await api.InvokeAsync(Event("someone@example.com"));

        Assert.False(outcome.IsError, outcome.Body);
        Assert.Equal(503, JsonNode.Parse(outcome.Body)!["statusCode"]!.GetValue<int>());
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(3), $"answered after {outcome.Elapsed}");
    }

    [Theory]
    [InlineData("not json at all", "the event is not JSON")]
    [InlineData("""{"version":"2.0"}""", "the event has no requestContext")]
    [InlineData("""["an","array"]""", "the event has no requestContext")]
    [InlineData("""{"version":"1.0","requestContext":{}}""", "payload format 1.0 is not 2.0")]
    public async Task Malformed_event_is_reported_to_Lambda_as_an_error_and_the_next_invocation_is_still_served(string payload, string message)
    {
        await using var dynamo = await DynamoPeer.StartAsync();
        var tables = await QuotaTables.CreateAsync(dynamo);
        using var api = new ApiGatewayPeer();
        using var function = new FunctionProcess(QuotaCheckBootstrap.Path, FunctionProcess.LambdaEnvironment(api.RuntimeApi, dynamo.Url, tables));

        var bad = await api.InvokeAsync(Encoding.UTF8.GetBytes(payload));
        var good = await api.InvokeAsync(Event("after-bad@example.com"));

        Assert.True(bad.IsError);
        Assert.Equal("MalformedEvent", bad.ErrorType);
        var error = JsonNode.Parse(bad.Body)!;
        Assert.Equal("MalformedEvent", error["errorType"]!.GetValue<string>());
        Assert.StartsWith(message, error["errorMessage"]!.GetValue<string>());
        Assert.False(good.IsError, good.Body);
        Assert.Contains("no_policy", good.Body);
    }

    [Fact]
    public async Task Event_without_an_authorizer_context_is_missing_identity_refused_unless_configured_to_allow()
    {
        await using var dynamo = await DynamoPeer.StartAsync();
        var tables = await QuotaTables.CreateAsync(dynamo);
        using var api = new ApiGatewayPeer();
        using var allowing = new ApiGatewayPeer();
        using var function = new FunctionProcess(QuotaCheckBootstrap.Path, FunctionProcess.LambdaEnvironment(api.RuntimeApi, dynamo.Url, tables));
        using var allowingFunction = new FunctionProcess(QuotaCheckBootstrap.Path,
            FunctionProcess.LambdaEnvironment(allowing.RuntimeApi, dynamo.Url, tables, ("MISSING_EMAIL_ENFORCEMENT", "allow")));
        var anonymous = Encoding.UTF8.GetBytes(ApiGatewayPeer.HttpApiEvent(null, new JsonObject()).ToJsonString());

        var refused = Body(await api.InvokeAsync(anonymous));
        var allowed = Body(await allowing.InvokeAsync(anonymous));

        Assert.Equal((false, "missing_identity"), (refused["allowed"]!.GetValue<bool>(), refused["reason"]!.GetValue<string>()));
        Assert.Equal((true, "missing_identity"), (allowed["allowed"]!.GetValue<bool>(), allowed["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_fine_grained_quotas_every_user_gets_the_stack_parameters_policy()
    {
        await using var dynamo = await DynamoPeer.StartAsync();
        var tables = await QuotaTables.CreateAsync(dynamo);
        using var api = new ApiGatewayPeer();
        using var function = new FunctionProcess(QuotaCheckBootstrap.Path, FunctionProcess.LambdaEnvironment(api.RuntimeApi, dynamo.Url, tables,
            ("ENABLE_FINEGRAINED_QUOTAS", "false"), ("MONTHLY_TOKEN_LIMIT", "1000"), ("MONTHLY_ENFORCEMENT_MODE", "block")));
        await tables.Store(dynamo).PutUsageAsync(new Ccwb.Quota.UsageRecord
        {
            User = "envuser@example.com", Period = Ccwb.Quota.UsagePeriod.Month, PeriodKey = Ccwb.Quota.UsageRecord.MonthKey(DateTimeOffset.UtcNow), OutputTokens = 1000,
        }, TestContext.Current.CancellationToken);

        var body = Body(await api.InvokeAsync(Event("envuser@example.com")));

        Assert.False(body["allowed"]!.GetValue<bool>());
        Assert.Equal("monthly_exceeded", body["reason"]!.GetValue<string>());
        Assert.Equal("environment", body["policy"]!["identifier"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failure_to_start_is_reported_as_an_init_error_and_the_process_exits_1()
    {
        using var api = new ApiGatewayPeer();
        var environment = FunctionProcess.LambdaEnvironment(api.RuntimeApi, "", new QuotaTables("p", "u"));
        environment.Remove("AWS_REGION");
        environment.Remove("AWS_DEFAULT_REGION");
        environment.Remove("AWS_ENDPOINT_URL_DYNAMODB");
        using var function = new FunctionProcess(QuotaCheckBootstrap.Path, environment);

        Assert.Equal(1, function.WaitForExit(TimeSpan.FromSeconds(30)));
        var initError = Assert.Single(api.InitErrors);
        Assert.Contains("errorMessage", initError);
        Assert.Contains("error: initialization:", function.Errors);
    }

    [Fact]
    public void Without_a_runtime_API_the_bootstrap_says_what_it_is_and_exits_1()
    {
        var result = Ccwb.Testing.Processes.Run.Tool(QuotaCheckBootstrap.Path, [], environment: Ccwb.Testing.Processes.Run.OnlyEnvironment(new Dictionary<string, string>()));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: AWS_LAMBDA_RUNTIME_API: not set; this program runs as an AWS Lambda function (custom runtime).\n", result.Error);
    }

    private static JsonNode Body(ApiGatewayPeer.Outcome outcome)
    {
        Assert.False(outcome.IsError, outcome.Body);
        return JsonNode.Parse(JsonNode.Parse(outcome.Body)!["body"]!.GetValue<string>())!;
    }
}
