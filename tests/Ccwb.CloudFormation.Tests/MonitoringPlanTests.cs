using System.Text.Json;
using Ccwb.CloudFormation.Planning;
using Ccwb.Profiles;
using Ccwb.Testing;

namespace Ccwb.CloudFormation.Tests;

/// <summary>The central monitoring stacks: which are planned, in what order, and with which parameters.</summary>
public sealed class MonitoringPlanTests
{
    private static Dictionary<string, JsonElement> Config(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    private const string ExistingVpcWithCertificate =
        """
        {"vpc_id": "vpc-0a1b2c3d4e5f60718", "subnet_ids": ["subnet-0a1b2c3d", "subnet-1a2b3c4d"], "alb_scheme": "internal",
         "custom_domain": "https://otel.example.com/", "certificate_arn": "arn:aws:acm:REGION:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"}
        """;

    /// <summary>An example profile switched to central monitoring with the given monitoring_config.</summary>
    private static DeploymentProfile Central(string example, string config = "{}")
    {
        var profile = Examples.Load(example);
        return profile with
        {
            MonitoringEnabled = true,
            MonitoringMode = "central",
            AnalyticsEnabled = true,
            MonitoringConfig = Config(config.Replace("REGION", profile.AwsRegion, StringComparison.Ordinal)),
        };
    }

    private static Dictionary<string, string> Parameters(DeployPlan plan, string kind) =>
        plan.Stacks.Single(s => s.Kind == kind).Parameters.ToDictionary(p => p.Key, p => p.Value);

    private static ProfileFindingsException Refused(DeploymentProfile profile) =>
        Assert.Throws<ProfileFindingsException>(() => DeployPlanner.Plan(profile));

    [Fact]
    public void Deploy_order_puts_network_before_collector_collector_before_dashboards_and_analytics_and_distribution_before_quota()
    {
        var order = DeployPlanner.Order.ToList();
        Assert.True(order.IndexOf("networking") < order.IndexOf("monitoring"));
        Assert.True(order.IndexOf("monitoring") < order.IndexOf("dashboard"));
        Assert.True(order.IndexOf("monitoring") < order.IndexOf("cowork-dashboard"));
        Assert.True(order.IndexOf("monitoring") < order.IndexOf("analytics"));
        Assert.True(order.IndexOf("distribution") < order.IndexOf("quota"));

        var plan = DeployPlanner.Plan(Central("okta-direct") with { EnableDistribution = true, DistributionType = "presigned-s3" });
        Assert.Equal(["auth", "networking", "monitoring", "dashboard", "cowork-dashboard", "analytics", "distribution"], plan.Stacks.Select(s => s.Kind));
        Assert.Equal("claude-code-auth-networking", Parameters(plan, "monitoring")["NetworkStackName"]);
        Assert.Equal(["otel_collector_endpoint"], plan.Stacks.Single(s => s.Kind == "monitoring").OutputsToProfile.Values);
    }

    [Fact]
    public void Sidecar_disabled_monitoring_and_disabled_analytics_plan_only_what_they_need()
    {
        Assert.DoesNotContain(DeployPlanner.Plan(Central("okta-direct") with { MonitoringMode = "sidecar" }).Stacks, s => s.Kind != "auth");
        Assert.DoesNotContain(DeployPlanner.Plan(Central("okta-direct") with { MonitoringEnabled = false }).Stacks, s => s.Kind != "auth");
        Assert.DoesNotContain(DeployPlanner.Plan(Central("okta-direct") with { AnalyticsEnabled = false }).Stacks, s => s.Kind == "analytics");
        // auth_type none has no auth stack but may still run a collector.
        Assert.Equal(["networking", "monitoring", "dashboard", "cowork-dashboard", "analytics"],
                     DeployPlanner.Plan(Central("none")).Stacks.Select(s => s.Kind));
    }

    [Fact]
    public void An_existing_vpc_replaces_the_network_stack_and_its_ids_go_to_the_collector()
    {
        var plan = DeployPlanner.Plan(Central("okta-direct", ExistingVpcWithCertificate));
        Assert.DoesNotContain(plan.Stacks, s => s.Kind == "networking");
        var collector = Parameters(plan, "monitoring");
        Assert.Equal("vpc-0a1b2c3d4e5f60718", collector["VpcId"]);
        Assert.Equal("subnet-0a1b2c3d,subnet-1a2b3c4d", collector["SubnetIds"]);
        Assert.Equal("internal", collector["AlbScheme"]);
        Assert.False(collector.ContainsKey("NetworkStackName"));
        // Upstream profiles may hold the domain as a URL; the template takes the host name.
        Assert.Equal("otel.example.com", collector["CustomDomainName"]);
    }

    [Fact]
    public void Create_vpc_false_without_a_vpc_is_refused_by_field_before_anything_is_written()
    {
        using var output = new TempDirectory();
        var profile = Central("okta-direct", """{"create_vpc": false}""");
        var refused = Assert.Throws<ProfileFindingsException>(() => CloudFormationArtifacts.Write(profile, output.Path));
        Assert.Contains(refused.Findings, f => f.Field == "monitoring_config.vpc_id" && f.Message.StartsWith("is required", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Theory]
    [InlineData("""{"vpc_cidr": "10.1.0.0/16", "subnet1_cidr": "10.2.1.0/24"}""", "monitoring_config.subnet1_cidr", "is not inside the VPC's 10.1.0.0/16")]
    [InlineData("""{"subnet1_cidr": "10.0.1.0/24", "subnet2_cidr": "10.0.1.0/25"}""", "monitoring_config.subnet2_cidr", "overlaps subnet1_cidr")]
    [InlineData("""{"vpc_cidr": "10.0.0.1/16"}""", "monitoring_config.vpc_cidr", "is not an IPv4 CIDR block")]
    [InlineData("""{"vpc_cidr": "fd00::/48"}""", "monitoring_config.vpc_cidr", "is not an IPv4 CIDR block")]
    public void Network_cidrs_must_be_ipv4_blocks_with_both_subnets_inside_the_vpc_and_apart(string config, string field, string message)
    {
        var refused = Refused(Central("okta-direct", config));
        Assert.Contains(refused.Findings, f => f.Field == field && f.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Network_cidrs_default_to_upstreams_and_can_be_set()
    {
        Assert.Equal(new Dictionary<string, string> { ["VpcCidr"] = "10.0.0.0/16", ["PublicSubnet1Cidr"] = "10.0.1.0/24", ["PublicSubnet2Cidr"] = "10.0.2.0/24" },
                     Parameters(DeployPlanner.Plan(Central("okta-direct")), "networking"));
        Assert.Equal("172.20.8.0/22", Parameters(DeployPlanner.Plan(Central("okta-direct",
            """{"vpc_cidr": "172.20.0.0/16", "subnet1_cidr": "172.20.4.0/22", "subnet2_cidr": "172.20.8.0/22"}""")), "networking")["PublicSubnet2Cidr"]);
    }

    [Fact]
    public void A_certificate_from_another_region_is_refused()
    {
        var profile = Central("okta-direct", ExistingVpcWithCertificate.Replace("REGION", "eu-west-1", StringComparison.Ordinal));
        var refused = Refused(profile);
        Assert.Contains(refused.Findings, f => f.Field == "monitoring_config.certificate_arn" && f.Message.Contains("eu-west-1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("okta-direct", "https://example-corp.okta.com", "https://example-corp.okta.com/oauth2/v1/keys")]
    [InlineData("auth0", "https://example-corp.us.auth0.com/", "https://example-corp.us.auth0.com/.well-known/jwks.json")]
    [InlineData("entra-cognito", "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
                "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/discovery/v2.0/keys")]
    [InlineData("cognito-user-pool", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123/.well-known/jwks.json")]
    [InlineData("google", "https://accounts.google.com", "https://www.googleapis.com/oauth2/v3/certs")]
    [InlineData("generic-oidc", "https://sso.example.com", "https://sso.example.com/pf/JWKS")]
    public void With_https_the_collector_checks_the_id_token_of_each_provider_against_its_issuer_keys_and_client_id(string example, string issuer, string jwks)
    {
        var profile = Central(example, ExistingVpcWithCertificate);
        var collector = Parameters(DeployPlanner.Plan(profile), "monitoring");
        Assert.Equal(issuer, collector["OidcIssuerUrl"]);
        Assert.Equal(jwks, collector["OidcJwksEndpoint"]);
        Assert.Equal(profile.ClientId, collector["OidcAudience"]);
    }

    [Fact]
    public void Okta_custom_authorization_server_keys_are_under_its_own_path()
    {
        var collector = Parameters(DeployPlanner.Plan(Central("okta-direct", ExistingVpcWithCertificate) with { OktaAuthServer = "default" }), "monitoring");
        Assert.Equal("https://example-corp.okta.com/oauth2/default", collector["OidcIssuerUrl"]);
        Assert.Equal("https://example-corp.okta.com/oauth2/default/v1/keys", collector["OidcJwksEndpoint"]);
    }

    [Fact]
    public void A_generic_provider_without_a_jwks_uri_is_refused_when_tokens_would_be_checked()
    {
        var refused = Refused(Central("generic-oidc", ExistingVpcWithCertificate) with { OidcJwksUri = null });
        Assert.Single(refused.Findings, f => f.Field == "oidc_jwks_uri");
    }

    [Fact]
    public void Without_https_or_without_an_oidc_sign_in_no_token_check_and_no_desktop_token_are_configured()
    {
        var http = Parameters(DeployPlanner.Plan(Central("okta-direct")), "monitoring");
        Assert.DoesNotContain(http.Keys, k => k.StartsWith("Oidc", StringComparison.Ordinal) || k == "CoworkServiceToken");
        var idc = Parameters(DeployPlanner.Plan(Central("idc", ExistingVpcWithCertificate)), "monitoring");
        Assert.DoesNotContain(idc.Keys, k => k.StartsWith("Oidc", StringComparison.Ordinal) || k == "CoworkServiceToken");

        var https = Parameters(DeployPlanner.Plan(Central("okta-direct", ExistingVpcWithCertificate)), "monitoring");
        Assert.Equal("3f2b8c1e-5d4a-4f6b-9c7d-0e1f2a3b4c5d", https["CoworkServiceToken"]);
        var noDesktop = Parameters(DeployPlanner.Plan(Central("okta-direct", ExistingVpcWithCertificate) with { Cowork3pEnabled = false }), "monitoring");
        Assert.False(noDesktop.ContainsKey("CoworkServiceToken"));
    }

    [Fact]
    public void The_parameter_file_holding_the_desktop_token_is_readable_by_its_owner_only()
    {
        using var output = new TempDirectory();
        var plan = DeployPlanner.Plan(Central("okta-direct", ExistingVpcWithCertificate));
        PlanArtifacts.WriteTo(plan, output.Path);
        Assert.Equal(["parameters/claude-code-auth-monitoring.json"], PlanArtifacts.SecretParameterFiles(plan));
        var file = output.Combine("parameters", "claude-code-auth-monitoring.json");
        Assert.Contains("3f2b8c1e-5d4a-4f6b-9c7d-0e1f2a3b4c5d", File.ReadAllText(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.NotEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output.Combine("parameters", "claude-code-auth-dashboard.json")));
        }
        // The commands name the file, never the value.
        Assert.DoesNotContain("3f2b8c1e", File.ReadAllText(output.Combine(PlanArtifacts.DeployCommandsFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void Analytics_reads_the_collectors_metrics_log_group_into_a_database_named_for_athena()
    {
        var plan = DeployPlanner.Plan(Central("okta-direct") with
        {
            IdentityPoolName = "Acme-Dev",
            StackNames = new Dictionary<string, string>(),
            MetricsLogGroup = "/acme/claude/metrics",
            DataRetentionDays = 30,
            FirehoseBufferInterval = 60,
            AnalyticsDebugMode = true,
        });
        var analytics = Parameters(plan, "analytics");
        Assert.Equal("acme_dev_analytics", analytics["DatabaseName"]);
        Assert.Equal("/acme/claude/metrics", analytics["MetricsLogGroupName"]);
        Assert.Equal("/acme/claude/metrics", Parameters(plan, "monitoring")["MetricsLogGroupName"]);
        Assert.Equal("/acme/claude/metrics", Parameters(plan, "dashboard")["MetricsLogGroupName"]);
        Assert.Equal(Parameters(plan, "monitoring")["EventsLogGroupName"], Parameters(plan, "cowork-dashboard")["EventsLogGroupName"]);
        Assert.Equal(("30", "60", "true"), (analytics["DataRetentionDays"], analytics["FirehoseBufferInterval"], analytics["DebugMode"]));
    }

    [Fact]
    public void Two_profiles_in_one_account_and_region_get_their_own_events_log_group_that_collector_and_cowork_dashboard_agree_on()
    {
        var dev = DeployPlanner.Plan(Central("okta-direct") with { IdentityPoolName = "acme-dev", StackNames = new Dictionary<string, string>() });
        var prod = DeployPlanner.Plan(Central("okta-direct") with { IdentityPoolName = "acme-prod", StackNames = new Dictionary<string, string>() });
        Assert.Equal(dev.Stacks[0].Region, prod.Stacks[0].Region);
        Assert.Equal("/aws/claude-cowork/acme-dev-monitoring/events", Parameters(dev, "monitoring")["EventsLogGroupName"]);
        Assert.Equal("/aws/claude-cowork/acme-prod-monitoring/events", Parameters(prod, "monitoring")["EventsLogGroupName"]);

        // A renamed collector stack names its group too; the dashboard follows it.
        var renamed = DeployPlanner.Plan(Central("okta-direct") with { StackNames = new Dictionary<string, string> { ["monitoring"] = "team-a-otel" } });
        Assert.Equal("/aws/claude-cowork/team-a-otel/events", Parameters(renamed, "monitoring")["EventsLogGroupName"]);

        foreach (var plan in new[] { dev, prod, renamed })
        {
            // The group the collector stack creates is the one every Cowork metric filter reads.
            var collector = plan.Stacks.Single(s => s.Kind == "monitoring");
            var dashboard = plan.Stacks.Single(s => s.Kind == "cowork-dashboard");
            var network = Parameters(plan, "monitoring")["NetworkStackName"];
            var networkExports = new Dictionary<string, string> { [$"{network}-VpcId"] = "vpc-0a1b2c3d", [$"{network}-SubnetIds"] = "subnet-0a1b2c3d,subnet-1a2b3c4d" };
            var created = new Iam.TemplateResolver(Templates.TemplateLibrary.Get(collector.TemplateFile).Document, Parameters(plan, "monitoring"),
                                                   collector.Region, collector.StackName, networkExports)
                .Resource("EventsLogGroup")["Properties"]!["LogGroupName"]!.GetValue<string>();
            var read = new Iam.TemplateResolver(Templates.TemplateLibrary.Get(dashboard.TemplateFile).Document, Parameters(plan, "cowork-dashboard"),
                                                dashboard.Region, dashboard.StackName)
                .Resources().Values.Where(r => r["Type"]!.GetValue<string>() == "AWS::Logs::MetricFilter")
                .Select(f => f["Properties"]!["LogGroupName"]!.GetValue<string>()).Distinct();
            Assert.Equal([created], read);
        }
    }

        [Fact]
    public void A_buffer_interval_firehose_refuses_is_reported_by_its_profile_field()
    {
        var refused = Refused(Central("okta-direct") with { FirehoseBufferInterval = 30 });
        Assert.Contains(refused.Findings, f => f.Field == "firehose_buffer_interval" && f.Message.Contains("FirehoseBufferInterval", StringComparison.Ordinal));
    }

    private static (string Name, DeploymentProfile Profile)[] Variants() =>
    [
        ("https-existing-vpc", Central("okta-direct", ExistingVpcWithCertificate)),
        ("https-own-zone-entra", Central("entra-cognito", """{"custom_domain": "telemetry.example.eu", "hosted_zone_id": "Z0123456789ABCDEFGHIJ"}""")),
        ("new-vpc-no-analytics", Central("auth0") with { AnalyticsEnabled = false }),
    ];

    [Fact]
    public void Variant_parameter_files_pass_cfn_lint_with_their_templates_and_regions()
    {
        using var output = new TempDirectory();
        var bound = new List<(string Template, string Region, string File)>();
        foreach (var (name, profile) in Variants())
        {
            var plan = DeployPlanner.Plan(profile);
            PlanArtifacts.WriteTo(plan, output.Combine(name));
            bound.AddRange(plan.Stacks.Where(s => s.Kind != "auth").Select(s => (s.TemplateFile, s.Region, output.Combine(name, s.ParameterFile))));
        }
        foreach (var group in bound.GroupBy(b => b.Template))
        {
            var findings = CfnLint.Run([Repo.PathOf("deployment", "cloudformation", group.Key)], [.. group.Select(b => b.Region).Distinct()],
                                       [.. group.Select(b => b.File)]);
            Assert.True(findings.Count == 0, $"{group.Key}:\n" + string.Join('\n', findings));
        }
    }

    [Fact]
    public void Variant_parameter_files_https_existing_vpc_and_analytics_off()
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, profile) in Variants())
            foreach (var (path, content) in PlanArtifacts.Render(DeployPlanner.Plan(profile)).Where(f => f.Path.StartsWith("parameters/", StringComparison.Ordinal)))
                text.Append("=== ").Append(name).Append(": ").Append(path).Append('\n').Append(content);
        Snapshot.Verify(text.ToString(), "txt");
    }
}
