using System.Text.Json.Nodes;
using Ccwb.Profiles;
using Ccwb.Rendering.Json;

namespace Ccwb.Rendering.ClaudeCode;

/// <summary>
/// <c>config.json</c>, read by credential-process on users' machines: <c>{ "&lt;profile&gt;": { … } }</c> with
/// upstream's keys and order, indent 2, no trailing newline.
/// </summary>
public static class ConfigJsonBuilder
{
    public static string Write(DeploymentProfile p)
    {
        var c = new JsonObject
        {
            ["provider_domain"] = p.ProviderDomain,
            ["client_id"] = p.ClientId,
            ["aws_region"] = p.AwsRegion,
            ["provider_type"] = ProfileFacts.ProviderType(p),
            ["credential_storage"] = p.CredentialStorage,
            ["cross_region_profile"] = ProfileFacts.CrossRegionProfile(p),
            ["sso_enabled"] = p.SsoEnabled,
        };
        void SetIf(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) c[key] = value;
        }

        if (!p.SsoEnabled && ProfileFacts.IsIdc(p))
        {
            c["auth_type"] = "idc";
            SetIf("idc_start_url", p.IdcStartUrl);
            SetIf("idc_account_id", p.IdcAccountId);
            SetIf("idc_permission_set_name", p.IdcPermissionSetName);
            c["idc_region"] = string.IsNullOrWhiteSpace(p.SsoRegion) ? p.AwsRegion : p.SsoRegion;
        }
        else if (p.SsoEnabled && p.FederationType == "direct")
        {
            c["federated_role_arn"] = p.FederatedRoleArn;
            c["federation_type"] = "direct";
            c["max_session_duration"] = p.MaxSessionDuration;
        }
        else if (p.SsoEnabled)
        {
            c["identity_pool_id"] = p.IdentityPoolId;
            c["federation_type"] = "cognito";
        }

        if (ProfileFacts.ProviderType(p) == "cognito") SetIf("cognito_user_pool_id", p.CognitoUserPoolId);
        SetIf("selected_model", p.SelectedModel);
        if (ProfileFacts.ProviderType(p) == "google") SetIf("client_secret", p.ClientSecret);
        SetIf("azure_auth_mode", p.AzureAuthMode);
        if (!string.IsNullOrWhiteSpace(p.ClientCertificatePath) && !string.IsNullOrWhiteSpace(p.ClientCertificateKeyPath))
        {
            c["client_certificate_path"] = p.ClientCertificatePath;
            c["client_certificate_key_path"] = p.ClientCertificateKeyPath;
        }
        if (ProfileFacts.ProviderType(p) == "generic")
        {
            SetIf("oidc_issuer_url", p.OidcIssuerUrl);
            SetIf("oidc_authorization_endpoint", p.OidcAuthorizationEndpoint);
            SetIf("oidc_token_endpoint", p.OidcTokenEndpoint);
            SetIf("oidc_jwks_uri", p.OidcJwksUri);
            SetIf("oidc_thumbprint", p.OidcThumbprint);
        }
        if (p.RedirectPort is { } port) c["redirect_port"] = port;
        if (!string.IsNullOrWhiteSpace(p.QuotaApiEndpoint))
        {
            c["quota_api_endpoint"] = p.QuotaApiEndpoint;
            c["quota_fail_mode"] = p.QuotaFailMode;
            c["quota_check_interval"] = p.QuotaCheckInterval;
        }
        return PythonJson.Indented(new JsonObject { [p.Name] = c });
    }
}
