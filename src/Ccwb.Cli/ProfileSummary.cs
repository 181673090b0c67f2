using System.Globalization;
using System.Text;
using Ccwb.Profiles;

namespace Ccwb.Cli;

/// <summary>A profile as readable sections of <c>field: value</c> lines, with secrets masked.</summary>
internal static class ProfileSummary
{
    private const string NotSet = "(not set)";

    public static string Render(DeploymentProfile p)
    {
        var text = new StringBuilder();
        Section(text, "Authentication",
            ("auth_type", p.EffectiveAuthType),
            ("provider_type", p.ProviderType),
            ("provider_domain", p.ProviderDomain),
            ("client_id", p.ClientId),
            ("client_secret", Mask(p.ClientSecret)),
            ("credential_storage", p.CredentialStorage),
            ("federation_type", p.FederationType),
            ("federated_role_arn", p.FederatedRoleArn),
            ("max_session_duration", Number(p.MaxSessionDuration)),
            ("cognito_user_pool_id", p.CognitoUserPoolId),
            ("oidc_issuer_url", p.OidcIssuerUrl),
            ("idc_start_url", p.IdcStartUrl),
            ("idc_account_id", p.IdcAccountId),
            ("idc_permission_set_name", p.IdcPermissionSetName),
            ("redirect_port", p.RedirectPort is { } port ? Number(port) : null));
        Section(text, "Infrastructure",
            [("aws_region", p.AwsRegion), ("identity_pool_name", p.IdentityPoolName),
             .. p.StackNames.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => ($"stack_names.{s.Key}", (string?)s.Value)),
             .. p.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => ($"tags.{t.Key}", (string?)t.Value))]);
        Section(text, "Bedrock",
            ("cross_region_profile", p.CrossRegionProfile),
            ("selected_model", p.SelectedModel),
            ("selected_source_region", p.SelectedSourceRegion),
            ("allowed_bedrock_regions", p.AllowedBedrockRegions.Count == 0 ? null : string.Join(", ", p.AllowedBedrockRegions)),
            ("lock_default_model", Bool(p.LockDefaultModel)));
        Section(text, "Features",
            ("monitoring_enabled", Bool(p.MonitoringEnabled)),
            ("monitoring_mode", p.MonitoringMode),
            ("otel_collector_endpoint", p.OtelCollectorEndpoint),
            ("analytics_enabled", Bool(p.AnalyticsEnabled)),
            ("quota_monitoring_enabled", Bool(p.QuotaMonitoringEnabled)),
            ("quota_api_endpoint", p.QuotaApiEndpoint),
            ("settings_target", p.SettingsTarget),
            ("cowork_3p_enabled", Bool(p.Cowork3pEnabled)),
            ("cowork_config_delivery", p.CoworkConfigDelivery),
            ("cowork_service_token", Mask(p.CoworkServiceToken)),
            ("cowork_registry_hive", p.CoworkRegistryHive),
            ("organization_name", p.OrganizationName),
            ("organization_identifier", p.OrganizationIdentifier),
            ("web_search_enabled", Bool(p.WebSearchEnabled)),
            ("extra_files", p.ExtraFiles.Count == 0 ? null : Number(p.ExtraFiles.Count)));
        Section(text, "Distribution",
            ("distribution_type", p.DistributionType),
            ("distribution_idp_provider", p.DistributionIdpProvider),
            ("distribution_custom_domain", p.DistributionCustomDomain),
            ("enable_codebuild", Bool(p.EnableCodebuild)));
        Section(text, "Metadata",
            ("schema_version", p.SchemaVersion),
            ("created_at", p.CreatedAt),
            ("updated_at", p.UpdatedAt));
        return text.ToString();
    }

    /// <summary>Secrets are never printed; only whether one is set.</summary>
    private static string Mask(string? secret) => string.IsNullOrEmpty(secret) ? NotSet : "******** (set)";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Section(StringBuilder text, string title, params (string Field, string? Value)[] rows)
    {
        text.Append('\n').Append(title).Append('\n');
        foreach (var (field, value) in rows)
            text.Append("  ").Append(field).Append(": ").Append(string.IsNullOrEmpty(value) ? NotSet : value).Append('\n');
    }
}
