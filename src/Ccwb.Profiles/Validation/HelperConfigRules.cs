namespace Ccwb.Profiles.Validation;

/// <summary>What the credential helper's files (config.json, Claude Code settings, scripts) need from the profile.</summary>
internal static class HelperConfigRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        if (p.EffectiveAuthType == "idc")
        {
            if (Blank(p.IdcStartUrl)) r.Need("idc_start_url", "IAM Identity Center needs the start URL");
            if (Blank(p.IdcAccountId)) r.Need("idc_account_id", "IAM Identity Center needs the AWS account id");
        }
        else if (p.SsoEnabled)
        {
            if (Blank(p.ProviderDomain) && Blank(p.OidcIssuerUrl))
                r.Need("provider_domain", "OIDC sign-in needs the identity provider's domain (or oidc_issuer_url)");
            if (Blank(p.ClientId)) r.Need("client_id", "OIDC sign-in needs the application's client id");
            if (p.FederationType == "direct" && Blank(p.FederatedRoleArn))
                r.Need("federated_role_arn", "direct federation needs the role ARN (an output of the auth stack)");
            if (p.FederationType != "direct" && Blank(p.IdentityPoolId))
                r.Need("identity_pool_id", "Cognito federation needs the identity pool id (an output of the auth stack, region:uuid)");
        }
        if (p.MonitoringEnabled && p.MonitoringMode != "sidecar" && Blank(p.OtelCollectorEndpoint))
            r.Need("otel_collector_endpoint",
                "monitoring is enabled in central mode but no collector endpoint is set (deploy the monitoring stack first)");
        // The endpoint is an output of the quota stack; a package built before it is deployed can never check quotas, and
        // still works otherwise, so this warns rather than stops.
        if (p.QuotaMonitoringEnabled && Blank(p.QuotaApiEndpoint))
            r.Warning("quota_api_endpoint",
                "quota monitoring is enabled but the quota API endpoint is not set, so these packages cannot check quotas: " +
                "run 'ccwb deploy quota' (it saves the endpoint into the profile) and package again");
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}
