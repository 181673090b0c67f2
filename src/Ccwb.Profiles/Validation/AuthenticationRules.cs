using Ccwb.Bedrock;

namespace Ccwb.Profiles.Validation;

/// <summary>How users sign in: OIDC provider settings, IAM Identity Center settings.</summary>
internal static class AuthenticationRules
{
    private static readonly string[] ProviderTypes = ["okta", "auth0", "azure", "cognito", "google", "generic"];

    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        if (p.AuthType is not null && p.AuthType is not ("oidc" or "idc" or "none"))
            r.Error("auth_type", $"Invalid auth_type: {p.AuthType}. Must be one of 'oidc', 'idc', 'none'");

        switch (p.EffectiveAuthType)
        {
            case "oidc":
                CheckOidc(p, r);
                break;
            case "idc":
                CheckIdentityCenter(p, r);
                break;
        }
    }

    private static void CheckOidc(DeploymentProfile p, ValidationReport r)
    {
        var hasDomain = !string.IsNullOrWhiteSpace(p.ProviderDomain) && p.ProviderDomain != "none";
        if (!hasDomain && string.IsNullOrWhiteSpace(p.OidcIssuerUrl))
            r.Error("provider_domain", "OIDC auth requires provider_domain or oidc_issuer_url");
        else if (hasDomain && !Urls.IsDomain(p.ProviderDomain))
            r.Error("provider_domain", $"Invalid provider_domain format: {p.ProviderDomain}");

        if (string.IsNullOrWhiteSpace(p.ClientId) || p.ClientId == "none")
            r.Error("client_id", "OIDC auth requires client_id");
        else if (p.ClientId.Length < 10)
            r.Error("client_id", "Client ID must be at least 10 characters");
        else
            CheckClientIdShape(p, r);

        if (p.RedirectPort is { } port && port is < 1024 or > 65535)
            r.Error("redirect_port", $"Must be a number between 1024 and 65535 (got {port})");

        if (p.ProviderType is null) return;
        if (!ProviderTypes.Contains(p.ProviderType, StringComparer.Ordinal))
        {
            r.Warning("provider_type", $"Unknown provider_type: {p.ProviderType} (expected one of {string.Join(", ", ProviderTypes)})");
            return;
        }
        switch (p.ProviderType)
        {
            case "cognito": CheckCognito(p, r); break;
            case "generic": CheckGeneric(p, r); break;
            case "azure": CheckAzure(p, r); break;
            case "google": CheckGoogle(p, r); break;
        }
        if (p.ProviderType != "google" && !string.IsNullOrEmpty(p.ClientSecret))
            r.Warning("client_secret", "is only used with provider_type 'google'; it is not shipped for other providers");
    }

    // The auth stack's parameter constraints: a mismatch fails only at deploy time, so catch it here.
    private static void CheckClientIdShape(DeploymentProfile p, ValidationReport r)
    {
        var (ok, shape) = p.ProviderType switch
        {
            "okta" => (Patterns.OktaClientId().IsMatch(p.ClientId), "20 letters or digits for Okta"),
            "auth0" => (Patterns.Auth0ClientId().IsMatch(p.ClientId), "32 letters or digits for Auth0"),
            "azure" => (Guid.TryParseExact(p.ClientId, "D", out _), "a GUID (the application id) for Entra ID"),
            "cognito" => (Patterns.CognitoClientId().IsMatch(p.ClientId), "lowercase letters and digits (max 128) for Cognito"),
            "google" => (Patterns.GoogleClientId().IsMatch(p.ClientId), "letters, digits, '.', '_' or '-' (max 256) for Google"),
            "generic" => (p.ClientId.Length <= 256, "at most 256 characters"),
            _ => (true, ""),
        };
        if (!ok) r.Error("client_id", $"Invalid client_id: {p.ClientId}. Must be {shape}");
    }

    private static void CheckCognito(DeploymentProfile p, ValidationReport r)
    {
        if (string.IsNullOrWhiteSpace(p.CognitoUserPoolId))
            r.Error("cognito_user_pool_id", "cognito_user_pool_id is required when provider_type is 'cognito'");
        else if (!Patterns.CognitoUserPoolId().IsMatch(p.CognitoUserPoolId))
            r.Error("cognito_user_pool_id", $"Invalid cognito_user_pool_id format: {p.CognitoUserPoolId}");

        // GovCloud has no plain hosted-UI endpoint for Cognito, only the FIPS one.
        if (AwsPartitions.ForRegion(p.AwsRegion) == AwsPartition.GovCloud &&
            p.ProviderDomain.Contains(".auth.", StringComparison.OrdinalIgnoreCase))
            r.Error("provider_domain",
                $"GovCloud Cognito domains use the FIPS endpoint: {p.ProviderDomain.Replace(".auth.", ".auth-fips.", StringComparison.OrdinalIgnoreCase)}");
    }

    private static void CheckGeneric(DeploymentProfile p, ValidationReport r)
    {
        var required = new (string Field, string? Value)[]
        {
            ("oidc_issuer_url", p.OidcIssuerUrl),
            ("oidc_authorization_endpoint", p.OidcAuthorizationEndpoint),
            ("oidc_token_endpoint", p.OidcTokenEndpoint),
            ("oidc_jwks_uri", p.OidcJwksUri),
            ("oidc_thumbprint", p.OidcThumbprint),
        };
        foreach (var (field, value) in required)
        {
            if (string.IsNullOrWhiteSpace(value))
                r.Error(field, $"{field} is required when provider_type is 'generic'");
            else if (field == "oidc_issuer_url" && !value.StartsWith("https://", StringComparison.Ordinal))
                r.Error(field, "Issuer must start with https://");
            else if (field == "oidc_thumbprint" && !Patterns.Sha1Hex().IsMatch(value.Replace(":", "", StringComparison.Ordinal)))
                r.Error(field, "Thumbprint must be 40 hex characters (colons optional)");
            else if (field is "oidc_authorization_endpoint" or "oidc_token_endpoint" or "oidc_jwks_uri" && !Urls.IsHttps(value))
                r.Error(field, $"must be an https URL, got '{value}'");
        }
    }

    private static void CheckAzure(DeploymentProfile p, ValidationReport r)
    {
        // The auth stack needs the tenant id, which it takes from the first GUID in the domain.
        if (!string.IsNullOrWhiteSpace(p.ProviderDomain) && !Patterns.Guid().IsMatch(p.ProviderDomain))
            r.Error("provider_domain",
                "must contain the Entra ID tenant id (a GUID), e.g. login.microsoftonline.com/<tenant-id>/v2.0");

        if (string.IsNullOrEmpty(p.AzureAuthMode)) return;
        r.OneOf("azure_auth_mode", p.AzureAuthMode, "public", "secret", "certificate");
        if (p.AzureAuthMode == "certificate")
        {
            if (string.IsNullOrWhiteSpace(p.ClientCertificatePath))
                r.Error("client_certificate_path", "client_certificate_path is required when azure_auth_mode is 'certificate'");
            if (string.IsNullOrWhiteSpace(p.ClientCertificateKeyPath))
                r.Error("client_certificate_key_path", "client_certificate_key_path is required when azure_auth_mode is 'certificate'");
        }
    }

    private static void CheckGoogle(DeploymentProfile p, ValidationReport r)
    {
        // Google's installed-app flow requires the client secret even with PKCE.
        if (string.IsNullOrWhiteSpace(p.ClientSecret))
            r.Error("client_secret", "client_secret is required when provider_type is 'google'");
    }

    private static void CheckIdentityCenter(DeploymentProfile p, ValidationReport r)
    {
        if (string.IsNullOrWhiteSpace(p.IdcStartUrl)) r.Error("idc_start_url", "IDC auth requires idc_start_url");
        else if (!Urls.IsHttps(p.IdcStartUrl)) r.Error("idc_start_url", $"must be an https URL, got '{p.IdcStartUrl}'");

        if (string.IsNullOrWhiteSpace(p.IdcAccountId)) r.Error("idc_account_id", "IDC auth requires idc_account_id");
        else if (!Patterns.AccountId().IsMatch(p.IdcAccountId)) r.Error("idc_account_id", "Must be a 12-digit AWS account ID");

        if (string.IsNullOrWhiteSpace(p.IdcPermissionSetName))
            r.Error("idc_permission_set_name", "IDC auth requires idc_permission_set_name");

        if (!string.IsNullOrEmpty(p.SsoRegion) && !AwsRegions.IsKnown(p.SsoRegion))
            r.Error("sso_region", $"Invalid sso_region: {p.SsoRegion}");
    }
}
