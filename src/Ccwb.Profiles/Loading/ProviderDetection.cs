namespace Ccwb.Profiles.Loading;

/// <summary>Identity provider type guessed from the provider domain's host name, as upstream detects it.</summary>
public static class ProviderDetection
{
    /// <summary>okta, auth0, azure, cognito or google for a recognised host; null otherwise (including "none").</summary>
    public static string? FromDomain(string? providerDomain)
    {
        var host = HostOf(providerDomain);
        if (host is null) return null;

        if (EndsWithLabel(host, "okta.com") || EndsWithLabel(host, "oktapreview.com") || EndsWithLabel(host, "okta-emea.com"))
            return "okta";
        if (EndsWithLabel(host, "auth0.com")) return "auth0";
        if (EndsWithLabel(host, "microsoftonline.com") || EndsWithLabel(host, "windows.net")) return "azure";
        if (EndsWithLabel(host, "amazoncognito.com") ||
            (host.StartsWith("cognito-idp.", StringComparison.Ordinal) && EndsWithLabel(host, "amazonaws.com")))
            return "cognito";
        if (host == "accounts.google.com") return "google";
        return null;
    }

    /// <summary>The lowercase host of a domain that may be written as a URL (<c>https://host/path</c>).</summary>
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

    private static bool EndsWithLabel(string host, string suffix) =>
        host == suffix || host.EndsWith("." + suffix, StringComparison.Ordinal);
}
