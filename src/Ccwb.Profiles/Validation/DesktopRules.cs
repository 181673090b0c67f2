using Ccwb.Bedrock;

namespace Ccwb.Profiles.Validation;

/// <summary>Claude Desktop (Cowork third-party mode), its MDM identity, and web search.</summary>
internal static class DesktopRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        // The hive is written only into the Windows formats; a JSON-only Cowork export does not ask about it.
        if (r.Purpose != ValidationPurpose.CoworkFiles || (r.CoworkFormats & (CoworkFormats.Reg | CoworkFormats.Admx | CoworkFormats.Ps1)) != 0)
            r.OneOf("cowork_registry_hive", p.CoworkRegistryHive?.ToUpperInvariant(), "HKCU", "HKLM"); // the writers accept any case
        r.OneOf("cowork_credential_mode", p.CoworkCredentialMode, "helper", "profile");
        r.OneOf("cowork_config_delivery", p.CoworkConfigDelivery, "static", "bootstrap-device-code", "bootstrap-oidc-bearer");

        // Upstream meant to check this but tested a field that does not exist; the bootstrap server authenticates OIDC users only.
        if (p.CoworkConfigDelivery.StartsWith("bootstrap-", StringComparison.Ordinal) && p.EffectiveAuthType != "oidc")
            r.Error("cowork_config_delivery", "Bootstrap server (dynamic config) is not supported with IDC or no authentication; use 'static'");

        if (p.CoworkCredentialHelperTtlSec <= 0)
            r.Error("cowork_credential_helper_ttl_sec", "must be a positive number of seconds");
        if (p.CoworkInferenceSessionLifetimeSec is <= 0)
            r.Error("cowork_inference_session_lifetime_sec", "must be a positive number of seconds");

        if (p.OrganizationIdentifier is { } id && !Patterns.ReverseDns().IsMatch(id))
            r.Error("organization_identifier", $"must be a reverse-DNS name such as com.example, got '{id}'");
        if (p.OrganizationName is { } org && string.IsNullOrWhiteSpace(org))
            r.Error("organization_name", "must not be blank when set");

        if (p.WebSearchEnabled)
        {
            if (AwsPartitions.ForRegion(p.AwsRegion) != AwsPartition.Commercial)
                r.Error("web_search_enabled", $"web search is only available in the commercial partition, not with aws_region {p.AwsRegion}");
            if (p.EffectiveAuthType != "oidc")
                r.Error("web_search_enabled", "web search requires OIDC authentication");
            if (!string.IsNullOrEmpty(p.WebsearchRegion) && p.WebsearchRegion != "us-east-1")
                r.Error("websearch_region", $"web search is only available in us-east-1, not {p.WebsearchRegion}");
        }
    }
}
