using System.Globalization;
using System.Net;
using Ccwb.CloudFormation.Templates;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>
/// The central monitoring stacks: network, collector, the two dashboards and analytics. They exist only in central mode
/// (in sidecar mode nothing runs server-side for the dashboards to read). Stacks find each other through their
/// CloudFormation exports and the log-group names the planner gives both sides, never through values read at run time.
/// </summary>
internal static class MonitoringStacks
{
    /// <summary>
    /// Log group of OpenTelemetry log events: written by the collector, read by the Cowork dashboard. Named after the
    /// collector's stack, which is unique in an account and region, so two profiles there each get their own group (a
    /// fixed name made the second collector stack fail with AlreadyExists).
    /// </summary>
    public static string EventsLogGroup(DeploymentProfile profile, InputErrors errors) =>
        $"/aws/claude-cowork/{StackNaming.NameFor(profile, "monitoring", errors)}/events";

    private const string DefaultVpcCidr = "10.0.0.0/16";
    private const string DefaultSubnet1Cidr = "10.0.1.0/24";
    private const string DefaultSubnet2Cidr = "10.0.2.0/24";

    private static bool Central(DeploymentProfile p) => p.MonitoringEnabled && p.MonitoringMode == "central";

    public static PlannedStack? Networking(DeploymentProfile profile, InputErrors errors)
    {
        if (!Central(profile) || profile.Collector.UsesExistingVpc) return null;
        var c = profile.Collector;
        var vpc = Cidr("monitoring_config.vpc_cidr", c.VpcCidr ?? DefaultVpcCidr, errors);
        var subnet1 = Cidr("monitoring_config.subnet1_cidr", c.Subnet1Cidr ?? DefaultSubnet1Cidr, errors);
        var subnet2 = Cidr("monitoring_config.subnet2_cidr", c.Subnet2Cidr ?? DefaultSubnet2Cidr, errors);
        if (vpc is { } v && subnet1 is { } s1 && subnet2 is { } s2)
        {
            if (!Within(s1, v)) errors.Add("monitoring_config.subnet1_cidr", $"{s1} is not inside the VPC's {v}");
            if (!Within(s2, v)) errors.Add("monitoring_config.subnet2_cidr", $"{s2} is not inside the VPC's {v}");
            else if (Within(s1, s2) || Within(s2, s1)) errors.Add("monitoring_config.subnet2_cidr", $"{s2} overlaps subnet1_cidr {s1}");
        }
        return DeployPlanner.Stack("networking", profile, TemplateLibrary.Networking,
        [
            new("VpcCidr", c.VpcCidr ?? DefaultVpcCidr, "monitoring_config.vpc_cidr"),
            new("PublicSubnet1Cidr", c.Subnet1Cidr ?? DefaultSubnet1Cidr, "monitoring_config.subnet1_cidr"),
            new("PublicSubnet2Cidr", c.Subnet2Cidr ?? DefaultSubnet2Cidr, "monitoring_config.subnet2_cidr"),
        ], new Dictionary<string, string>(), errors);
    }

    public static PlannedStack? Collector(DeploymentProfile profile, InputErrors errors)
    {
        if (!Central(profile)) return null;
        var c = profile.Collector;
        var parameters = new List<StackParameter>();
        if (c.UsesExistingVpc)
        {
            // The profile rules check the id shapes and the subnet count; create_vpc false without a VPC is reported there.
            if (c.VpcId is { } vpcId) parameters.Add(new("VpcId", vpcId, "monitoring_config.vpc_id"));
            if (c.SubnetIds.Count > 0) parameters.Add(new("SubnetIds", string.Join(',', c.SubnetIds), "monitoring_config.subnet_ids"));
        }
        else
        {
            parameters.Add(new("NetworkStackName", StackNaming.NameFor(profile, "networking", errors), "stack_names.networking"));
        }
        if (c.AlbScheme is { } scheme) parameters.Add(new("AlbScheme", scheme, "monitoring_config.alb_scheme"));
        if (c.CustomDomain is { } domain)
        {
            parameters.Add(new("CustomDomainName", HostOf(domain), "monitoring_config.custom_domain"));
            if (c.HostedZoneId is { } zone) parameters.Add(new("HostedZoneId", zone, "monitoring_config.hosted_zone_id"));
        }
        if (c.CertificateArn is { } certificate)
        {
            CheckCertificateRegion(certificate, profile.AwsRegion, errors);
            parameters.Add(new("CertificateArn", certificate, "monitoring_config.certificate_arn"));
        }
        // Only an OIDC sign-in gives users an id token for the otel-helper to send, and the load balancer checks
        // tokens only over HTTPS.
        if (c.HasHttps && profile.EffectiveAuthType == "oidc" && IdentityProviders.Resolve(profile, errors) is { } provider)
        {
            if (provider.JwksUrl.Length == 0)
                errors.Add("oidc_jwks_uri", "is required for HTTPS telemetry with a generic OIDC provider: the collector's load " +
                                            "balancer verifies users' id tokens with the keys published there");
            parameters.Add(new("OidcIssuerUrl", provider.IssuerUrl, DeployPlanner.IssuerField(profile)));
            parameters.Add(new("OidcJwksEndpoint", provider.JwksUrl, profile.ProviderType == "generic" ? "oidc_jwks_uri" : DeployPlanner.IssuerField(profile)));
            parameters.Add(new("OidcAudience", provider.ClientId, "client_id"));
            if (profile.Cowork3pEnabled && profile.CoworkServiceToken.Length > 0)
                parameters.Add(new("CoworkServiceToken", profile.CoworkServiceToken, "cowork_service_token"));
        }
        parameters.Add(new("MetricsLogGroupName", profile.MetricsLogGroup, "metrics_log_group"));
        parameters.Add(new("EventsLogGroupName", EventsLogGroup(profile, errors), "stack_names.monitoring"));
        return DeployPlanner.Stack("monitoring", profile, TemplateLibrary.OtelCollector, parameters,
                                   new Dictionary<string, string> { ["CollectorEndpoint"] = "otel_collector_endpoint" }, errors);
    }

    public static PlannedStack? ClaudeCodeDashboard(DeploymentProfile profile, InputErrors errors) =>
        Central(profile)
            ? DeployPlanner.Stack("dashboard", profile, TemplateLibrary.ClaudeCodeDashboard,
                                  [new("MetricsLogGroupName", profile.MetricsLogGroup, "metrics_log_group")], new Dictionary<string, string>(), errors)
            : null;

    public static PlannedStack? CoworkDashboard(DeploymentProfile profile, InputErrors errors) =>
        Central(profile)
            ? DeployPlanner.Stack("cowork-dashboard", profile, TemplateLibrary.CoworkDashboard,
                                  [new("EventsLogGroupName", EventsLogGroup(profile, errors), "stack_names.monitoring")], new Dictionary<string, string>(), errors)
            : null;

    public static PlannedStack? Analytics(DeploymentProfile profile, InputErrors errors)
    {
        if (!Central(profile) || !profile.AnalyticsEnabled) return null;
        return DeployPlanner.Stack("analytics", profile, TemplateLibrary.AnalyticsPipeline,
        [
            new("MetricsLogGroupName", profile.MetricsLogGroup, "metrics_log_group"),
            new("DatabaseName", DatabaseName(profile.IdentityPoolName), "identity_pool_name"),
            new("DataRetentionDays", profile.DataRetentionDays.ToString(CultureInfo.InvariantCulture), "data_retention_days"),
            new("FirehoseBufferInterval", profile.FirehoseBufferInterval.ToString(CultureInfo.InvariantCulture), "firehose_buffer_interval"),
            new("DebugMode", DeployPlanner.Bool(profile.AnalyticsDebugMode), "analytics_debug_mode"),
        ], new Dictionary<string, string>(), errors);
    }

    /// <summary>Glue database <c>{base}_analytics</c>: Athena wants lowercase names without hyphens.</summary>
    internal static string DatabaseName(string baseName) =>
        baseName.ToLowerInvariant().Replace('-', '_') + "_analytics";

    /// <summary>The host name alone: upstream profiles may hold the domain with a scheme or a trailing slash.</summary>
    internal static string HostOf(string domain)
    {
        var host = domain.Trim();
        foreach (var scheme in (string[])["https://", "http://"])
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) host = host[scheme.Length..];
        return host.TrimEnd('/').ToLowerInvariant();
    }

    // A load balancer can only use a certificate from its own region.
    private static void CheckCertificateRegion(string arn, string region, InputErrors errors)
    {
        var parts = arn.Split(':');
        if (parts.Length >= 6 && parts[2] == "acm" && parts[3].Length > 0 && parts[3] != region)
            errors.Add("monitoring_config.certificate_arn", $"the certificate is in {parts[3]}; the collector's load balancer in {region} " +
                                                            "needs one issued in its own region");
    }

    private static IPNetwork? Cidr(string field, string value, InputErrors errors)
    {
        // The text must name the block itself: 10.0.0.1/16 is refused, as EC2 refuses it.
        if (IPNetwork.TryParse(value, out var network) && network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork &&
            value.Split('/')[0] == network.BaseAddress.ToString() && HostBitsZero(network))
            return network;
        errors.Add(field, $"'{value}' is not an IPv4 CIDR block with its host bits zero (e.g. 10.0.1.0/24)");
        return null;
    }

    private static bool HostBitsZero(IPNetwork network)
    {
        var address = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(network.BaseAddress.GetAddressBytes());
        var hostMask = network.PrefixLength == 0 ? uint.MaxValue : (1u << (32 - network.PrefixLength)) - 1;
        return (address & hostMask) == 0;
    }

    private static bool Within(IPNetwork inner, IPNetwork outer) =>
        inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);
}
