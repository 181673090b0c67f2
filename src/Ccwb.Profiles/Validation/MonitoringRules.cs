namespace Ccwb.Profiles.Validation;

/// <summary>Telemetry and analytics.</summary>
internal static class MonitoringRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        r.OneOf("monitoring_mode", p.MonitoringMode, "central", "sidecar");

        if (p.MonitoringEnabled && p.MonitoringMode == "central" && string.IsNullOrWhiteSpace(p.OtelCollectorEndpoint) &&
            !p.CoworkConfigDelivery.StartsWith("bootstrap-", StringComparison.Ordinal))
            r.Warning("otel_collector_endpoint",
                "Monitoring enabled but no otel_collector_endpoint configured (and not using bootstrap server). Run 'ccwb deploy monitoring' first.");

        if (!string.IsNullOrWhiteSpace(p.OtelCollectorEndpoint) && !Urls.IsHttpOrHttps(p.OtelCollectorEndpoint))
            r.Error("otel_collector_endpoint", $"must be an http(s) URL, got '{p.OtelCollectorEndpoint}'");

        CheckCollectorNetwork(p.Collector, r);
        if (r.Purpose == ValidationPurpose.Deploy && p.MonitoringEnabled) CheckDeployable(p, r);

        if (p.DataRetentionDays <= 0) r.Error("data_retention_days", "data_retention_days must be a positive integer");
        else if (p.DataRetentionDays > 365) r.Warning("data_retention_days", $"{p.DataRetentionDays} days is more than a year of analytics data");
    }

    // What the monitoring stacks need from the profile, and what they cannot do.
    private static void CheckDeployable(DeploymentProfile p, ValidationReport r)
    {
        if (p.MonitoringMode == "sidecar")
        {
            r.Warning("monitoring_mode", "'sidecar' deploys no monitoring stacks: the dashboards and analytics read what the " +
                                         "central collector writes; use 'central' to deploy them");
            return;
        }
        var collector = p.Collector;
        if (collector.CreateVpc == false && collector.VpcId is null)
            r.Need("monitoring_config.vpc_id", "create_vpc is false, so the collector needs an existing VPC and its subnet_ids");
        if (!collector.HasHttps)
            r.Warning("monitoring_config.certificate_arn",
                "the collector listens on plain HTTP and cannot check users' id tokens: set certificate_arn, or custom_domain " +
                "with hosted_zone_id, for HTTPS");
    }

    // monitoring_config holds the central collector's network: an existing VPC with subnets in two zones, its load
    // balancer exposure and an optional HTTPS domain. Upstream only checked these in the wizard.
    private static void CheckCollectorNetwork(CollectorSettings c, ValidationReport r)
    {
        if (c.VpcId is { } vpcId)
        {
            if (!vpcId.StartsWith("vpc-", StringComparison.Ordinal))
                r.Error("monitoring_config.vpc_id", $"Invalid VPC ID format: {vpcId}");
            if (c.SubnetIds.Count < 2)
                r.Error("monitoring_config.subnet_ids", "Please select at least 2 subnets (in different availability zones)");
            foreach (var subnet in c.SubnetIds.Where(s => !s.StartsWith("subnet-", StringComparison.Ordinal)))
                r.Error("monitoring_config.subnet_ids", $"Invalid subnet ID format: {subnet}");
        }
        if (c.AlbScheme is { } scheme && scheme is not ("internet-facing" or "internal"))
            r.Error("monitoring_config.alb_scheme", $"Invalid alb_scheme: {scheme}. Must be 'internet-facing' or 'internal'");
        if (c.CustomDomain is { } domain && (!domain.Contains('.', StringComparison.Ordinal) || !Urls.IsDomain(domain)))
            r.Error("monitoring_config.custom_domain", $"Invalid custom domain: {domain}");
    }
}
