namespace Ccwb.Contract.Providers;

/// <summary>
/// Which identity provider a profile uses: an explicit known <c>provider_type</c>, else the one its domain's host
/// names (upstream's rule). The admin side and credential-process detect with this one function.
/// </summary>
public static class ProviderDetection
{
    public const string Okta = "okta";
    public const string Auth0 = "auth0";
    public const string Azure = "azure";
    public const string Cognito = "cognito";
    public const string Google = "google";
    public const string Generic = "generic";

    /// <summary>Every provider type a profile may name.</summary>
    public static IReadOnlyList<string> Known { get; } = [Okta, Auth0, Azure, Cognito, Google, Generic];

    /// <summary>The explicit type when it is a known one, else <see cref="FromDomain"/>.</summary>
    public static string? Detect(string? providerType, string? providerDomain)
    {
        var type = providerType?.Trim().ToLowerInvariant();
        return type is not null && Known.Contains(type) ? type : FromDomain(providerDomain);
    }

    /// <summary>okta, auth0, azure, cognito or google for a recognised host; null otherwise (including "none").</summary>
    public static string? FromDomain(string? providerDomain)
    {
        var host = HostOf(providerDomain);
        if (host is null) return null;
        // Suffixes are matched as whole labels, so that "evilokta.com" is not Okta.
        if (IsOrUnder(host, "okta.com") || IsOrUnder(host, "oktapreview.com") || IsOrUnder(host, "okta-emea.com")) return Okta;
        if (IsOrUnder(host, "auth0.com")) return Auth0;
        if (IsOrUnder(host, "microsoftonline.com") || IsOrUnder(host, "windows.net")) return Azure;
        if (IsOrUnder(host, "amazoncognito.com") ||
            (host.StartsWith("cognito-idp.", StringComparison.Ordinal) && IsOrUnder(host, "amazonaws.com")))
            return Cognito;
        if (host == "accounts.google.com") return Google;
        return null;
    }

    /// <summary>The lower-case host of a domain that may be written as a URL (<c>https://host:port/path</c>); null when blank.</summary>
    public static string? HostOf(string? providerDomain)
    {
        if (string.IsNullOrWhiteSpace(providerDomain)) return null;
        var value = providerDomain.Trim();
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) value = value[(scheme + 3)..];
        var end = value.IndexOfAny(['/', '?', '#', ':']);
        if (end >= 0) value = value[..end];
        value = value.ToLowerInvariant();
        return value.Length == 0 || value == "none" ? null : value;
    }

    private static bool IsOrUnder(string host, string suffix) =>
        host == suffix || host.EndsWith("." + suffix, StringComparison.Ordinal);
}
