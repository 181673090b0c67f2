using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ccwb.Bedrock;
using Ccwb.Contract.Providers;

namespace Ccwb.Cli.Init;

/// <summary>
/// The questions of <c>ccwb init</c>, in order, grouped in steps: what a profile holds, each with when it is asked and
/// what it suggests. The interactive wizard and <c>--non-interactive</c> both walk this one list.
/// </summary>
internal static partial class WizardSteps
{
    public const string Authentication = "authentication_complete";
    public const string Aws = "aws_complete";
    public const string Models = "models_complete";
    public const string Monitoring = "monitoring_complete";
    public const string Desktop = "desktop_complete";

    /// <summary>The provider detail after which the discovery document is checked (the last one the issuer depends on).</summary>
    public static bool IsIssuerComplete(Question question, Answers answers) => question.Key switch
    {
        "cognito_user_pool_id" => true,
        "oidc_issuer_url" => true,
        "okta_auth_server" => true,
        "provider_type" or "provider_domain" => answers.ProviderType is "auth0" or "azure" or "google",
        _ => false,
    };

    [GeneratedRegex(@"\.((us|eu|ap|sa|ca|me|af|il)-[a-z]+-\d+)\.")]
    private static partial Regex RegionInUrl();

    public static IReadOnlyList<Step> Create(ProviderDiscovery discovery)
    {
        static JsonNode? None(Answers _) => null;
        static JsonNode? Value(JsonNode value) => value;
        static bool Always(Answers _) => true;

        var providers = new List<Choice>
        {
            new(ProviderDetection.Okta, "Okta"),
            new(ProviderDetection.Auth0, "Auth0"),
            new(ProviderDetection.Azure, "Microsoft Entra ID (Azure AD)"),
            new(ProviderDetection.Cognito, "Amazon Cognito user pool"),
            new(ProviderDetection.Google, "Google"),
            new(ProviderDetection.Generic, "Other OpenID Connect provider"),
        };

        var authentication = new Step(Authentication, "Authentication",
        [
            new("auth_type", "How do users sign in?", AnswerKind.Choice, Always, _ => "oidc", Choices: _ =>
            [
                new("oidc", "OpenID Connect identity provider (Okta, Auth0, Entra ID, Cognito, Google, other)"),
                new("idc", "IAM Identity Center"),
                new("none", "No sign-in (users bring their own AWS credentials)"),
            ]),
            new("idc_start_url", "IAM Identity Center start URL", AnswerKind.Text, a => a.AuthType == "idc", None),
            new("sso_region", "Identity Center region", AnswerKind.Text, a => a.AuthType == "idc",
                a => RegionInUrl().Match(a.Text("idc_start_url") ?? "") is { Success: true } m ? m.Groups[1].Value : "us-east-1"),
            new("idc_account_id", "AWS account id for Bedrock access (12 digits)", AnswerKind.Text, a => a.AuthType == "idc", None),
            new("idc_permission_set_name", "Permission set name", AnswerKind.Text, a => a.AuthType == "idc", _ => "BedrockDeveloperAccess"),

            new("provider_domain", "Identity provider domain (e.g. example.okta.com, login.microsoftonline.com/<tenant-id>/v2.0)",
                AnswerKind.Text, a => a.Oidc, None),
            // Asked only when the domain does not tell (custom domains); detection is the shared ProviderDetection.
            new("provider_type", "Identity provider", AnswerKind.Choice,
                a => a.Oidc && ProviderDetection.FromDomain(a.Text("provider_domain")) is null, None, Choices: _ => providers),
            new("okta_auth_server", "Okta authorization server id (blank: the org authorization server)", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Okta, None, Optional: true),
            new("cognito_user_pool_id", "Cognito user pool id (e.g. us-east-1_AbC123)", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Cognito, None),
            new("oidc_issuer_url", "OpenID issuer URL", AnswerKind.Text, a => a.Oidc && a.ProviderType == ProviderDetection.Generic,
                a => a.Text("provider_domain") is { Length: > 0 } d ? "https://" + d : null),
            new("oidc_authorization_endpoint", "Authorization endpoint", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Generic, _ => discovery.Found?.AuthorizationEndpoint),
            new("oidc_token_endpoint", "Token endpoint", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Generic, _ => discovery.Found?.TokenEndpoint),
            new("oidc_jwks_uri", "JWKS URI (the provider's signing keys)", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Generic, _ => discovery.Found?.JwksUri),
            new("oidc_thumbprint", "SHA-1 thumbprint of the JWKS host's top intermediate CA certificate (40 hex)", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Generic,
                a => discovery.Thumbprint(a.Text("oidc_jwks_uri"))),
            new("client_id", "OIDC client id of the application", AnswerKind.Text, a => a.Oidc, None),
            new("azure_auth_mode", "Entra ID application type", AnswerKind.Choice,
                a => a.Oidc && a.ProviderType == ProviderDetection.Azure, _ => "public", Choices: _ =>
                [
                    new("public", "Public client (no secret; recommended)"),
                    new("secret", "Confidential client with a client secret"),
                    new("certificate", "Confidential client with a certificate"),
                ]),
            new("client_certificate_path", "Path of the client certificate (PEM) on users' machines", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Azure && a.Text("azure_auth_mode") == "certificate", None),
            new("client_certificate_key_path", "Path of the certificate's private key (PEM) on users' machines", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Azure && a.Text("azure_auth_mode") == "certificate", None),
            new("client_secret", "Google OAuth client secret (GOCSPX-…)", AnswerKind.Text,
                a => a.Oidc && a.ProviderType == ProviderDetection.Google, None, Secret: true),
            new("credential_storage", "Where users' credentials are cached", AnswerKind.Choice, a => a.Oidc, _ => "session", Choices: _ =>
            [
                new("session", "Session files (owner-only files in the user's home)"),
                new("keyring", "The operating system's keyring"),
            ]),
            new("redirect_port", "OAuth callback port on users' machines (blank: 8400)", AnswerKind.Number, a => a.Oidc, None, Optional: true),
            new("federation_type", "How sign-ins become AWS credentials", AnswerKind.Choice, a => a.Oidc, _ => "direct", Choices: _ =>
            [
                new("direct", "Direct STS federation (recommended)"),
                new("cognito", "Cognito identity pool"),
            ]),
            new("max_session_duration", "Session length in seconds (3600-43200)", AnswerKind.Number, a => a.Oidc,
                a => Value(a.Text("federation_type") == "cognito" ? 28800 : 43200)),
        ]);

        var aws = new Step(Aws, "AWS infrastructure",
        [
            new("aws_region", "AWS region for the infrastructure", AnswerKind.Choice, Always, _ => "us-east-1", Choices: _ =>
            [
                .. AwsRegions.Commercial.Select(r => new Choice(r, r)),
                .. AwsRegions.GovCloud.Select(r => new Choice(r, $"{r} (AWS GovCloud, partition aws-us-gov)")),
                .. AwsRegions.China.Select(r => new Choice(r, $"{r} (China, partition aws-cn)")),
            ]),
            new("identity_pool_name", "Stack base name (CloudFormation stacks are named after it; max 20)", AnswerKind.Text, Always,
                _ => "claude-code-auth"),
        ]);

        var models = new Step(Models, "Bedrock models",
        [
            new("selected_model", "Claude model", AnswerKind.Model, a => ModelCatalogue.InPartition(a.Partition).Count > 0,
                DefaultModel, Choices: a =>
                [
                    .. ModelCatalogue.InPartition(a.Partition).SelectMany(m => m.Profiles.Select(p =>
                        new Choice(p.ModelId, $"{m.DisplayName} ({p.ProfileKey}: {p.Description})"))),
                ]),
            new("selected_source_region", "Region users' requests are sent from", AnswerKind.Choice, a => a.SelectedModel is not null,
                DefaultSourceRegion, Choices: a => [.. (a.SelectedModel?.Profile.SourceRegions ?? []).Select(r => new Choice(r, r))]),
        ]);

        var monitoring = new Step(Monitoring, "Monitoring and quotas",
        [
            new("monitoring_enabled", "Collect usage telemetry (OpenTelemetry)?", AnswerKind.YesNo, Always, _ => true),
            new("monitoring_mode", "Telemetry collection", AnswerKind.Choice, a => a.Flag("monitoring_enabled", true), _ => "sidecar",
                Choices: _ =>
                [
                    new("sidecar", "Sidecar: CloudWatch dashboard only (recommended)"),
                    new("central", "Central collector (ECS Fargate behind a load balancer)"),
                ]),
            new("otel_collector_endpoint", "Collector endpoint URL (blank: recorded by 'ccwb deploy monitoring')", AnswerKind.Text,
                a => a.MonitoringCentral, None, Optional: true),
            new("analytics_enabled", "Keep usage analytics (Athena)?", AnswerKind.YesNo, a => a.MonitoringCentral, _ => true),
            new("quota_monitoring_enabled", "Enforce per-user quotas (deploys the quota stack)?", AnswerKind.YesNo,
                Always, _ => false),
            new("quota_limit_type", "Limit usage by", AnswerKind.Choice, a => a.QuotaEnabled, _ => "cost", Choices: _ =>
            [
                new("cost", "Cost (USD per user and month)"),
                new("token", "Tokens per user and month"),
            ]),
            new("monthly_cost_limit_usd", "Monthly budget per user (USD)", AnswerKind.Number,
                a => a.QuotaEnabled && a.Text("quota_limit_type") == "cost", _ => 50),
            new("monthly_token_limit", "Monthly tokens per user", AnswerKind.Number,
                a => a.QuotaEnabled && a.Text("quota_limit_type") != "cost", _ => 225_000_000),
            new("quota_api_endpoint", "Quota API endpoint (blank: recorded by 'ccwb deploy quota')", AnswerKind.Text,
                a => a.QuotaEnabled, None, Optional: true),
        ]);

        var desktop = new Step(Desktop, "Claude Desktop and settings",
        [
            new("cowork_3p_enabled", "Configure Claude Desktop (Cowork) for Bedrock as well?", AnswerKind.YesNo, Always, _ => true),
            new("cowork_config_delivery", "How Claude Desktop gets its configuration", AnswerKind.Choice, a => a.CoworkEnabled && a.Oidc,
                _ => "static", Choices: _ =>
                [
                    new("static", "Static MDM files (recommended)"),
                    new("bootstrap-device-code", "Bootstrap server, device-code sign-in"),
                    new("bootstrap-oidc-bearer", "Bootstrap server, OIDC bearer token"),
                ]),
            new("organization_name", "Organisation name shown in the MDM profiles (e.g. Example Corp)", AnswerKind.Text,
                a => a.CoworkEnabled, None, Optional: true),
            new("organization_identifier", "Organisation identifier, reverse DNS (e.g. com.example)", AnswerKind.Text,
                a => a.CoworkEnabled, None, Optional: true),
            new("settings_target", "Where Claude Code settings are installed", AnswerKind.Choice, a => !a.Managed, _ => "user", Choices: _ =>
            [
                new("user", "Each user's settings (~/.claude/settings.json)"),
                new("managed", "Managed settings (machine-wide, users cannot override)"),
            ]),
            new("lock_default_model", "Lock the default model for all users?", AnswerKind.YesNo, a => a.SettingsTarget == "managed",
                _ => false),
            new("include_coauthored_by", "Add a Co-Authored-By line to commits Claude Code makes?", AnswerKind.YesNo, Always, _ => true),
            new("web_search_enabled", "Enable web search (commercial regions, deploys the websearch stack)?", AnswerKind.YesNo,
                a => a.Oidc && a.Partition == AwsPartition.Commercial, _ => false),
            new("tags", "Resource tags as Key=Value, comma-separated (blank: none)", AnswerKind.Pairs, Always, None, Optional: true),
        ]);

        return [authentication, aws, models, monitoring, desktop];
    }

    /// <summary>Why the model step asks nothing (no catalogue model in the region's partition, e.g. China), or null.</summary>
    public static string? NoModelsMessage(Answers answers) =>
        answers.Region.Length > 0 && ModelCatalogue.InPartition(answers.Partition).Count == 0
            ? $"no Claude model in the catalogue is offered in partition {answers.Partition.Name}; set selected_model by hand when one is"
            : null;

    // Sonnet through the profile of the region's geography; GovCloud has its own.
    private static JsonNode? DefaultModel(Answers a)
    {
        var region = a.Region;
        var key = a.Partition == AwsPartition.GovCloud ? CrossRegionProfiles.UsGov
            : region.StartsWith("us-", StringComparison.Ordinal) || region.StartsWith("ca-", StringComparison.Ordinal) ? CrossRegionProfiles.Us
            : region.StartsWith("eu-", StringComparison.Ordinal) ? CrossRegionProfiles.Eu
            : CrossRegionProfiles.Global;
        return ModelTiers.ResolveModelForTier(ModelTier.Sonnet, key)?.Profile.ModelId;
    }

    private static JsonNode? DefaultSourceRegion(Answers a)
    {
        if (a.SelectedModel is not { } selected) return null;
        var sources = selected.Profile.SourceRegions;
        if (sources.Contains(a.Region)) return a.Region;
        return CrossRegionProfiles.DefaultRegions.TryGetValue(selected.Profile.ProfileKey, out var region) && sources.Contains(region)
            ? region
            : sources[0];
    }
}
