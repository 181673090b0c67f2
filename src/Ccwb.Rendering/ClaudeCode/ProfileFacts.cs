using Ccwb.Profiles;

namespace Ccwb.Rendering.ClaudeCode;

/// <summary>Decisions about a profile that several files share.</summary>
public static class ProfileFacts
{
    /// <summary>
    /// IAM Identity Center without a quota API: users sign in with <c>aws sso login</c> and no helper binary ships.
    /// </summary>
    public static bool IsIdcZeroBinary(DeploymentProfile profile) =>
        profile.EffectiveAuthType == "idc" && string.IsNullOrWhiteSpace(profile.QuotaApiEndpoint);

    public static bool IsIdc(DeploymentProfile profile) => profile.EffectiveAuthType == "idc";

    /// <summary>The cross-region profile as stored, "us" when unset (upstream's default).</summary>
    public static string CrossRegionProfile(DeploymentProfile profile) =>
        string.IsNullOrWhiteSpace(profile.CrossRegionProfile) ? "us" : profile.CrossRegionProfile;

    /// <summary>
    /// The identity provider family: the profile's value, else recognised from the provider's host name, "auto" for
    /// an unknown host and "oidc" when there is no domain.
    /// </summary>
    public static string ProviderType(DeploymentProfile profile)
    {
        if (!string.IsNullOrWhiteSpace(profile.ProviderType)) return profile.ProviderType;
        var domain = profile.ProviderDomain.Trim();
        if (domain.Length == 0) return "oidc";
        var host = (Uri.TryCreate(domain.Contains("://", StringComparison.Ordinal) ? domain : "https://" + domain,
            UriKind.Absolute, out var uri) ? uri.Host : domain).ToLowerInvariant();
        bool Under(string suffix) => host == suffix || host.EndsWith("." + suffix, StringComparison.Ordinal);
        if (Under("okta.com") || Under("oktapreview.com") || Under("okta-emea.com")) return "okta";
        if (Under("auth0.com")) return "auth0";
        if (Under("microsoftonline.com") || Under("windows.net")) return "azure";
        if (Under("amazoncognito.com") || (host.StartsWith("cognito-idp.", StringComparison.Ordinal) && Under("amazonaws.com")))
            return "cognito";
        return "auto";
    }
}
