using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Templates;
using Ccwb.CloudFormation.Tests.Iam;

namespace Ccwb.CloudFormation.Tests;

/// <summary>
/// What the monitoring templates create once CloudFormation has resolved them: the collector's listeners and token
/// check, its configuration, its permissions, and the dashboards' contents.
/// </summary>
public sealed class MonitoringTemplateTests
{
    private const string Region = "us-east-1";

    private static TemplateResolver Resolve(string template, Dictionary<string, string> parameters, IReadOnlyDictionary<string, string>? exports = null) =>
        new(TemplateLibrary.Get(template).Document, parameters, Region, "acme-monitoring", exports);

    private static readonly Dictionary<string, string> ExistingVpc = new()
    {
        ["VpcId"] = "vpc-0a1b2c3d",
        ["SubnetIds"] = "subnet-0a1b2c3d,subnet-1a2b3c4d",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Concat(b).ToDictionary(p => p.Key, p => p.Value);

    private static readonly Dictionary<string, string> HttpsWithTokens = With(ExistingVpc, new()
    {
        ["CertificateArn"] = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab",
        ["OidcIssuerUrl"] = "https://example-corp.okta.com",
        ["OidcJwksEndpoint"] = "https://example-corp.okta.com/oauth2/v1/keys",
        ["OidcAudience"] = "0oa1b2c3d4e5f6g7h8i9",
        ["CoworkServiceToken"] = "3f2b8c1e-5d4a-4f6b-9c7d-0e1f2a3b4c5d",
    });

    [Fact]
    public void With_a_certificate_only_https_listens_and_it_validates_the_bearer_before_forwarding()
    {
        var resources = Resolve(TemplateLibrary.OtelCollector, HttpsWithTokens).Resources();
        Assert.False(resources.ContainsKey("HttpListener"));
        var listener = resources["HttpsListener"]["Properties"]!;
        Assert.Equal("HTTPS", listener["Protocol"]!.GetValue<string>());
        var actions = listener["DefaultActions"]!.AsArray();
        Assert.Equal(["jwt-validation", "forward"], actions.Select(a => a!["Type"]!.GetValue<string>()));
        var jwt = actions[0]!["JwtValidationConfig"]!;
        Assert.Equal("https://example-corp.okta.com", jwt["Issuer"]!.GetValue<string>());
        Assert.Equal("https://example-corp.okta.com/oauth2/v1/keys", jwt["JwksEndpoint"]!.GetValue<string>());
        var aud = jwt["AdditionalClaims"]!.AsArray().Single()!;
        Assert.Equal(("aud", "single-string", "0oa1b2c3d4e5f6g7h8i9"),
                     (aud["Name"]!.GetValue<string>(), aud["Format"]!.GetValue<string>(), aud["Values"]!.AsArray().Single()!.GetValue<string>()));
        // Only the load balancer reaches the collector, only on 443 from users.
        var ingress = resources["LoadBalancerSecurityGroup"]["Properties"]!["SecurityGroupIngress"]!.AsArray();
        Assert.All(ingress, r => Assert.Equal(443, int.Parse(r!["FromPort"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)));
        // Claude Desktop's token opens only its own rule.
        var rule = resources["CoworkTokenRule"]["Properties"]!;
        Assert.Equal("1", rule["Priority"]!.ToString());
        Assert.Equal("X-Cowork-Token", rule["Conditions"]![0]!["HttpHeaderConfig"]!["HttpHeaderName"]!.GetValue<string>());
    }

    [Fact]
    public void Without_a_certificate_it_listens_on_plain_http_without_a_token_check()
    {
        var resources = Resolve(TemplateLibrary.OtelCollector, With(ExistingVpc, new() { ["OidcIssuerUrl"] = "https://example-corp.okta.com" })).Resources();
        Assert.False(resources.ContainsKey("HttpsListener"));
        Assert.False(resources.ContainsKey("CoworkTokenRule"));
        Assert.False(resources.ContainsKey("Certificate"));
        var actions = resources["HttpListener"]["Properties"]!["DefaultActions"]!.AsArray();
        Assert.Equal(["forward"], actions.Select(a => a!["Type"]!.GetValue<string>()));
    }

    [Fact]
    public void A_custom_domain_in_a_hosted_zone_gets_a_certificate_and_an_alias_record()
    {
        var resources = Resolve(TemplateLibrary.OtelCollector, With(ExistingVpc, new()
        {
            ["CustomDomainName"] = "otel.example.com",
            ["HostedZoneId"] = "Z0123456789ABC",
        })).Resources();
        Assert.Equal("otel.example.com", resources["Certificate"]["Properties"]!["DomainName"]!.GetValue<string>());
        Assert.Equal("Certificate-physical-id", resources["HttpsListener"]["Properties"]!["Certificates"]![0]!["CertificateArn"]!.GetValue<string>());
        Assert.Equal("otel.example.com", resources["DnsRecord"]["Properties"]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public void Without_an_existing_vpc_the_collector_uses_the_network_stacks_exports()
    {
        var exports = new Dictionary<string, string>
        {
            ["acme-networking-VpcId"] = "vpc-0fff0fff",
            ["acme-networking-SubnetIds"] = "subnet-0aaa0aaa,subnet-0bbb0bbb",
        };
        var resources = Resolve(TemplateLibrary.OtelCollector, new() { ["NetworkStackName"] = "acme-networking" }, exports).Resources();
        Assert.Equal("vpc-0fff0fff", resources["CollectorTargetGroup"]["Properties"]!["VpcId"]!.GetValue<string>());
        Assert.Equal(["subnet-0aaa0aaa", "subnet-0bbb0bbb"], resources["LoadBalancer"]["Properties"]!["Subnets"]!.AsArray().Select(s => s!.GetValue<string>()));

        // The networking template exports exactly those names.
        var network = TemplateLibrary.Get(TemplateLibrary.Networking).Document["Outputs"]!.AsObject();
        Assert.Equal("${AWS::StackName}-VpcId", network["VpcId"]!["Export"]!["Name"]!["Fn::Sub"]!.GetValue<string>());
        Assert.Equal("${AWS::StackName}-SubnetIds", network["SubnetIds"]!["Export"]!["Name"]!["Fn::Sub"]!.GetValue<string>());
    }

    // The components the AWS Distro for OpenTelemetry collector v0.49.0 registers (pkg/defaultcomponents/defaults.go)
    // that this configuration may use. It has no OIDC or bearer-token authenticator, which is why tokens are checked
    // by the load balancer.
    private static readonly string[] AdotReceivers = ["otlp"];
    private static readonly string[] AdotProcessors = ["attributes", "resource", "batch"];
    private static readonly string[] AdotExporters = ["awsemf", "awscloudwatchlogs", "otlphttp"];
    private static readonly string[] AdotExtensions = ["health_check", "sigv4auth"];

    private static JsonObject CollectorConfig(Dictionary<string, string> parameters, string region = Region)
    {
        var task = new TemplateResolver(TemplateLibrary.Get(TemplateLibrary.OtelCollector).Document, parameters, region, "acme-monitoring").Resource("TaskDefinition");
        var environment = task["Properties"]!["ContainerDefinitions"]![0]!["Environment"]!.AsArray();
        var config = environment.Single(e => e!["Name"]!.GetValue<string>() == "AOT_CONFIG_CONTENT")!["Value"]!.GetValue<string>();
        return CfnYaml.Parse(config);
    }

    [Fact]
    public void Collector_configuration_uses_only_components_adot_ships_and_exports_metrics_to_otlp_and_emf_and_events_as_logs()
    {
        var config = CollectorConfig(With(ExistingVpc, new() { ["MetricsLogGroupName"] = "/acme/metrics", ["EventsLogGroupName"] = "/acme/events" }));
        static IEnumerable<string> Types(JsonNode? section) => section!.AsObject().Select(c => c.Key.Split('/')[0]);
        Assert.All(Types(config["receivers"]), t => Assert.Contains(t, AdotReceivers));
        Assert.All(Types(config["processors"]), t => Assert.Contains(t, AdotProcessors));
        Assert.All(Types(config["exporters"]), t => Assert.Contains(t, AdotExporters));
        Assert.All(Types(config["extensions"]), t => Assert.Contains(t, AdotExtensions));

        Assert.Equal("true", config["receivers"]!["otlp"]!["protocols"]!["http"]!["include_metadata"]!.GetValue<string>());
        Assert.Equal("ClaudeCode", config["exporters"]!["awsemf"]!["namespace"]!.GetValue<string>());
        Assert.Equal("/acme/metrics", config["exporters"]!["awsemf"]!["log_group_name"]!.GetValue<string>());
        Assert.Equal("/acme/events", config["exporters"]!["awscloudwatchlogs/events"]!["log_group_name"]!.GetValue<string>());
        Assert.Equal(Region, config["exporters"]!["awsemf"]!["region"]!.GetValue<string>());
        var pipelines = config["service"]!["pipelines"]!;
        // PromQL (the usage monitor's query, the dashboards) reads only what arrives at CloudWatch's OTLP endpoint;
        // the analytics pipeline reads the EMF records. Both get every metric.
        Assert.Equal(["otlphttp/cloudwatch", "awsemf"], pipelines["metrics"]!["exporters"]!.AsArray().Select(e => e!.GetValue<string>()));
        var otlp = config["exporters"]!["otlphttp/cloudwatch"]!;
        Assert.Equal("https://monitoring.us-east-1.amazonaws.com/v1/metrics", otlp["metrics_endpoint"]!.GetValue<string>());
        Assert.Equal("sigv4auth", otlp["auth"]!["authenticator"]!.GetValue<string>());
        Assert.Equal((Region, "monitoring"), (config["extensions"]!["sigv4auth"]!["region"]!.GetValue<string>(), config["extensions"]!["sigv4auth"]!["service"]!.GetValue<string>()));
        Assert.Equal(["health_check", "sigv4auth"], config["service"]!["extensions"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["awscloudwatchlogs/events"], pipelines["logs"]!["exporters"]!.AsArray().Select(e => e!.GetValue<string>()));

        // Every header the otel-helper sends becomes an attribute.
        var mapped = config["processors"]!["attributes/user"]!["actions"]!.AsArray()
            .ToDictionary(a => a!["from_context"]!.GetValue<string>(), a => a!["key"]!.GetValue<string>());
        foreach (var (header, attribute) in new[] { ("x-user-email", "user.email"), ("x-user-id", "user.id"), ("x-department", "department"), ("x-team-id", "team.id"), ("x-cost-center", "cost_center") })
            Assert.Equal(attribute, mapped["metadata." + header]);
    }

    [Theory]
    [InlineData("cn-north-1", "https://monitoring.cn-north-1.amazonaws.com.cn/v1/metrics")]
    [InlineData("us-gov-west-1", "https://monitoring.us-gov-west-1.amazonaws.com/v1/metrics")]
    public void Collector_otlp_metrics_endpoint_is_the_partitions_cloudwatch_host(string region, string endpoint)
    {
        var config = CollectorConfig(ExistingVpc, region);
        Assert.Equal(endpoint, config["exporters"]!["otlphttp/cloudwatch"]!["metrics_endpoint"]!.GetValue<string>());
        Assert.Equal(region, config["extensions"]!["sigv4auth"]!["region"]!.GetValue<string>());
    }

    [Fact]
    public void Collector_task_role_may_only_write_the_two_log_groups_it_exports_to_and_put_metrics()
    {
        var resources = Resolve(TemplateLibrary.OtelCollector, With(ExistingVpc, new() { ["MetricsLogGroupName"] = "/acme/metrics", ["EventsLogGroupName"] = "/acme/events" })).Resources();
        var statements = resources["TaskRole"]["Properties"]!["Policies"]!.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).ToList();
        Assert.Equal(2, statements.Count);
        var logs = statements[0]!;
        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], logs["Action"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["arn:aws:logs:us-east-1:123456789012:log-group:MetricsLogGroup-physical-id:*", "arn:aws:logs:us-east-1:123456789012:log-group:EventsLogGroup-physical-id:*"],
                     logs["Resource"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("/acme/metrics", resources["MetricsLogGroup"]["Properties"]!["LogGroupName"]!.GetValue<string>());

        // CloudWatch's OTLP metrics endpoint authorises PutMetricData; the role may do that and nothing else beyond the logs.
        var role = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray([.. statements.Select(s => s!.DeepClone())]) };
        Assert.True(PolicyEvaluator.IsAllowed(role, new PolicyEvaluator.Request("cloudwatch:PutMetricData", "*", new Dictionary<string, string>())));
        Assert.False(PolicyEvaluator.IsAllowed(role, new PolicyEvaluator.Request("cloudwatch:DeleteAlarms", "*", new Dictionary<string, string>())));
        Assert.False(PolicyEvaluator.IsAllowed(role, new PolicyEvaluator.Request("logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:other:*", new Dictionary<string, string>())));
    }

    private static JsonObject DashboardBody(string template, Dictionary<string, string> parameters) =>
        JsonNode.Parse(Resolve(template, parameters).Resource("Dashboard")["Properties"]!["DashboardBody"]!.GetValue<string>())!.AsObject();

    private static List<string> Expressions(JsonObject body) =>
        [.. body["widgets"]!.AsArray().Where(w => w!["type"]!.GetValue<string>() == "metric")
            .SelectMany(w => w!["properties"]!["metrics"]!.AsArray()).Select(m => m![0]!["expression"]!.GetValue<string>())];

    [Fact]
    public void Claude_code_dashboard_is_valid_json_in_the_stacks_region_and_charts_every_claude_code_metric()
    {
        var body = DashboardBody(TemplateLibrary.ClaudeCodeDashboard, new() { ["MetricsLogGroupName"] = "/acme/metrics" });
        var widgets = body["widgets"]!.AsArray();
        var expressions = Expressions(body);
        foreach (var metric in (string[])["claude_code.token.usage", "claude_code.session.count", "claude_code.active_time.total", "claude_code.cost.usage",
                                          "claude_code.code_edit_tool.decision", "claude_code.lines_of_code.count", "claude_code.commit.count",
                                          "claude_code.pull_request.count"])
            Assert.Contains(expressions, e => e.Contains($"MetricName=\"{metric}\"", StringComparison.Ordinal));
        Assert.All(widgets.Where(w => w!["type"]!.GetValue<string>() is "metric" or "log"), w => Assert.Equal(Region, w!["properties"]!["region"]!.GetValue<string>()));
        Assert.All(widgets.Where(w => w!["type"]!.GetValue<string>() == "log"),
                   w => Assert.StartsWith("SOURCE '/acme/metrics' |", w!["properties"]!["query"]!.GetValue<string>(), StringComparison.Ordinal));
        // Dimension names with dots must be quoted in a SEARCH schema.
        Assert.Contains(expressions, e => e.Contains("{ClaudeCode,OTelLib,\"user.email\"}", StringComparison.Ordinal));
    }

    [Fact]
    public void Cowork_dashboard_charts_what_its_metric_filters_publish_from_the_collectors_events()
    {
        var resolver = Resolve(TemplateLibrary.CoworkDashboard, new() { ["EventsLogGroupName"] = "/acme/events" });
        var filters = resolver.Resources().Values.Where(r => r["Type"]!.GetValue<string>() == "AWS::Logs::MetricFilter").ToList();
        Assert.All(filters, f => Assert.Equal("/acme/events", f["Properties"]!["LogGroupName"]!.GetValue<string>()));
        var published = filters.Select(f => f["Properties"]!["MetricTransformations"]![0]!["MetricName"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["cost.usage", "session.turns", "token.usage.cache_creation", "token.usage.cache_read", "token.usage.input", "token.usage.output"], published.Order());

        var expressions = Expressions(DashboardBody(TemplateLibrary.CoworkDashboard, new() { ["EventsLogGroupName"] = "/acme/events" }));
        foreach (var metric in published) Assert.Contains(expressions, e => e.Contains($"{{ClaudeCoWork}} MetricName=\"{metric}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Analytics_reads_the_metrics_group_into_parquet_that_its_table_and_queries_describe()
    {
        var resources = Resolve(TemplateLibrary.AnalyticsPipeline, new() { ["DatabaseName"] = "acme_analytics", ["MetricsLogGroupName"] = "/acme/metrics" }).Resources();
        Assert.Equal("/acme/metrics", resources["MetricsSubscription"]["Properties"]!["LogGroupName"]!.GetValue<string>());
        var destination = resources["DeliveryStream"]["Properties"]!["ExtendedS3DestinationConfiguration"]!;
        Assert.True(destination["DataFormatConversionConfiguration"]!["OutputFormatConfiguration"]!["Serializer"]!["ParquetSerDe"] is not null);
        Assert.StartsWith("data/year=!{timestamp:yyyy}/month=", destination["Prefix"]!.GetValue<string>(), StringComparison.Ordinal);

        var table = resources["MetricsTable"]["Properties"]!["TableInput"]!;
        var columns = table["StorageDescriptor"]!["Columns"]!.AsArray().Select(c => c!["Name"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["year", "month", "day", "hour"], table["PartitionKeys"]!.AsArray().Select(c => c!["Name"]!.GetValue<string>()));
        // Every column a saved query names exists in the table (Firehose turns the record's dots into underscores).
        var queries = resources.Values.Where(r => r["Type"]!.GetValue<string>() == "AWS::Athena::NamedQuery").Select(q => q["Properties"]!["QueryString"]!.GetValue<string>()).ToList();
        Assert.True(queries.Count >= 8);
        foreach (var query in queries)
            foreach (var word in System.Text.RegularExpressions.Regex.Matches(query, @"\b(claude_code_[a-z_]+|user_email|team_id|cost_center|department|model|type|tool_name|language|decision)\b").Select(m => m.Value))
                Assert.Contains(word, columns);
    }
}
