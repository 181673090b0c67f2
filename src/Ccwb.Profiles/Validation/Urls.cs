namespace Ccwb.Profiles.Validation;

internal static class Urls
{
    /// <summary>An absolute https URL with a host.</summary>
    public static bool IsHttps(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0;

    /// <summary>An absolute http or https URL with a host.</summary>
    public static bool IsHttpOrHttps(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        uri.Host.Length > 0;

    /// <summary>True for a DNS name, also when written as a URL (scheme and path are allowed, as upstream allows).</summary>
    public static bool IsDomain(string value)
    {
        var host = value.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var end = host.IndexOf('/', StringComparison.Ordinal);
        if (end >= 0) host = host[..end];
        return host.Length is > 0 and <= 253 && Patterns.Hostname().IsMatch(host);
    }
}
