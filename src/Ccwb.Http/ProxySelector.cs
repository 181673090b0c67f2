using System.Net;

namespace Ccwb.Http;

/// <summary>
/// The proxy for a URL, from the environment variables curl, the AWS CLI and HttpClient read: <c>https_proxy</c> /
/// <c>HTTPS_PROXY</c> for https URLs, <c>http_proxy</c> / <c>HTTP_PROXY</c> for http URLs, <c>all_proxy</c> /
/// <c>ALL_PROXY</c> as fallback, and <c>no_proxy</c> / <c>NO_PROXY</c> (comma-separated hosts, domain suffixes with
/// or without a leading dot, IP addresses, or <c>*</c>). Loopback hosts never go through a proxy.
/// </summary>
public sealed class ProxySelector(Func<string, string?> environment)
{
    public static ProxySelector FromProcessEnvironment() => new(Environment.GetEnvironmentVariable);

    /// <summary>The proxy to use for <paramref name="url"/>, or null for a direct connection.</summary>
    /// <exception cref="HttpTransportException">The proxy variable is set but unusable.</exception>
    public Uri? ProxyFor(Uri url)
    {
        if (IsLoopback(url.IdnHost) || IsBypassed(url.IdnHost)) return null;
        var (name, value) = url.Scheme == "https"
            ? First("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
            : First("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY");
        if (value is null) return null;
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var proxy) || proxy.Host.Length == 0)
            throw new HttpTransportException($"the proxy in {name} ('{Redact(value)}') is not a URL such as http://proxy.example.com:3128.");
        if (proxy.Scheme != "http")
            throw new HttpTransportException($"the proxy in {name} uses '{proxy.Scheme}://'; only http:// proxies are supported " +
                                             "(https URLs still go through them encrypted, by CONNECT).");
        return proxy;
    }

    private (string? Name, string? Value) First(params string[] names)
    {
        foreach (var name in names)
        {
            var value = environment(name)?.Trim();
            if (!string.IsNullOrEmpty(value)) return (name, value);
        }
        return (null, null);
    }

    private bool IsBypassed(string host)
    {
        var list = environment("no_proxy") ?? environment("NO_PROXY");
        if (string.IsNullOrWhiteSpace(list)) return false;
        host = host.Trim('[', ']');
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "*") return true;
            var entry = StripPort(raw).TrimStart('*').TrimStart('.');
            if (entry.Length == 0) continue;
            if (host.Equals(entry, StringComparison.OrdinalIgnoreCase) ||
                host.EndsWith("." + entry, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string StripPort(string entry)
    {
        if (entry.StartsWith('[')) return entry.Split(']')[0].TrimStart('[');
        var colon = entry.LastIndexOf(':');
        return colon > 0 && entry.IndexOf(':') == colon ? entry[..colon] : entry;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Proxy URLs may carry a password; messages show them without it.</summary>
    internal static string Redact(string proxy)
    {
        var at = proxy.LastIndexOf('@');
        if (at < 0) return proxy;
        var scheme = proxy.IndexOf("://", StringComparison.Ordinal);
        return (scheme >= 0 && scheme < at ? proxy[..(scheme + 3)] : "") + "***@" + proxy[(at + 1)..];
    }
}
