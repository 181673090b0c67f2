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

        if (p.DataRetentionDays <= 0) r.Error("data_retention_days", "data_retention_days must be a positive integer");
        else if (p.DataRetentionDays > 365) r.Warning("data_retention_days", $"{p.DataRetentionDays} days is more than a year of analytics data");
    }
}
