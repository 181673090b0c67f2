namespace Ccwb.Credentials.Config;

/// <summary>
/// One profile of config.json after defaults and legacy key migrations. Field meanings follow the installed
/// config.json written by the packager; every key is optional at parse time and checked where it is used.
/// </summary>
public sealed record ProfileConfig
{
    public const int DefaultRedirectPort = 8400;

    public required string Name { get; init; }
    public string ProviderDomain { get; init; } = "";
    public string ClientId { get; init; } = "";
    /// <summary><c>okta|auth0|azure|cognito|google|generic</c>; anything else means detect from the domain.</summary>
    public string ProviderType { get; init; } = "auto";
    public string AwsRegion { get; init; } = DefaultAwsRegion;
    public const string DefaultAwsRegion = "us-east-1";

    /// <summary><c>aws_region</c> as written: absent or empty means <see cref="DefaultAwsRegion"/>.</summary>
    public static string AwsRegionOrDefault(string? value) => string.IsNullOrEmpty(value) ? DefaultAwsRegion : value;
    /// <summary><c>keyring</c> or <c>session</c>; any other value behaves as session.</summary>
    public string CredentialStorage { get; init; } = "session";

    /// <summary><c>credential_storage</c> as written: absent or empty means session.</summary>
    public static string CredentialStorageOrDefault(string? value) => string.IsNullOrEmpty(value) ? "session" : value;
    /// <summary><c>direct</c> (STS) or <c>cognito</c> (identity pool).</summary>
    public string FederationType { get; init; } = "cognito";
    public string FederatedRoleArn { get; init; } = "";
    public string IdentityPoolId { get; init; } = "";
    public string CognitoUserPoolId { get; init; } = "";
    public int MaxSessionDuration { get; init; }
    public int RedirectPort { get; init; } = DefaultRedirectPort;
    /// <summary>Null when absent (Azure then sends <c>select_account</c>); empty means send no prompt.</summary>
    public string? OidcPrompt { get; init; }
    public string AzureAuthMode { get; init; } = "";
    public string ClientCertificatePath { get; init; } = "";
    public string ClientCertificateKeyPath { get; init; } = "";
    public string ClientSecret { get; init; } = "";
    public string OktaAuthServerId { get; init; } = "";
    /// <summary>Generic OIDC endpoints (absolute URLs); when absent they come from the discovery document.</summary>
    public string OidcAuthorizationEndpoint { get; init; } = "";
    public string OidcTokenEndpoint { get; init; } = "";
    /// <summary>Expected <c>iss</c> of id tokens when it cannot be derived from the provider (generic OIDC).</summary>
    public string OidcIssuer { get; init; } = "";
    public string OidcJwksUri { get; init; } = "";
    /// <summary>Absent means true.</summary>
    public bool SsoEnabled { get; init; } = true;
    public string AuthType { get; init; } = "";
    public string IdcStartUrl { get; init; } = "";
    public string IdcAccountId { get; init; } = "";
    public string IdcPermissionSetName { get; init; } = "";
    /// <summary>The Identity Center instance's region; <c>aws_region</c> when not set.</summary>
    public string IdcRegion { get; init; } = "us-east-1";
    /// <summary>The principal tag whose value telemetry carries as <c>x-project</c>.</summary>
    public string CostAttributionTagKey { get; init; } = "Project";

    /// <summary>The quota API's base URL (<c>/check</c> is appended); empty turns quota checks off.</summary>
    public string QuotaApiEndpoint { get; init; } = "";
    /// <summary><c>open</c> (a failed check allows) or <c>closed</c> (a failed check blocks).</summary>
    public string QuotaFailMode { get; init; } = "open";
    /// <summary>Minutes between checks while cached credentials are served; 0 checks on every call, absent means 30.</summary>
    public int QuotaCheckIntervalMinutes { get; init; } = 30;

    /// <summary>
    /// <c>quota_check_interval</c> as written: 0 means every call, as the admin side documents it (upstream's Go helper
    /// silently used 30 minutes instead); absent, null or negative means 30.
    /// </summary>
    public static int QuotaCheckIntervalOrDefault(int? minutes) => minutes is >= 0 and var interval ? interval : 30;
    public int QuotaCheckTimeoutSeconds { get; init; } = 5;
    public string DailyEnforcementMode { get; init; } = "";
    public string MonthlyEnforcementMode { get; init; } = "";
    public bool EnableFinegrainedQuotas { get; init; }

    public bool MonitoringEnabled { get; init; }
    public string MonitoringMode { get; init; } = "";
    public string OtelCollectorEndpoint { get; init; } = "";
    public string BootstrapEndpoint { get; init; } = "";
    public string ConfigDeliveryMode { get; init; } = "";

    public bool QuotaEnabled => QuotaApiEndpoint.Length > 0;
    public bool QuotaFailsClosed => string.Equals(QuotaFailMode.Trim(), "closed", StringComparison.OrdinalIgnoreCase);

    public bool UsesKeyring => string.Equals(CredentialStorage, "keyring", StringComparison.Ordinal);
    public bool IsDirectFederation => string.Equals(FederationType, "direct", StringComparison.Ordinal);

    /// <summary>IAM Identity Center: <c>auth_type=idc</c>, or SSO off with a start URL.</summary>
    public bool IsIdentityCenter =>
        string.Equals(AuthType, "idc", StringComparison.Ordinal) || (!SsoEnabled && IdcStartUrl.Length > 0);

    /// <summary>Ambient AWS credentials passed through unchanged: SSO off and not Identity Center.</summary>
    public bool IsPassthrough => !SsoEnabled && !IsIdentityCenter;
}
