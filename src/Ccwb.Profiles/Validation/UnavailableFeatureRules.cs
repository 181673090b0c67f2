using Ccwb.Contract;
namespace Ccwb.Profiles.Validation;

/// <summary>
/// Options whose end-user side is not shipped yet (<see cref="EndUserFeatures"/>), reported for the outputs that would
/// carry them. Warnings where the files still work without the feature, so every example profile packages; an error
/// where leaving it out would silently weaken what the administrator asked for.
/// </summary>
internal static class UnavailableFeatureRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        var helperFiles = r.Purpose is ValidationPurpose.HelperConfig or ValidationPurpose.Package;

        if (r.CoworkFormats != 0 && p.CoworkCredentialMode == "helper" && !EndUserFeatures.DesktopToken)
            r.Warning("cowork_credential_mode",
                "'helper' is not available yet (credential-process has no --desktop): the Cowork files are written without " +
                "inferenceCredentialHelper; set 'profile' to have Claude Desktop use the AWS profile instead");

        if (!helperFiles) return;

        if (p.MonitoringEnabled && !EndUserFeatures.OtelHeaders)
            r.Warning("monitoring_enabled",
                "per-user telemetry attribution (otelHeadersHelper) is not available yet (no otel-helper is shipped): " +
                "the Claude Code settings send telemetry without user headers");

        // Without a quota API no helper binary ships for IAM Identity Center, so no --login is written either.
        if (p.EffectiveAuthType == "idc" && !string.IsNullOrWhiteSpace(p.QuotaApiEndpoint) && !EndUserFeatures.IdentityCenterLogin)
            r.Warning("auth_type",
                "IAM Identity Center sign-in through credential-process (--login) is not available yet: the Claude Code " +
                "settings leave out awsAuthRefresh and users run 'aws sso login' when their session ends");

        if (p.WebSearchEnabled && !EndUserFeatures.McpAuthHeader)
            r.Warning("web_search_enabled",
                "web search in Claude Code is not available yet (credential-process has no --get-mcp-auth-header): the " +
                "installers do not set up its headers helper; Claude Desktop's web search is unaffected");

        if (!string.IsNullOrWhiteSpace(p.QuotaApiEndpoint) && !EndUserFeatures.QuotaEnforcement)
        {
            // Fail-closed promises that users without quota are stopped; a package that enforces nothing must not ship it.
            const string why = "quota enforcement on users' machines is not available yet (credential-process does not call quota_api_endpoint)";
            if (p.QuotaFailMode == "closed")
                r.Error("quota_fail_mode", $"'closed' cannot be honoured: {why}; use 'open' until it is, or leave quota_api_endpoint unset");
            else
                r.Warning("quota_api_endpoint", $"{why}: quotas are reported and alerted on by the quota stack, not enforced per request");
        }
    }
}
