namespace Ccwb.Contract.Config;

/// <summary>
/// The keys of a config.json profile (upstream's names, so existing installs keep working). The renderer writes
/// profiles with these definitions and credential-process reads them with the same ones; a key the renderer writes must
/// be one the helper acts on or one marked informational (the contract test checks both sides).
/// </summary>
public static class ConfigKeys
{
    private static readonly List<ConfigKey> Catalogue = [];

    private static ConfigKey Key(string name, ConfigValueKind kind, ConfigKeyUse use = ConfigKeyUse.Helper, string? legacyOf = null)
    {
        var key = new ConfigKey(name, kind, use, legacyOf);
        Catalogue.Add(key);
        return key;
    }

    private static ConfigKey Legacy(string name, ConfigKey current) => Key(name, current.Kind, ConfigKeyUse.Legacy, current.Name);

    /// <summary>Wraps the profiles in the current shape: <c>{"profiles": {"&lt;name&gt;": {…}}}</c>; without it, the file is flat.</summary>
    public const string ProfilesWrapper = "profiles";

    // Identity provider.
    public static readonly ConfigKey ProviderDomain = Key("provider_domain", ConfigValueKind.Text);
    public static readonly ConfigKey ClientId = Key("client_id", ConfigValueKind.Text);
    public static readonly ConfigKey ProviderType = Key("provider_type", ConfigValueKind.Text);
    public static readonly ConfigKey ClientSecret = Key("client_secret", ConfigValueKind.Text);
    public static readonly ConfigKey OidcPrompt = Key("oidc_prompt", ConfigValueKind.NullableText);
    public static readonly ConfigKey AzureAuthMode = Key("azure_auth_mode", ConfigValueKind.NullableText);
    public static readonly ConfigKey ClientCertificatePath = Key("client_certificate_path", ConfigValueKind.Text);
    public static readonly ConfigKey ClientCertificateKeyPath = Key("client_certificate_key_path", ConfigValueKind.Text);
    public static readonly ConfigKey OktaAuthServerId = Key("okta_auth_server_id", ConfigValueKind.Text);
    public static readonly ConfigKey OidcIssuerUrl = Key("oidc_issuer_url", ConfigValueKind.Text);
    public static readonly ConfigKey OidcAuthorizationEndpoint = Key("oidc_authorization_endpoint", ConfigValueKind.Text);
    public static readonly ConfigKey OidcTokenEndpoint = Key("oidc_token_endpoint", ConfigValueKind.Text);
    public static readonly ConfigKey OidcJwksUri = Key("oidc_jwks_uri", ConfigValueKind.Text);
    /// <summary>The IAM OIDC provider's thumbprint; used by the deployment, not at sign-in.</summary>
    public static readonly ConfigKey OidcThumbprint = Key("oidc_thumbprint", ConfigValueKind.Text, ConfigKeyUse.Informational);
    public static readonly ConfigKey RedirectPort = Key("redirect_port", ConfigValueKind.WholeNumber);

    // AWS and federation.
    public static readonly ConfigKey AwsRegion = Key("aws_region", ConfigValueKind.Text);
    public static readonly ConfigKey CredentialStorage = Key("credential_storage", ConfigValueKind.Text);
    public static readonly ConfigKey FederationType = Key("federation_type", ConfigValueKind.Text);
    public static readonly ConfigKey FederatedRoleArn = Key("federated_role_arn", ConfigValueKind.Text);
    public static readonly ConfigKey IdentityPoolId = Key("identity_pool_id", ConfigValueKind.Text);
    public static readonly ConfigKey CognitoUserPoolId = Key("cognito_user_pool_id", ConfigValueKind.Text);
    public static readonly ConfigKey MaxSessionDuration = Key("max_session_duration", ConfigValueKind.WholeNumber);
    public static readonly ConfigKey SsoEnabled = Key("sso_enabled", ConfigValueKind.Boolean);

    // IAM Identity Center.
    public static readonly ConfigKey AuthType = Key("auth_type", ConfigValueKind.Text);
    public static readonly ConfigKey IdcStartUrl = Key("idc_start_url", ConfigValueKind.Text);
    public static readonly ConfigKey IdcAccountId = Key("idc_account_id", ConfigValueKind.Text, ConfigKeyUse.Installer);
    public static readonly ConfigKey IdcPermissionSetName = Key("idc_permission_set_name", ConfigValueKind.Text, ConfigKeyUse.Installer);
    public static readonly ConfigKey IdcRegion = Key("idc_region", ConfigValueKind.Text, ConfigKeyUse.Installer);

    // Model defaults: Claude Code reads them from its settings; upstream writes them here too.
    public static readonly ConfigKey CrossRegionProfile = Key("cross_region_profile", ConfigValueKind.Text, ConfigKeyUse.Informational);
    public static readonly ConfigKey SelectedModel = Key("selected_model", ConfigValueKind.Text, ConfigKeyUse.Informational);

    // Telemetry attribution: the principal tag otel-helper sends as x-project (default Project).
    public static readonly ConfigKey CostAttributionTagKey = Key("cost_attribution_tag_key", ConfigValueKind.Text);

    // Quota enforcement: the /check call before credentials are handed out.
    public static readonly ConfigKey QuotaApiEndpoint = Key("quota_api_endpoint", ConfigValueKind.Text);
    public static readonly ConfigKey QuotaFailMode = Key("quota_fail_mode", ConfigValueKind.Text);
    public static readonly ConfigKey QuotaCheckInterval = Key("quota_check_interval", ConfigValueKind.WholeNumber);
    public static readonly ConfigKey QuotaCheckTimeout = Key("quota_check_timeout", ConfigValueKind.WholeNumber);
    // Reported by --explain only; the quota API itself decides what they mean.
    public static readonly ConfigKey DailyEnforcementMode = Key("daily_enforcement_mode", ConfigValueKind.Text, ConfigKeyUse.Informational);
    public static readonly ConfigKey MonthlyEnforcementMode = Key("monthly_enforcement_mode", ConfigValueKind.Text, ConfigKeyUse.Informational);
    public static readonly ConfigKey EnableFinegrainedQuotas = Key("enable_finegrained_quotas", ConfigValueKind.Boolean, ConfigKeyUse.Informational);

    // Telemetry delivery, reported by --explain only (otel-helper and the collector act on it).
    public static readonly ConfigKey MonitoringEnabled = Key("monitoring_enabled", ConfigValueKind.Boolean, ConfigKeyUse.Informational);
    public static readonly ConfigKey MonitoringMode = Key("monitoring_mode", ConfigValueKind.Text, ConfigKeyUse.Informational);
    public static readonly ConfigKey OtelCollectorEndpoint = Key("otel_collector_endpoint", ConfigValueKind.Text, ConfigKeyUse.Informational);
    public static readonly ConfigKey BootstrapEndpoint = Key("bootstrap_endpoint", ConfigValueKind.Text, ConfigKeyUse.Informational);
    public static readonly ConfigKey ConfigDeliveryMode = Key("config_delivery_mode", ConfigValueKind.Text, ConfigKeyUse.Informational);

    // Names older installs use.
    public static readonly ConfigKey OktaDomain = Legacy("okta_domain", ProviderDomain);
    public static readonly ConfigKey OktaClientId = Legacy("okta_client_id", ClientId);
    public static readonly ConfigKey IdentityPoolName = Legacy("identity_pool_name", IdentityPoolId);
    /// <summary>Upstream's Python helper reads this name for the Okta authorization server.</summary>
    public static readonly ConfigKey OktaAuthServer = Legacy("okta_auth_server", OktaAuthServerId);
    /// <summary>The issuer key earlier versions of this toolkit's helper read; installs written by them still load.</summary>
    public static readonly ConfigKey OidcIssuer = Legacy("oidc_issuer", OidcIssuerUrl);

    /// <summary>Every key, in declaration order.</summary>
    public static IReadOnlyList<ConfigKey> All => Catalogue;

    /// <summary>The key of this name, or null.</summary>
    public static ConfigKey? Find(string name) => Catalogue.Find(k => k.Name == name);
}
