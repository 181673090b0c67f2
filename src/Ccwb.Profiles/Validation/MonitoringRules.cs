using System.Text.Json;

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

        CheckCollectorNetwork(p.MonitoringConfig, r);

        if (p.DataRetentionDays <= 0) r.Error("data_retention_days", "data_retention_days must be a positive integer");
        else if (p.DataRetentionDays > 365) r.Warning("data_retention_days", $"{p.DataRetentionDays} days is more than a year of analytics data");
    }

    // monitoring_config holds the central collector's network: an existing VPC with subnets in two zones, its load
    // balancer exposure and an optional HTTPS domain. Upstream only checked these in the wizard.
    private static void CheckCollectorNetwork(IReadOnlyDictionary<string, JsonElement> config, ValidationReport r)
    {
        if (Text(config, "vpc_id") is { } vpcId)
        {
            if (!vpcId.StartsWith("vpc-", StringComparison.Ordinal))
                r.Error("monitoring_config.vpc_id", $"Invalid VPC ID format: {vpcId}");
            var subnets = SubnetIds(config);
            if (subnets.Count < 2)
                r.Error("monitoring_config.subnet_ids", "Please select at least 2 subnets (in different availability zones)");
            foreach (var subnet in subnets.Where(s => !s.StartsWith("subnet-", StringComparison.Ordinal)))
                r.Error("monitoring_config.subnet_ids", $"Invalid subnet ID format: {subnet}");
        }
        if (Text(config, "alb_scheme") is { } scheme && scheme is not ("internet-facing" or "internal"))
            r.Error("monitoring_config.alb_scheme", $"Invalid alb_scheme: {scheme}. Must be 'internet-facing' or 'internal'");
        if (Text(config, "custom_domain") is { } domain && (!domain.Contains('.', StringComparison.Ordinal) || !Urls.IsDomain(domain)))
            r.Error("monitoring_config.custom_domain", $"Invalid custom domain: {domain}");
    }

    // A list, or the comma-separated text the wizard's manual entry accepts.
    private static List<string> SubnetIds(IReadOnlyDictionary<string, JsonElement> config)
    {
        if (!config.TryGetValue("subnet_ids", out var value)) return [];
        return value.ValueKind switch
        {
            JsonValueKind.Array => [.. value.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!.Trim())],
            JsonValueKind.String => [.. value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            _ => [],
        };
    }

    private static string? Text(IReadOnlyDictionary<string, JsonElement> config, string key) =>
        config.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
