using Ccwb.Contract.Config;
using Ccwb.Profiles.Validation;
using Ccwb.Profiles;
using Ccwb.Rendering.ClaudeCode;

namespace Ccwb.Rendering;

/// <summary>What each kind of output needs from the profile, checked before anything is rendered.</summary>
public static class RenderRequirements
{
    /// <summary>Problems that stop the Claude Code files (config.json, settings, installers).</summary>
    public static IEnumerable<ProfileMessage> ForClaudeCode(DeploymentProfile p)
    {
        foreach (var m in Common(p)) yield return m;
        if (ProfileFacts.IsIdc(p))
        {
            if (Blank(p.IdcStartUrl)) yield return Need("idc_start_url", "IAM Identity Center needs the start URL");
            if (Blank(p.IdcAccountId)) yield return Need("idc_account_id", "IAM Identity Center needs the AWS account id");
        }
        else if (p.SsoEnabled)
        {
            if (Blank(p.ProviderDomain) && Blank(p.OidcIssuerUrl))
                yield return Need("provider_domain", "OIDC sign-in needs the identity provider's domain (or oidc_issuer_url)");
            if (Blank(p.ClientId)) yield return Need("client_id", "OIDC sign-in needs the application's client id");
            if (p.FederationType == "direct" && Blank(p.FederatedRoleArn))
                yield return Need("federated_role_arn", "direct federation needs the role ARN (an output of the auth stack)");
            if (p.FederationType != "direct" && Blank(p.IdentityPoolId))
                yield return Need("identity_pool_id", "Cognito federation needs the identity pool id (an output of the auth stack, region:uuid)");
        }
        if (p.SettingsTarget is not ("user" or "managed"))
            yield return new ProfileMessage("settings_target", $"must be 'user' or 'managed', not '{p.SettingsTarget}'");
    }

    /// <summary>Problems that stop the Cowork files of the given formats.</summary>
    public static IEnumerable<ProfileMessage> ForCowork(DeploymentProfile p, CoworkFormats formats)
    {
        foreach (var m in Common(p)) yield return m;
        if (p.CoworkCredentialMode is not ("helper" or "profile"))
            yield return new ProfileMessage("cowork_credential_mode", $"must be 'helper' or 'profile', not '{p.CoworkCredentialMode}'");
        if (p.WebSearchEnabled && !ProfileFacts.IsIdc(p) && Blank(p.WebsearchGatewayUrl))
            yield return Need("websearch_gateway_url", "web search needs the gateway URL (an output of the websearch stack)");
        foreach (var (name, _) in p.Cowork3pExtraKeys)
            if (Blank(name)) yield return new ProfileMessage("cowork_3p_extra_keys", "a key name is empty");
        if (formats.HasFlag(CoworkFormats.Mobileconfig))
        {
            if (Blank(p.OrganizationIdentifier))
                yield return Need("organization_identifier", "the .mobileconfig needs a reverse-DNS identifier such as com.example");
            else if (!Patterns.ReverseDns().IsMatch(p.OrganizationIdentifier!))
                yield return new ProfileMessage("organization_identifier",
                    $"must be reverse DNS such as com.example (letters, digits and hyphens between dots), not '{p.OrganizationIdentifier}'");
            if (Blank(p.OrganizationName))
                yield return Need("organization_name", "the .mobileconfig names the organisation that publishes it");
        }
        if ((formats & (CoworkFormats.Reg | CoworkFormats.Admx | CoworkFormats.Ps1)) != 0 &&
            !string.Equals(p.CoworkRegistryHive, "HKCU", StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(p.CoworkRegistryHive, "HKLM", StringComparison.OrdinalIgnoreCase))
            yield return new ProfileMessage("cowork_registry_hive", $"must be HKCU or HKLM, not '{p.CoworkRegistryHive}'");
    }

    public static void ThrowIfAny(IEnumerable<ProfileMessage> problems)
    {
        var list = problems.DistinctBy(m => m.ToString()).ToList();
        if (list.Count > 0) throw new ProfileRequirementsException(list);
    }

    private static IEnumerable<ProfileMessage> Common(DeploymentProfile p)
    {
        // The name is written unquoted into scripts and registry paths, so it must stay within upstream's alphabet.
        if (!ProfileNames.IsValid(p.Name))
            yield return new ProfileMessage("name", $"must be 1-64 letters, digits or hyphens, not '{p.Name}'");
        if (Blank(p.AwsRegion)) yield return Need("aws_region", "the AWS region is required");
        if (p.MonitoringEnabled && p.MonitoringMode != "sidecar" && Blank(p.OtelCollectorEndpoint))
            yield return Need("otel_collector_endpoint",
                "monitoring is enabled in central mode but no collector endpoint is set (deploy the monitoring stack first)");
    }

    private static ProfileMessage Need(string field, string why) => new(field, $"is required: {why}");

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}
