using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ccwb.Profiles;

/// <summary>
/// A deployment profile: everything an organisation decides about its rollout (identity provider, federation, AWS
/// region, models, monitoring, Desktop/Cowork, distribution). The JSON shape is upstream's
/// <c>~/.ccwb/profiles/&lt;name&gt;.json</c> (snake_case, every field written, nulls included), so existing profiles load
/// unchanged. Immutable once loaded; keys this model does not know are kept in <see cref="UnknownKeys"/> and written
/// back on save.
/// </summary>
public sealed record DeploymentProfile
{
    public string SchemaVersion { get; init; } = "2.0";

    // Identity
    public string Name { get; init; } = "";
    public string ProviderDomain { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string CredentialStorage { get; init; } = "session";
    public string AwsRegion { get; init; } = "";
    public string IdentityPoolName { get; init; } = "";
    public IReadOnlyDictionary<string, string> StackNames { get; init; } = new Dictionary<string, string>();
    public string? ProviderType { get; init; }
    public string? CognitoUserPoolId { get; init; }
    public string OktaAuthServer { get; init; } = "";
    public string? OidcPrompt { get; init; }
    public string? OidcIssuerUrl { get; init; }
    public string? OidcAuthorizationEndpoint { get; init; }
    public string? OidcTokenEndpoint { get; init; }
    public string? OidcJwksUri { get; init; }
    public string? OidcThumbprint { get; init; }

    // Authentication and federation
    public string? AuthType { get; init; } = "oidc";
    public bool SsoEnabled { get; init; } = true;
    public string FederationType { get; init; } = "cognito";
    public string? FederatedRoleArn { get; init; }
    /// <summary>Cognito identity pool id (<c>region:uuid</c>), read from the auth stack's outputs after deploy.</summary>
    public string? IdentityPoolId { get; init; }
    public int MaxSessionDuration { get; init; } = 28800;
    public string? IdcStartUrl { get; init; }
    public string? IdcAccountId { get; init; }
    public string? IdcPermissionSetName { get; init; }
    public string? SsoRegion { get; init; }
    public string? AzureAuthMode { get; init; }
    public string? ClientSecret { get; init; }
    public string? ClientCertificatePath { get; init; }
    public string? ClientCertificateKeyPath { get; init; }
    public int? RedirectPort { get; init; }

    // Models
    public IReadOnlyList<string> AllowedBedrockRegions { get; init; } = [];
    public string? CrossRegionProfile { get; init; }
    public string? SelectedModel { get; init; }
    public string? ModelAlias { get; init; }
    public bool LockDefaultModel { get; init; }
    public string? SelectedSourceRegion { get; init; }
    public string? InferenceProfileOpusArn { get; init; }
    public string? InferenceProfileSonnetArn { get; init; }
    public string? InferenceProfileHaikuArn { get; init; }

    // Monitoring and analytics
    public bool MonitoringEnabled { get; init; } = true;
    public string MonitoringMode { get; init; } = "central";
    public IReadOnlyDictionary<string, JsonElement> MonitoringConfig { get; init; } = new Dictionary<string, JsonElement>();
    /// <summary><see cref="MonitoringConfig"/> read as the collector's settings.</summary>
    [JsonIgnore]
    public CollectorSettings Collector => CollectorSettings.From(MonitoringConfig);
    public bool AnalyticsEnabled { get; init; } = true;
    public string MetricsLogGroup { get; init; } = "/aws/claude-code/metrics";
    public int DataRetentionDays { get; init; } = 90;
    public int FirehoseBufferInterval { get; init; } = 900;
    public bool AnalyticsDebugMode { get; init; }
    public string? OtelCollectorEndpoint { get; init; }

    // Quota
    public bool QuotaMonitoringEnabled { get; init; }
    public long MonthlyTokenLimit { get; init; } = 225_000_000;
    [JsonPropertyName("warning_threshold_80")] public long WarningThreshold80 { get; init; } = 180_000_000;
    [JsonPropertyName("warning_threshold_90")] public long WarningThreshold90 { get; init; } = 202_500_000;
    public long? DailyTokenLimit { get; init; }
    public int BurstBufferPercent { get; init; } = 10;
    public string DailyEnforcementMode { get; init; } = "alert";
    public string MonthlyEnforcementMode { get; init; } = "block";
    public bool EnableFinegrainedQuotas { get; init; }
    public string? QuotaPoliciesTable { get; init; }
    public string? UserQuotaMetricsTable { get; init; }
    public string? QuotaApiEndpoint { get; init; }
    public string QuotaFailMode { get; init; } = "open";
    public int QuotaCheckInterval { get; init; } = 30;
    public bool EnableBypassDetection { get; init; }
    public string QuotaLimitType { get; init; } = "token";
    public double MonthlyCostLimitUsd { get; init; }
    public double DailyCostLimitUsd { get; init; }

    // Builds and distribution
    public bool EnableCodebuild { get; init; }
    public string? CodebuildRegion { get; init; }
    public IReadOnlyList<string> CodebuildPriorRegions { get; init; } = [];
    public bool EnableDistribution { get; init; }
    public string? DistributionType { get; init; }
    public string? DistributionIdpProvider { get; init; }
    public string? DistributionIdpDomain { get; init; }
    public string? DistributionIdpClientId { get; init; }
    public string? DistributionIdpClientSecretArn { get; init; }
    public string? DistributionIdpIssuer { get; init; }
    public string? DistributionIdpAuthorizationEndpoint { get; init; }
    public string? DistributionIdpTokenEndpoint { get; init; }
    public string? DistributionIdpUserinfoEndpoint { get; init; }
    public string? DistributionCustomDomain { get; init; }
    public string? DistributionHostedZoneId { get; init; }

    // Tags and Claude Code settings
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public bool IncludeCoauthoredBy { get; init; } = true;
    public string SettingsTarget { get; init; } = "user";

    // Claude Desktop (Cowork third-party mode)
    [JsonPropertyName("cowork_3p_enabled")] public bool Cowork3pEnabled { get; init; } = true;
    [JsonPropertyName("cowork_3p_extra_keys")]
    public IReadOnlyDictionary<string, JsonElement> Cowork3pExtraKeys { get; init; } = new Dictionary<string, JsonElement>();
    public string CoworkServiceToken { get; init; } = "";
    public string CoworkCredentialMode { get; init; } = "helper";
    public int CoworkCredentialHelperTtlSec { get; init; } = 3500;
    public string CoworkConfigDelivery { get; init; } = "static";
    public bool CoworkChatTabEnabled { get; init; } = true;
    public bool CoworkChatAdvancedFileAnalysis { get; init; } = true;
    public int? CoworkInferenceSessionLifetimeSec { get; init; }

    // MDM identity (not in upstream, which hard-codes com.company…): who publishes the profiles, and where the
    // Windows policy lives.
    /// <summary>Shown as PayloadOrganization and in ADMX/ADML; e.g. "Example Corp".</summary>
    public string? OrganizationName { get; init; }
    /// <summary>Reverse-DNS prefix for PayloadIdentifier; e.g. "com.example".</summary>
    public string? OrganizationIdentifier { get; init; }
    /// <summary>Registry hive of the Cowork policy: HKCU (upstream's choice) or HKLM.</summary>
    public string CoworkRegistryHive { get; init; } = "HKCU";

    // Web search
    public bool WebSearchEnabled { get; init; }
    public string WebsearchGatewayUrl { get; init; } = "";
    public string? WebsearchRegion { get; init; }
    public string? WebsearchJwtAudience { get; init; }
    public JsonElement? WebsearchDomainDenylist { get; init; }
    public string WebsearchHeadersHelperPath { get; init; } = "";

    /// <summary>Files copied into packages: entries of <c>{name, targets, from}</c>, kept as written.</summary>
    public IReadOnlyList<JsonElement> ExtraFiles { get; init; } = [];

    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }

    /// <summary>Keys present in the file that this model does not know; preserved on save (upstream drops them).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? UnknownKeys { get; init; }

    /// <summary>The authentication mode to branch on: <c>auth_type</c> if set, else oidc/none from <c>sso_enabled</c>.</summary>
    [JsonIgnore]
    public string EffectiveAuthType => string.IsNullOrEmpty(AuthType) ? (SsoEnabled ? "oidc" : "none") : AuthType;

    /// <summary>
    /// The cross-region inference profile key to branch on: legacy stored values mean their current key
    /// (<c>europe</c> → <c>eu</c>, <c>japan</c> → <c>jp</c>) while <see cref="CrossRegionProfile"/> keeps what the file says.
    /// </summary>
    [JsonIgnore]
    public string? CrossRegionProfileKey => Ccwb.Bedrock.CrossRegionProfiles.Normalize(CrossRegionProfile);
}
