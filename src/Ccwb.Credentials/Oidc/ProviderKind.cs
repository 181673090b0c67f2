namespace Ccwb.Credentials.Oidc;

public enum ProviderKind
{
    Unknown,
    Okta,
    Auth0,
    Azure,
    Cognito,
    Google,
    Generic,
}

/// <summary>Which identity provider a profile uses: an explicit known <c>provider_type</c>, else its domain's host.</summary>
public static class ProviderDetector
{
    public static ProviderKind Detect(string providerType, string providerDomain)
    {
        var explicitKind = providerType.ToLowerInvariant() switch
        {
            "okta" => ProviderKind.Okta,
            "auth0" => ProviderKind.Auth0,
            "azure" => ProviderKind.Azure,
            "cognito" => ProviderKind.Cognito,
            "google" => ProviderKind.Google,
            "generic" => ProviderKind.Generic,
            _ => ProviderKind.Unknown,
        };
        return explicitKind != ProviderKind.Unknown ? explicitKind : DetectFromDomain(providerDomain);
    }

    public static ProviderKind DetectFromDomain(string providerDomain)
    {
        if (string.IsNullOrWhiteSpace(providerDomain)) return ProviderKind.Unknown;
        var withScheme = providerDomain.Contains("://", StringComparison.Ordinal) ? providerDomain : "https://" + providerDomain;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri)) return ProviderKind.Unknown;
        var host = uri.Host.ToLowerInvariant();
        // Suffixes are matched with their leading dot so that "evilokta.com" is not Okta.
        if (IsOrEndsWith(host, "okta.com") || IsOrEndsWith(host, "oktapreview.com") || IsOrEndsWith(host, "okta-emea.com")) return ProviderKind.Okta;
        if (IsOrEndsWith(host, "auth0.com")) return ProviderKind.Auth0;
        if (IsOrEndsWith(host, "microsoftonline.com") || IsOrEndsWith(host, "windows.net")) return ProviderKind.Azure;
        if (IsOrEndsWith(host, "amazoncognito.com") ||
            (host.StartsWith("cognito-idp.", StringComparison.Ordinal) && host.Contains(".amazonaws.com", StringComparison.Ordinal)))
            return ProviderKind.Cognito;
        if (host == "accounts.google.com") return ProviderKind.Google;
        return ProviderKind.Unknown;
    }

    private static bool IsOrEndsWith(string host, string suffix) =>
        host == suffix || host.EndsWith("." + suffix, StringComparison.Ordinal);

    public static string UnknownProviderMessage(string domain) =>
        $"Unable to auto-detect provider type for domain '{domain}'.\n" +
        "Known providers: Okta, Auth0, Microsoft/Azure, AWS Cognito User Pool, Generic OIDC.\n" +
        "Set provider_type to \"generic\" in config.json for custom OIDC providers.";
}
