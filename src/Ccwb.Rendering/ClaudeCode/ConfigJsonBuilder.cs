using System.Text.Json.Nodes;
using Ccwb.Contract.Config;
using Ccwb.Profiles;
using Ccwb.Rendering.Json;
using K = Ccwb.Contract.Config.ConfigKeys;

namespace Ccwb.Rendering.ClaudeCode;

/// <summary>
/// <c>config.json</c>, read by credential-process on users' machines: <c>{ "&lt;profile&gt;": { … } }</c> with
/// upstream's keys and order, indent 2, no trailing newline. Keys come from the contract's catalogue, and only those
/// the helper acts on (or that are there for people and the install scripts) are written.
/// </summary>
public static class ConfigJsonBuilder
{
    public static string Write(DeploymentProfile p) => PythonJson.Indented(new JsonObject { [p.Name] = Profile(p) });

    /// <summary>
    /// The AWS CLI profiles the installers create: one per key of the file <see cref="Write"/> makes, named as the
    /// key, in that entry's aws_region.
    /// </summary>
    public static IReadOnlyList<(string Name, string Region)> AwsProfiles(DeploymentProfile p) => [(p.Name, p.AwsRegion)];

    private static JsonObject Profile(DeploymentProfile p)
    {
        var c = new JsonObject();
        void Set(ConfigKey key, JsonNode? value)
        {
            if (key.Use is ConfigKeyUse.Legacy or ConfigKeyUse.NotYetRead)
                throw new InvalidOperationException($"config.json key {key} is not one the helper reads ({key.Use})");
            c[key.Name] = value;
        }
        void SetIf(ConfigKey key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) Set(key, value);
        }

        var providerType = ProfileFacts.ProviderType(p);
        Set(K.ProviderDomain, p.ProviderDomain);
        Set(K.ClientId, p.ClientId);
        Set(K.AwsRegion, p.AwsRegion);
        Set(K.ProviderType, providerType);
        Set(K.CredentialStorage, p.CredentialStorage);
        Set(K.CrossRegionProfile, ProfileFacts.CrossRegionProfile(p));
        Set(K.SsoEnabled, p.SsoEnabled);

        if (!p.SsoEnabled && ProfileFacts.IsIdc(p))
        {
            Set(K.AuthType, "idc");
            SetIf(K.IdcStartUrl, p.IdcStartUrl);
            SetIf(K.IdcAccountId, p.IdcAccountId);
            SetIf(K.IdcPermissionSetName, p.IdcPermissionSetName);
            Set(K.IdcRegion, string.IsNullOrWhiteSpace(p.SsoRegion) ? p.AwsRegion : p.SsoRegion);
        }
        else if (p.SsoEnabled && p.FederationType == "direct")
        {
            Set(K.FederatedRoleArn, p.FederatedRoleArn);
            Set(K.FederationType, "direct");
            Set(K.MaxSessionDuration, p.MaxSessionDuration);
        }
        else if (p.SsoEnabled)
        {
            Set(K.IdentityPoolId, p.IdentityPoolId);
            Set(K.FederationType, "cognito");
        }

        if (providerType == "cognito") SetIf(K.CognitoUserPoolId, p.CognitoUserPoolId);
        SetIf(K.SelectedModel, p.SelectedModel);
        if (providerType == "google") SetIf(K.ClientSecret, p.ClientSecret);
        SetIf(K.AzureAuthMode, p.AzureAuthMode);
        if (!string.IsNullOrWhiteSpace(p.ClientCertificatePath) && !string.IsNullOrWhiteSpace(p.ClientCertificateKeyPath))
        {
            Set(K.ClientCertificatePath, p.ClientCertificatePath);
            Set(K.ClientCertificateKeyPath, p.ClientCertificateKeyPath);
        }
        if (providerType == "generic")
        {
            SetIf(K.OidcIssuerUrl, p.OidcIssuerUrl);
            SetIf(K.OidcAuthorizationEndpoint, p.OidcAuthorizationEndpoint);
            SetIf(K.OidcTokenEndpoint, p.OidcTokenEndpoint);
            SetIf(K.OidcJwksUri, p.OidcJwksUri);
            SetIf(K.OidcThumbprint, p.OidcThumbprint);
        }
        if (p.RedirectPort is { } port) Set(K.RedirectPort, port);
        if (!string.IsNullOrWhiteSpace(p.QuotaApiEndpoint))
        {
            Set(K.QuotaApiEndpoint, p.QuotaApiEndpoint);
            Set(K.QuotaFailMode, p.QuotaFailMode);
            Set(K.QuotaCheckInterval, p.QuotaCheckInterval);
        }
        return c;
    }
}
