using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>The issuer the auth stack trusts for a profile, for callers outside planning (ccwb init's discovery check).</summary>
public static class ProviderIssuers
{
    /// <summary>Exactly the <c>iss</c> claim of the provider's id tokens, or null when the profile cannot name one yet.</summary>
    public static string? Of(DeploymentProfile profile)
    {
        var errors = new InputErrors([]);
        var provider = IdentityProviders.Resolve(profile, errors);
        return errors.Any || provider is null || provider.IssuerUrl.Length == 0 ? null : provider.IssuerUrl;
    }
}
