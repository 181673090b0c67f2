using System.Text.Json;
using Ccwb.Profiles.Validation;

namespace Ccwb.Profiles.Tests;

/// <summary>
/// One row per validation rule: a profile that breaks it (and the exact <c>field: message</c> expected) and a profile
/// that satisfies it (no finding for that field). Rows start from the example profiles.
/// </summary>
public class ValidationRuleTests
{
    private sealed record Rule(
        Func<DeploymentProfile> Bad,
        string Expected,
        Func<DeploymentProfile> Good,
        Severity Severity = Severity.Error);

    private static DeploymentProfile Okta => Examples.Load("okta-direct");
    private static DeploymentProfile Idc => Examples.Load("idc");
    private static DeploymentProfile Generic => Examples.Load("generic-oidc");
    private static DeploymentProfile Cognito => Examples.Load("cognito-user-pool");
    private static DeploymentProfile Entra => Examples.Load("entra-cognito");
    private static DeploymentProfile Google => Examples.Load("google");
    private static DeploymentProfile Gov => Examples.Load("govcloud");
    private static DeploymentProfile None => Examples.Load("none");

    private static DeploymentProfile LandingPage => Okta with
    {
        DistributionType = "landing-page",
        EnableDistribution = true,
        IdentityPoolName = "claude-code-auth",
        DistributionIdpProvider = "okta",
        DistributionIdpDomain = "example-corp.okta.com",
        DistributionIdpClientId = "0oa9z8y7x6w5v4u3t2s1",
        DistributionIdpClientSecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:claude-idp-AbCdEf",
        DistributionCustomDomain = "downloads.example.com",
    };

    private static DeploymentProfile GenericLandingPage => LandingPage with
    {
        DistributionIdpProvider = "generic",
        DistributionIdpDomain = null,
        DistributionIdpIssuer = "https://sso.example.com",
        DistributionIdpAuthorizationEndpoint = "https://sso.example.com/as/authorization.oauth2",
        DistributionIdpTokenEndpoint = "https://sso.example.com/as/token.oauth2",
        DistributionIdpUserinfoEndpoint = "https://sso.example.com/idp/userinfo.openid",
    };

    private static DeploymentProfile Network(string json) => Okta with
    {
        MonitoringConfig = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!,
    };

    private const string GoodNetwork = """{"create_vpc": false, "vpc_id": "vpc-0abc", "subnet_ids": ["subnet-1", "subnet-2"], "alb_scheme": "internal", "custom_domain": "otel.example.com"}""";

    private static IReadOnlyList<JsonElement> Extra(string json) => [JsonDocument.Parse(json).RootElement.Clone()];

    private const string GoodExtra = """{"name": "docs/guide.pdf", "targets": ["macos", "windows"], "from": "~/guide.pdf"}""";

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        // Identity
        ["name required"] = new(() => Okta with { Name = "" }, "name: Required field 'name' is missing or empty",
            () => Okta with { Name = "acme-prod" }),
        ["name characters"] = new(() => Okta with { Name = "acme prod" },
            "name: Invalid profile name 'acme prod'. Must be alphanumeric with hyphens only, max 64 characters",
            () => Okta with { Name = "Acme-Prod-1" }),
        ["name length"] = new(() => Okta with { Name = new string('a', 65) },
            $"name: Invalid profile name '{new string('a', 65)}'. Must be alphanumeric with hyphens only, max 64 characters",
            () => Okta with { Name = new string('a', 64) }),
        ["identity_pool_name required"] = new(() => Okta with { IdentityPoolName = "" },
            "identity_pool_name: Required field 'identity_pool_name' is missing or empty", () => Okta),
        ["identity_pool_name characters"] = new(() => Okta with { IdentityPoolName = "claude.code" },
            "identity_pool_name: Invalid name (alphanumeric, underscore, hyphen only)",
            () => Okta with { IdentityPoolName = "Claude_code-1" }),
        ["identity_pool_name length"] = new(() => Okta with { IdentityPoolName = new string('c', 21) },
            "identity_pool_name: Name too long (max 20 characters): stack and resource names are built from it",
            () => Okta with { IdentityPoolName = new string('c', 20) }),
        ["stack name"] = new(() => Okta with { StackNames = new Dictionary<string, string> { ["auth"] = "1bad_name" } },
            "stack_names.auth: Invalid stack name '1bad_name': must start with a letter, use letters, digits and hyphens only, max 128 characters",
            () => Okta with { StackNames = new Dictionary<string, string> { ["auth"] = "acme-auth-stack" } }),
        ["credential_storage value"] = new(() => Okta with { CredentialStorage = "disk" },
            "credential_storage: Invalid credential_storage: disk. Must be 'keyring' or 'session'",
            () => Okta with { CredentialStorage = "keyring" }),
        ["credential_storage required"] = new(() => Okta with { CredentialStorage = "" },
            "credential_storage: Required field 'credential_storage' is missing or empty", () => Okta),
        ["schema_version"] = new(() => Okta with { SchemaVersion = "3.0" },
            "schema_version: Unknown schema_version: 3.0 (expected 1.0 or 2.0)", () => Okta with { SchemaVersion = "1.0" }, Severity.Warning),
        ["settings_target"] = new(() => Okta with { SettingsTarget = "global" },
            "settings_target: Invalid settings_target: global. Must be 'user' or 'managed'", () => Okta with { SettingsTarget = "managed" }),

        // Authentication
        ["auth_type"] = new(() => Okta with { AuthType = "saml" },
            "auth_type: Invalid auth_type: saml. Must be one of 'oidc', 'idc', 'none'", () => None),
        ["oidc needs a domain or issuer"] = new(() => Okta with { ProviderDomain = "" },
            "provider_domain: OIDC auth requires provider_domain or oidc_issuer_url",
            () => Okta with { ProviderDomain = "", OidcIssuerUrl = "https://example-corp.okta.com" }),
        ["provider_domain format"] = new(() => Okta with { ProviderDomain = "bad_domain!.com" },
            "provider_domain: Invalid provider_domain format: bad_domain!.com",
            () => Okta with { ProviderDomain = "https://example-corp.okta.com/" }),
        ["client_id required"] = new(() => Okta with { ClientId = "" }, "client_id: OIDC auth requires client_id", () => Okta),
        ["client_id length"] = new(() => Generic with { ClientId = "short" }, "client_id: Client ID must be at least 10 characters",
            () => Generic with { ClientId = "long-enough" }),
        ["client_id okta shape"] = new(() => Okta with { ClientId = "0oa1b2c3d4e5f6g7h8i9-x" },
            "client_id: Invalid client_id: 0oa1b2c3d4e5f6g7h8i9-x. Must be 20 letters or digits for Okta", () => Okta),
        ["client_id auth0 shape"] = new(() => Examples.Load("auth0") with { ClientId = "AbCdEfGhIjKlMnOp" },
            "client_id: Invalid client_id: AbCdEfGhIjKlMnOp. Must be 32 letters or digits for Auth0", () => Examples.Load("auth0")),
        ["client_id azure shape"] = new(() => Entra with { ClientId = "not-a-guid-value" },
            "client_id: Invalid client_id: not-a-guid-value. Must be a GUID (the application id) for Entra ID", () => Entra),
        ["client_id cognito shape"] = new(() => Cognito with { ClientId = "ABCDEFGHIJKLMN" },
            "client_id: Invalid client_id: ABCDEFGHIJKLMN. Must be lowercase letters and digits (max 128) for Cognito", () => Cognito),
        ["client_id google shape"] = new(() => Google with { ClientId = "1234567890 apps" },
            "client_id: Invalid client_id: 1234567890 apps. Must be letters, digits, '.', '_' or '-' (max 256) for Google", () => Google),
        ["redirect_port low"] = new(() => Okta with { RedirectPort = 80 }, "redirect_port: Must be a number between 1024 and 65535 (got 80)",
            () => Okta with { RedirectPort = 8400 }),
        ["redirect_port high"] = new(() => Okta with { RedirectPort = 70000 }, "redirect_port: Must be a number between 1024 and 65535 (got 70000)",
            () => Okta with { RedirectPort = 65535 }),
        ["provider_type unknown"] = new(() => Okta with { ProviderType = "ping" },
            "provider_type: Unknown provider_type: ping (expected one of okta, auth0, azure, cognito, google, generic)",
            () => Okta, Severity.Warning),
        ["cognito pool required"] = new(() => Cognito with { CognitoUserPoolId = null },
            "cognito_user_pool_id: cognito_user_pool_id is required when provider_type is 'cognito'", () => Cognito),
        ["cognito pool format"] = new(() => Cognito with { CognitoUserPoolId = "useast1_AbC123" },
            "cognito_user_pool_id: Invalid cognito_user_pool_id format: useast1_AbC123",
            () => Cognito with { CognitoUserPoolId = "eu-central-1_AbC123" }),
        ["govcloud cognito uses fips domain"] = new(() => Gov with { ProviderDomain = "example-gov.auth.us-gov-west-1.amazoncognito.com" },
            "provider_domain: GovCloud Cognito domains use the FIPS endpoint: example-gov.auth-fips.us-gov-west-1.amazoncognito.com", () => Gov),
        ["generic issuer required"] = new(() => Generic with { OidcIssuerUrl = null },
            "oidc_issuer_url: oidc_issuer_url is required when provider_type is 'generic'", () => Generic),
        ["generic authorization endpoint required"] = new(() => Generic with { OidcAuthorizationEndpoint = "" },
            "oidc_authorization_endpoint: oidc_authorization_endpoint is required when provider_type is 'generic'", () => Generic),
        ["generic token endpoint required"] = new(() => Generic with { OidcTokenEndpoint = null },
            "oidc_token_endpoint: oidc_token_endpoint is required when provider_type is 'generic'", () => Generic),
        ["generic jwks required"] = new(() => Generic with { OidcJwksUri = null },
            "oidc_jwks_uri: oidc_jwks_uri is required when provider_type is 'generic'", () => Generic),
        ["generic thumbprint required"] = new(() => Generic with { OidcThumbprint = null },
            "oidc_thumbprint: oidc_thumbprint is required when provider_type is 'generic'", () => Generic),
        ["generic issuer https"] = new(() => Generic with { OidcIssuerUrl = "http://sso.example.com" },
            "oidc_issuer_url: Issuer must start with https://", () => Generic),
        ["generic thumbprint hex"] = new(() => Generic with { OidcThumbprint = "abc" },
            "oidc_thumbprint: Thumbprint must be 40 hex characters (colons optional)",
            () => Generic with { OidcThumbprint = "9E:99:A4:8A:99:60:B1:49:26:BB:7F:3B:02:E2:2D:A2:B0:AB:72:80" }),
        ["generic endpoint https"] = new(() => Generic with { OidcTokenEndpoint = "ftp://sso.example.com/token" },
            "oidc_token_endpoint: must be an https URL, got 'ftp://sso.example.com/token'", () => Generic),
        ["azure tenant in domain"] = new(() => Entra with { ProviderDomain = "login.microsoftonline.com" },
            "provider_domain: must contain the Entra ID tenant id (a GUID), e.g. login.microsoftonline.com/<tenant-id>/v2.0", () => Entra),
        ["azure_auth_mode"] = new(() => Entra with { AzureAuthMode = "magic" },
            "azure_auth_mode: Invalid azure_auth_mode: magic. Must be one of 'public', 'secret', 'certificate'",
            () => Entra with { AzureAuthMode = "secret" }),
        ["azure certificate path"] = new(() => Entra with { AzureAuthMode = "certificate", ClientCertificateKeyPath = "key.pem" },
            "client_certificate_path: client_certificate_path is required when azure_auth_mode is 'certificate'",
            () => Entra with { AzureAuthMode = "certificate", ClientCertificatePath = "cert.pem", ClientCertificateKeyPath = "key.pem" }),
        ["azure certificate key path"] = new(() => Entra with { AzureAuthMode = "certificate", ClientCertificatePath = "cert.pem" },
            "client_certificate_key_path: client_certificate_key_path is required when azure_auth_mode is 'certificate'",
            () => Entra with { AzureAuthMode = "certificate", ClientCertificatePath = "cert.pem", ClientCertificateKeyPath = "key.pem" }),
        ["google client secret"] = new(() => Google with { ClientSecret = null },
            "client_secret: client_secret is required when provider_type is 'google'", () => Google),
        ["client secret only for google"] = new(() => Okta with { ClientSecret = "s3cr3t" },
            "client_secret: is only used with provider_type 'google'; it is not shipped for other providers", () => Okta, Severity.Warning),
        ["idc start url required"] = new(() => Idc with { IdcStartUrl = null }, "idc_start_url: IDC auth requires idc_start_url", () => Idc),
        ["idc start url https"] = new(() => Idc with { IdcStartUrl = "d-1234567890.awsapps.com/start" },
            "idc_start_url: must be an https URL, got 'd-1234567890.awsapps.com/start'", () => Idc),
        ["idc account required"] = new(() => Idc with { IdcAccountId = "" }, "idc_account_id: IDC auth requires idc_account_id", () => Idc),
        ["idc account 12 digits"] = new(() => Idc with { IdcAccountId = "12345" }, "idc_account_id: Must be a 12-digit AWS account ID", () => Idc),
        ["idc permission set required"] = new(() => Idc with { IdcPermissionSetName = null },
            "idc_permission_set_name: IDC auth requires idc_permission_set_name", () => Idc),
        ["sso_region"] = new(() => Idc with { SsoRegion = "moon-1" }, "sso_region: Invalid sso_region: moon-1", () => Idc with { SsoRegion = "eu-west-1" }),

        // Federation
        ["federation_type"] = new(() => Okta with { FederationType = "saml" },
            "federation_type: Invalid federation_type: saml. Must be 'cognito' or 'direct'", () => Entra),
        ["federated_role_arn format"] = new(() => Okta with { FederatedRoleArn = "role/abc" },
            "federated_role_arn: Invalid federated_role_arn format: role/abc", () => Okta),
        ["federated_role_arn partition"] = new(() => Okta with { FederatedRoleArn = "arn:aws-us-gov:iam::123456789012:role/x" },
            "federated_role_arn: is in partition 'aws-us-gov' but aws_region us-east-1 is in 'aws'", () => Gov),
        ["max_session_duration low"] = new(() => Okta with { MaxSessionDuration = 900 },
            "max_session_duration: Must be a number between 3600 and 43200 (got 900)", () => Okta with { MaxSessionDuration = 3600 }),
        ["max_session_duration high"] = new(() => Okta with { MaxSessionDuration = 86400 },
            "max_session_duration: Must be a number between 3600 and 43200 (got 86400)", () => Okta with { MaxSessionDuration = 43200 }),

        // Regions and models
        ["aws_region required"] = new(() => Okta with { AwsRegion = "" }, "aws_region: AWS region is required", () => Okta),
        ["aws_region known"] = new(() => Okta with { AwsRegion = "us-moon-1" }, "aws_region: Invalid aws_region: us-moon-1",
            () => Okta with { AwsRegion = "us-east-2" }),
        ["aws_region in allowed regions"] = new(() => Okta with { AwsRegion = "eu-west-1" },
            "aws_region: Region 'eu-west-1' not in allowed_bedrock_regions: us-east-1, us-east-2, us-west-2",
            () => Okta with { AwsRegion = "eu-west-1", AllowedBedrockRegions = ["all-commercial"] }, Severity.Warning),
        ["bedrock region known"] = new(() => Okta with { AllowedBedrockRegions = ["us-east-1", "mars-1"] },
            "allowed_bedrock_regions: Unknown Bedrock region: mars-1", () => Okta, Severity.Warning),
        ["bedrock region partition"] = new(() => Okta with { AllowedBedrockRegions = ["us-east-1", "us-gov-west-1"] },
            "allowed_bedrock_regions: us-gov-west-1 is not in the partition of aws_region us-east-1 (aws)", () => Gov),
        ["all-commercial outside commercial partition"] = new(() => Gov with { AllowedBedrockRegions = ["all-commercial"] },
            "allowed_bedrock_regions: 'all-commercial' cannot be used with aws_region us-gov-west-1 (aws-us-gov)", () => Gov),
        ["cross_region_profile known"] = new(() => Okta with { CrossRegionProfile = "mars" },
            "cross_region_profile: Unknown cross_region_profile: mars (expected one of us, eu, apac, au, jp, global, us-gov)",
            () => Okta with { CrossRegionProfile = "europe" }, Severity.Warning),
        ["us-gov profile needs GovCloud"] = new(() => Okta with { CrossRegionProfile = "us-gov" },
            "cross_region_profile: 'us-gov' needs a GovCloud aws_region, not us-east-1", () => Gov),
        ["GovCloud needs us-gov profile"] = new(() => Gov with { CrossRegionProfile = "us" },
            "cross_region_profile: 'us' is not available in GovCloud; use 'us-gov' with aws_region us-gov-west-1", () => Gov),
        ["selected_model matches profile"] = new(() => Okta with { SelectedModel = "eu.anthropic.claude-sonnet-4-6" },
            "selected_model: eu.anthropic.claude-sonnet-4-6 belongs to the 'eu' profile but cross_region_profile is 'us'", () => Okta, Severity.Warning),
        ["selected_model in catalogue"] = new(() => Okta with { SelectedModel = "us.anthropic.claude-imaginary-9" },
            "selected_model: us.anthropic.claude-imaginary-9 is not in the model catalogue; check the id",
            () => Okta with { SelectedModel = "us.anthropic.claude-haiku-4-5-20251001-v1:0" }, Severity.Warning),
        ["selected_source_region serves the model"] = new(() => Okta with { SelectedSourceRegion = "eu-west-1" },
            "selected_source_region: eu-west-1 is not a source region of us.anthropic.claude-sonnet-4-6 (" +
            string.Join(", ", Ccwb.Bedrock.ModelCatalogue.FindByModelId("us.anthropic.claude-sonnet-4-6")!.Value.Profile.SourceRegions) + ")",
            () => Okta with { SelectedSourceRegion = "us-west-2" }, Severity.Warning),
        ["selected_source_region"] = new(() => Okta with { SelectedSourceRegion = "xx-1" },
            "selected_source_region: Invalid selected_source_region: xx-1", () => Okta with { SelectedSourceRegion = "us-west-2" }),
        ["codebuild_region partition"] = new(() => Okta with { CodebuildRegion = "us-gov-west-1" },
            "codebuild_region: us-gov-west-1 is not in the partition of aws_region (aws)", () => Okta with { CodebuildRegion = "us-east-2" }),
        ["inference profile arn"] = new(() => Okta with { InferenceProfileSonnetArn = "arn:aws:bedrock:us-east-1:123:foo" },
            "inference_profile_sonnet_arn: Invalid Application Inference Profile ARN. Expected format: arn:aws:bedrock:<region>:<account-id>:application-inference-profile/<profile-id>",
            () => Okta with { InferenceProfileSonnetArn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123" }),

        // Monitoring
        ["monitoring_mode"] = new(() => Okta with { MonitoringMode = "local" },
            "monitoring_mode: Invalid monitoring_mode: local. Must be 'central' or 'sidecar'", () => Okta with { MonitoringMode = "sidecar" }),
        ["central monitoring endpoint"] = new(() => Okta with { OtelCollectorEndpoint = null },
            "otel_collector_endpoint: Monitoring enabled but no otel_collector_endpoint configured (and not using bootstrap server). Run 'ccwb deploy monitoring' first.",
            () => Okta with { OtelCollectorEndpoint = null, MonitoringMode = "sidecar" }, Severity.Warning),
        ["otel endpoint url"] = new(() => Okta with { OtelCollectorEndpoint = "otel.example.com" },
            "otel_collector_endpoint: must be an http(s) URL, got 'otel.example.com'", () => Okta),
        ["data_retention_days positive"] = new(() => Okta with { DataRetentionDays = 0 },
            "data_retention_days: data_retention_days must be a positive integer", () => Okta with { DataRetentionDays = 365 }),
        ["data_retention_days over a year"] = new(() => Okta with { DataRetentionDays = 400 },
            "data_retention_days: 400 days is more than a year of analytics data", () => Okta with { DataRetentionDays = 30 }, Severity.Warning),

        ["collector vpc id"] = new(() => Network("""{"vpc_id": "0abc", "subnet_ids": ["subnet-1", "subnet-2"]}"""),
            "monitoring_config.vpc_id: Invalid VPC ID format: 0abc", () => Network(GoodNetwork)),
        ["collector two subnets"] = new(() => Network("""{"vpc_id": "vpc-0abc", "subnet_ids": ["subnet-1"]}"""),
            "monitoring_config.subnet_ids: Please select at least 2 subnets (in different availability zones)",
            () => Network("""{"vpc_id": "vpc-0abc", "subnet_ids": "subnet-1, subnet-2"}""")),
        ["collector subnet id"] = new(() => Network("""{"vpc_id": "vpc-0abc", "subnet_ids": ["subnet-1", "sn-2"]}"""),
            "monitoring_config.subnet_ids: Invalid subnet ID format: sn-2", () => Network(GoodNetwork)),
        ["collector alb scheme"] = new(() => Network("""{"alb_scheme": "private"}"""),
            "monitoring_config.alb_scheme: Invalid alb_scheme: private. Must be 'internet-facing' or 'internal'", () => Network(GoodNetwork)),
        ["collector custom domain"] = new(() => Network("""{"custom_domain": "localhost"}"""),
            "monitoring_config.custom_domain: Invalid custom domain: localhost", () => Network(GoodNetwork)),

        // Quota
        ["quota_limit_type"] = new(() => Okta with { QuotaLimitType = "money" },
            "quota_limit_type: Invalid quota_limit_type: money. Must be 'token' or 'cost'", () => Okta with { QuotaLimitType = "cost" }),
        ["daily_enforcement_mode"] = new(() => Okta with { DailyEnforcementMode = "warn" },
            "daily_enforcement_mode: Invalid daily_enforcement_mode: warn. Must be 'alert' or 'block'", () => Okta with { DailyEnforcementMode = "block" }),
        ["monthly_enforcement_mode"] = new(() => Okta with { MonthlyEnforcementMode = "warn" },
            "monthly_enforcement_mode: Invalid monthly_enforcement_mode: warn. Must be 'alert' or 'block'", () => Okta with { MonthlyEnforcementMode = "alert" }),
        ["quota_fail_mode"] = new(() => Okta with { QuotaFailMode = "ajar" },
            "quota_fail_mode: Invalid quota_fail_mode: ajar. Must be 'open' or 'closed'", () => Okta with { QuotaFailMode = "closed" }),
        ["monthly_token_limit positive"] = new(() => Okta with { MonthlyTokenLimit = 0 },
            "monthly_token_limit: monthly_token_limit must be a positive integer", () => Okta with { MonthlyTokenLimit = 1 }),
        ["monthly_token_limit maximum"] = new(() => Okta with { MonthlyTokenLimit = 2_000_000_000 },
            "monthly_token_limit: 2000000000 is above the quota stack's maximum of 1000000000",
            () => Okta with { MonthlyTokenLimit = 1_000_000_000 }, Severity.Warning),
        ["daily_token_limit range"] = new(() => Okta with { DailyTokenLimit = 200_000_000 },
            "daily_token_limit: Must be between 0 and 100000000 (got 200000000)", () => Okta with { DailyTokenLimit = 8_000_000 }),
        ["monthly cost not negative"] = new(() => Okta with { MonthlyCostLimitUsd = -1 }, "monthly_cost_limit_usd: must be >= 0",
            () => Okta with { MonthlyCostLimitUsd = 50 }),
        ["daily cost not negative"] = new(() => Okta with { DailyCostLimitUsd = -0.5 }, "daily_cost_limit_usd: must be >= 0",
            () => Okta with { DailyCostLimitUsd = 0 }),
        ["cost quota needs a budget"] = new(() => Okta with { QuotaMonitoringEnabled = true, QuotaLimitType = "cost", MonthlyCostLimitUsd = 0 },
            "monthly_cost_limit_usd: must be a positive budget when quota_limit_type is 'cost'",
            () => Okta with { QuotaMonitoringEnabled = true, QuotaLimitType = "cost", MonthlyCostLimitUsd = 50 }),
        ["burst_buffer_percent"] = new(() => Okta with { BurstBufferPercent = 150 },
            "burst_buffer_percent: Burst buffer must be between 0 and 100", () => Okta with { BurstBufferPercent = 25 }),
        ["quota_check_interval"] = new(() => Okta with { QuotaCheckInterval = -5 },
            "quota_check_interval: must be 0 (every request) or a positive number of minutes", () => Okta with { QuotaCheckInterval = 0 }),
        ["passthrough quota names users by session name"] = new(() => None with { QuotaMonitoringEnabled = true },
            "quota_monitoring_enabled: with auth_type none the quota API knows a user only by an assumed role's session name that is " +
            "their e-mail (as IAM Identity Center sets it); calls with other credentials are blocked as having no identity",
            () => Idc with { QuotaMonitoringEnabled = true }, Severity.Warning),
        ["quota_api_endpoint https"] = new(() => Okta with { QuotaApiEndpoint = "http://quota.example.com" },
            "quota_api_endpoint: must be an https URL, got 'http://quota.example.com'", () => Cognito),

        // Distribution
        ["distribution_type"] = new(() => Okta with { DistributionType = "ftp" },
            "distribution_type: Invalid distribution_type: ftp. Must be 'presigned-s3' or 'landing-page'",
            () => Okta with { DistributionType = "presigned-s3" }),
        ["distribution bucket naming"] = new(() => Okta with { DistributionType = "presigned-s3", IdentityPoolName = "Claude_Code" },
            "identity_pool_name: must be lowercase without underscores when distribution is enabled (it becomes part of S3 bucket names)",
            () => Okta with { IdentityPoolName = "Claude_Code" }),
        ["distribution_custom_domain format"] = new(() => LandingPage with { DistributionCustomDomain = "bad domain" },
            "distribution_custom_domain: Invalid distribution_custom_domain format: bad domain", () => LandingPage),
        ["landing page custom domain"] = new(() => LandingPage with { DistributionCustomDomain = null },
            "distribution_custom_domain: Custom domain is required for authenticated landing page", () => LandingPage),
        ["landing page provider required"] = new(() => LandingPage with { DistributionIdpProvider = null },
            "distribution_idp_provider: distribution_idp_provider is required when distribution_type is 'landing-page'", () => LandingPage),
        ["landing page provider supported"] = new(() => LandingPage with { DistributionIdpProvider = "google" },
            "distribution_idp_provider: Invalid distribution_idp_provider: google. Must be one of okta, auth0, azure, cognito, generic",
            () => LandingPage with { DistributionIdpProvider = "auth0" }),
        ["landing page client id"] = new(() => LandingPage with { DistributionIdpClientId = "" },
            "distribution_idp_client_id: distribution_idp_client_id is required when distribution_type is 'landing-page'", () => LandingPage),
        ["landing page domain"] = new(() => LandingPage with { DistributionIdpDomain = null },
            "distribution_idp_domain: distribution_idp_domain is required when distribution_type is 'landing-page'", () => LandingPage),
        ["landing page domain format"] = new(() => LandingPage with { DistributionIdpDomain = "not a domain" },
            "distribution_idp_domain: Invalid distribution_idp_domain format: not a domain", () => LandingPage),
        ["landing page generic issuer"] = new(() => GenericLandingPage with { DistributionIdpIssuer = null },
            "distribution_idp_issuer: distribution_idp_issuer is required when distribution_idp_provider is 'generic'", () => GenericLandingPage),
        ["landing page generic userinfo"] = new(() => GenericLandingPage with { DistributionIdpUserinfoEndpoint = "http://sso.example.com/userinfo" },
            "distribution_idp_userinfo_endpoint: must be an https URL, got 'http://sso.example.com/userinfo'", () => GenericLandingPage),
        ["landing page secret arn"] = new(() => LandingPage with { DistributionIdpClientSecretArn = "claude-idp-secret" },
            "distribution_idp_client_secret_arn: Invalid distribution_idp_client_secret_arn format: claude-idp-secret", () => LandingPage),

        // Claude Desktop, MDM identity, web search
        ["cowork_registry_hive"] = new(() => Okta with { CoworkRegistryHive = "HKCR" },
            "cowork_registry_hive: Invalid cowork_registry_hive: HKCR. Must be 'HKCU' or 'HKLM'", () => Entra),
        ["cowork_credential_mode"] = new(() => Okta with { CoworkCredentialMode = "keys" },
            "cowork_credential_mode: Invalid cowork_credential_mode: keys. Must be 'helper' or 'profile'", () => Okta with { CoworkCredentialMode = "profile" }),
        ["cowork_config_delivery"] = new(() => Okta with { CoworkConfigDelivery = "push" },
            "cowork_config_delivery: Invalid cowork_config_delivery: push. Must be one of 'static', 'bootstrap-device-code', 'bootstrap-oidc-bearer'",
            () => Okta with { CoworkConfigDelivery = "bootstrap-oidc-bearer" }),
        ["bootstrap delivery needs OIDC"] = new(() => Idc with { CoworkConfigDelivery = "bootstrap-device-code" },
            "cowork_config_delivery: Bootstrap server (dynamic config) is not supported with IDC or no authentication; use 'static'",
            () => Okta with { CoworkConfigDelivery = "bootstrap-device-code" }),
        ["cowork helper ttl"] = new(() => Okta with { CoworkCredentialHelperTtlSec = 0 },
            "cowork_credential_helper_ttl_sec: must be a positive number of seconds", () => Okta with { CoworkCredentialHelperTtlSec = 900 }),
        ["cowork session lifetime"] = new(() => Okta with { CoworkInferenceSessionLifetimeSec = 0 },
            "cowork_inference_session_lifetime_sec: must be a positive number of seconds", () => Okta with { CoworkInferenceSessionLifetimeSec = 28800 }),
        ["organization_identifier reverse dns"] = new(() => Okta with { OrganizationIdentifier = "example" },
            "organization_identifier: must be a reverse-DNS name such as com.example, got 'example'",
            () => Okta with { OrganizationIdentifier = "com.example.it" }),
        ["organization_name not blank"] = new(() => Okta with { OrganizationName = "  " },
            "organization_name: must not be blank when set", () => Okta with { OrganizationName = null }),
        ["web search not in GovCloud"] = new(() => Gov with { WebSearchEnabled = true },
            "web_search_enabled: web search is only available in the commercial partition, not with aws_region us-gov-west-1",
            () => Okta with { WebSearchEnabled = true }),
        ["web search needs OIDC"] = new(() => Idc with { WebSearchEnabled = true },
            "web_search_enabled: web search requires OIDC authentication", () => Okta with { WebSearchEnabled = true }),
        ["web search region"] = new(() => Okta with { WebSearchEnabled = true, WebsearchRegion = "eu-west-1" },
            "websearch_region: web search is only available in us-east-1, not eu-west-1",
            () => Okta with { WebSearchEnabled = true, WebsearchRegion = "us-east-1" }),

        // Tags
        ["tag aws prefix"] = new(() => Okta with { Tags = new Dictionary<string, string> { ["aws:owner"] = "x" } },
            "tags.aws:owner: Tag keys cannot start with 'aws:' (reserved by AWS)", () => Okta),
        ["tag key length"] = new(() => Okta with { Tags = new Dictionary<string, string> { [new string('k', 129)] = "x" } },
            $"tags.{new string('k', 129)}: Tag keys can be at most 128 characters",
            () => Okta with { Tags = new Dictionary<string, string> { [new string('k', 128)] = "x" } }),
        ["tag value length"] = new(() => Okta with { Tags = new Dictionary<string, string> { ["Team"] = new string('v', 257) } },
            "tags.Team: Tag values can be at most 256 characters",
            () => Okta with { Tags = new Dictionary<string, string> { ["Team"] = new string('v', 256) } }),
        ["tag key empty"] = new(() => Okta with { Tags = new Dictionary<string, string> { [""] = "x" } }, "tags: Tag keys cannot be empty", () => Okta),
        ["tag count"] = new(() => Okta with { Tags = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v") },
            "tags: at most 50 tags are allowed (got 51)", () => Okta with { Tags = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", i => "v") }),

        // extra_files (upstream's exact messages)
        ["extra file shape"] = new(() => Okta with { ExtraFiles = Extra("\"docs\"") },
            "extra_files[0]: must be an object with 'name', 'targets', 'from'", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file missing keys"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "a.txt"}""") },
            "extra_files[0]: missing key(s): from, targets", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file unexpected keys"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "a.txt", "targets": "all", "from": "a", "mode": "755"}""") },
            "extra_files[0]: unexpected key(s): mode", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file name empty"] = new(() => Okta with { ExtraFiles = Extra("""{"name": " ", "targets": "all", "from": "a"}""") },
            "extra_files[0]: 'name' must be a non-empty string", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file name absolute"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "/etc/passwd", "targets": "all", "from": "a"}""") },
            "extra_files[0]: 'name' must be a relative path, got '/etc/passwd'", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file name drive letter"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "C:\\x.txt", "targets": "all", "from": "a"}""") },
            "extra_files[0]: 'name' must be a relative path, got 'C:\\x.txt'", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file name parent segment"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "docs\\..\\..\\x", "targets": "all", "from": "a"}""") },
            "extra_files[0]: 'name' must not contain '..' path segments, got 'docs\\..\\..\\x'", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file generated artifact"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "Claude-Settings/x.json", "targets": "all", "from": "a"}""") },
            "extra_files[0]: 'name' collides with a generated artifact: 'Claude-Settings/x.json'", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file generated binary"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "otelcol-linux-x64", "targets": "all", "from": "a"}""") },
            "extra_files[0]: 'name' collides with a generated binary: 'otelcol-linux-x64'",
            () => Okta with { ExtraFiles = Extra("""{"name": "cowork-credential-helper.sh", "targets": "all", "from": "a"}""") }),
        ["extra file targets type"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "a.txt", "targets": 3, "from": "a"}""") },
            "extra_files[0]: 'targets' must be a token or list of tokens",
            () => Okta with { ExtraFiles = Extra("""{"name": "a.txt", "targets": " MacOS-ARM64 ", "from": "a"}""") }),
        ["extra file unknown target"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "a.txt", "targets": ["linux", "beos"], "from": "a"}""") },
            "extra_files[0]: unknown target(s) ['beos']; valid: all, linux, linux-arm64, linux-x64, macos, macos-arm64, macos-intel, windows",
            () => Okta with { ExtraFiles = Extra(GoodExtra) }),
        ["extra file empty targets"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "a.txt", "targets": [], "from": "a"}""") },
            "extra_files[0]: 'targets' is empty, so the file goes into no package", () => Okta with { ExtraFiles = Extra(GoodExtra) }, Severity.Warning),
        ["extra file from"] = new(() => Okta with { ExtraFiles = Extra("""{"name": "a.txt", "targets": "all", "from": ""}""") },
            "extra_files[0]: 'from' must be a non-empty source path", () => Okta with { ExtraFiles = Extra(GoodExtra) }),
    };

    public static TheoryData<string> RuleNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Rules.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Rule_reports_a_profile_that_breaks_it(string rule)
    {
        var messages = ProfileValidator.Validate(Rules[rule].Bad());

        var found = messages.Where(m => m.ToString() == Rules[rule].Expected).ToList();
        Assert.True(found.Count == 1, $"expected «{Rules[rule].Expected}» in:\n{string.Join("\n", messages)}");
        Assert.Equal(Rules[rule].Severity, found[0].Severity);
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Rule_accepts_a_profile_that_satisfies_it(string rule)
    {
        var field = Rules[rule].Expected[..Rules[rule].Expected.IndexOf(": ", StringComparison.Ordinal)];

        var messages = ProfileValidator.Validate(Rules[rule].Good());

        Assert.DoesNotContain(messages, m => m.Field == field);
    }
}
