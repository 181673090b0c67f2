using System.Text.RegularExpressions;
using Ccwb.Bedrock;
using Ccwb.Contract.Providers;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>What the auth template needs to know about the identity provider.</summary>
/// <param name="IssuerUrl">Exactly the <c>iss</c> claim of the provider's id tokens.</param>
/// <param name="Thumbprint">40 lowercase hex, or empty to let IAM trust the issuer through its CA library.</param>
/// <param name="CognitoUserPoolId">Set for Cognito user pools, which identity pools federate natively.</param>
/// <param name="JwksUrl">Where the issuer publishes its signing keys; empty for a generic provider without <c>oidc_jwks_uri</c>.</param>
internal sealed record IdentityProvider(string IssuerUrl, string ClientId, string Thumbprint, string CognitoUserPoolId, string JwksUrl);

/// <summary>
/// Per-provider transforms from profile values to issuer URLs and client ids. The client id shapes are profile rules
/// (Ccwb.Profiles.Validation.AuthenticationRules, run first by the planner); the errors here are for values the
/// transform itself cannot use.
/// </summary>
internal static partial class IdentityProviders
{
    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,}$")]
    private static partial Regex HostName();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)_[0-9a-zA-Z]+$")]
    private static partial Regex CognitoPoolId();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Thumbprint();

    public static IdentityProvider? Resolve(DeploymentProfile profile, InputErrors errors)
    {
        var type = profile.ProviderType;
        var clientId = profile.ClientId.Trim();
        switch (type)
        {
            case "okta":
            {
                var host = Host(profile, errors);
                var server = profile.OktaAuthServer.Trim().Trim('/');
                if (host is null) return null;
                // The org authorization server publishes its keys under /oauth2/v1, a custom one under /oauth2/<id>/v1.
                return server.Length == 0
                    ? new($"https://{host}", clientId, "", "", $"https://{host}/oauth2/v1/keys")
                    : new($"https://{host}/oauth2/{server}", clientId, "", "", $"https://{host}/oauth2/{server}/v1/keys");
            }
            case "auth0":
            {
                var host = Host(profile, errors);
                // Auth0's iss claim ends with '/'; the IAM provider URL must equal it.
                return host is null ? null : new($"https://{host}/", clientId, "", "", $"https://{host}/.well-known/jwks.json");
            }
            case "azure":
            {
                var tenant = Guid().Match(profile.ProviderDomain);
                if (!tenant.Success)
                    errors.Add("provider_domain", $"'{profile.ProviderDomain}' holds no tenant id (a GUID) for Microsoft Entra ID");
                var tenantId = tenant.Value.ToLowerInvariant();
                return tenant.Success
                    ? new($"https://login.microsoftonline.com/{tenantId}/v2.0", clientId, "", "", $"https://login.microsoftonline.com/{tenantId}/discovery/v2.0/keys")
                    : null;
            }
            case "cognito":
            {
                var poolId = profile.CognitoUserPoolId?.Trim() ?? "";
                var match = CognitoPoolId().Match(poolId);
                if (!match.Success)
                {
                    errors.Add("cognito_user_pool_id", poolId.Length == 0
                        ? "is required for a Cognito user pool"
                        : $"'{poolId}' is not a user pool id (<region>_<id>, e.g. us-east-1_AbC123)");
                    return null;
                }
                var poolRegion = match.Groups[1].Value;
                if (!AwsRegions.IsKnown(poolRegion))
                {
                    errors.Add("cognito_user_pool_id", $"'{poolId}' names region {poolRegion}, which is not an AWS region");
                    return null;
                }
                if (!AwsPartitions.SamePartition(poolRegion, profile.AwsRegion))
                    errors.Add("cognito_user_pool_id", $"the pool is in {AwsPartitions.ForRegion(poolRegion)}, the deployment region " +
                                                       $"{profile.AwsRegion} in {AwsPartitions.ForRegion(profile.AwsRegion)}");
                // The issuer names the pool's region, which need not be the deployment region.
                var dns = AwsPartitions.ForRegion(poolRegion).DnsSuffix;
                var issuer = $"https://cognito-idp.{poolRegion}.{dns}/{poolId}";
                return new(issuer, clientId, "", poolId, issuer + "/.well-known/jwks.json");
            }
            case "google":
                return new("https://accounts.google.com", clientId, "", "", "https://www.googleapis.com/oauth2/v3/certs");
            case "generic":
            {
                var issuer = profile.OidcIssuerUrl?.Trim().TrimEnd('/') ?? "";
                if (!issuer.StartsWith("https://", StringComparison.Ordinal) || !Uri.TryCreate(issuer, UriKind.Absolute, out _))
                    errors.Add("oidc_issuer_url", issuer.Length == 0 ? "is required for a generic OIDC provider" : $"'{issuer}' is not an https URL");
                var thumbprint = (profile.OidcThumbprint ?? "").Replace(":", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
                if (thumbprint.Length > 0 && !Thumbprint().IsMatch(thumbprint))
                    errors.Add("oidc_thumbprint", "must be 40 hex characters (a SHA-1 fingerprint; colons allowed)");
                var jwks = profile.OidcJwksUri?.Trim() ?? "";
                return new(issuer, clientId, thumbprint, "", jwks);
            }
            default:
                errors.Add("provider_type", type is null
                    ? $"is not set and could not be told from provider_domain; set one of {string.Join(", ", ProviderDetection.Known)}"
                    : $"'{type}' is not one of {string.Join(", ", ProviderDetection.Known)}");
                return null;
        }
    }

    private static string? Host(DeploymentProfile profile, InputErrors errors)
    {
        var host = profile.ProviderDomain.Trim();
        foreach (var scheme in (string[])["https://", "http://"])
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) host = host[scheme.Length..];
        host = host.TrimEnd('/');
        if (HostName().IsMatch(host)) return host.ToLowerInvariant();
        errors.Add("provider_domain", host.Length == 0 ? "is required" : $"'{profile.ProviderDomain}' is not a host name (e.g. example.okta.com)");
        return null;
    }
}
