using Ccwb.Contract.Providers;

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
    /// <summary>The provider <see cref="ProviderDetection"/> names, as the sign-in flow's kind.</summary>
    public static ProviderKind Detect(string providerType, string providerDomain) =>
        ProviderDetection.Detect(providerType, providerDomain) switch
        {
            ProviderDetection.Okta => ProviderKind.Okta,
            ProviderDetection.Auth0 => ProviderKind.Auth0,
            ProviderDetection.Azure => ProviderKind.Azure,
            ProviderDetection.Cognito => ProviderKind.Cognito,
            ProviderDetection.Google => ProviderKind.Google,
            ProviderDetection.Generic => ProviderKind.Generic,
            _ => ProviderKind.Unknown,
        };

    public static string UnknownProviderMessage(string domain) =>
        $"Unable to auto-detect provider type for domain '{domain}'.\n" +
        "Known providers: Okta, Auth0, Microsoft/Azure, AWS Cognito User Pool, Generic OIDC.\n" +
        "Set provider_type to \"generic\" in config.json for custom OIDC providers.";
}
