using System.Text;
using Ccwb.Http.Tls;

namespace Ccwb.Http;

/// <summary>
/// Sends one HTTP/1.1 request per connection (<c>Connection: close</c>): the helper makes a handful of calls per
/// sign-in, so pooling would only add code. Follows redirects of GET requests (never from https to http), honours the
/// proxy environment variables, and gives every request one overall time limit.
/// </summary>
/// <param name="trust">The certificate authorities https servers must chain to (see <see cref="TrustedAuthorities"/>).</param>
public sealed class HttpTransport(ProxySelector proxies, string userAgent, TrustedAuthorities trust)
{
    public const int MaxRedirects = 5;
    public const int MaxResponseBytes = 8 * 1024 * 1024;

    /// <param name="caBundle">
    /// A PEM file of the certificate authorities to trust instead of the system's (for example behind a TLS-inspecting
    /// proxy); null for the system store.
    /// </param>
    public HttpTransport(ProxySelector proxies, string userAgent, string? caBundle = null)
        : this(proxies, userAgent, TrustedAuthorities.FromBundle(caBundle)) { }

    /// <summary>Proxies and trusted authorities as the environment sets them (the variables the AWS CLI reads).</summary>
    public static HttpTransport FromEnvironment(Func<string, string?> environment, string userAgent) =>
        new(new ProxySelector(environment), userAgent, TrustedAuthorities.FromEnvironment(environment));

    /// <exception cref="HttpTransportException">No HTTP response: connection, TLS, proxy, time-out or malformed answer.</exception>
    public HttpResponse Send(HttpRequest request, TimeSpan timeout)
    {
        var deadline = new Deadline(timeout);
        var current = request;
        for (var redirects = 0; ; redirects++)
        {
            var response = SendOnce(current, deadline);
            if (current.Method != "GET" || response.StatusCode is not (301 or 302 or 303 or 307 or 308) ||
                response.Header("Location") is not { Length: > 0 } location)
                return response;
            if (redirects == MaxRedirects) throw new HttpTransportException($"{request.Url} redirected more than {MaxRedirects} times.");
            if (!Uri.TryCreate(current.Url, location, out var next) || !(next.Scheme == "https" || (next.Scheme == "http" && current.Url.Scheme == "http")))
                throw new HttpTransportException($"{current.Url} redirected to '{TerminalText.Clean(location, 200)}', which is not a secure (https) URL.");
            current = current with { Url = next };
        }
    }

    private HttpResponse SendOnce(HttpRequest request, Deadline deadline)
    {
        var url = request.Url;
        if (url.Scheme is not ("http" or "https")) throw new HttpTransportException($"'{url}' is not an http or https URL.");
        var proxy = proxies.ProxyFor(url);
        using var connection = Open(url, proxy, deadline);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", HostHeader(url)),
            new("User-Agent", userAgent),
            new("Accept", "*/*"),
            new("Accept-Encoding", "identity"),
            new("Connection", "close"),
        };
        // Plain http through a proxy: the proxy gets the absolute URL and the credentials (https is tunnelled instead).
        var viaProxy = proxy is not null && url.Scheme == "http";
        if (viaProxy && ProxyAuthorization(proxy!) is { } credentials) headers.Add(new("Proxy-Authorization", credentials));
        // The absolute form is built from the ASCII host (IdnHost): Uri's own HttpRequestUrl keeps an international name in
        // Unicode, which the ASCII request head would garble.
        var target = viaProxy ? $"{url.Scheme}://{HostHeader(url)}{url.PathAndQuery}" : url.PathAndQuery;
        HttpMessage.WriteRequest(connection, request, target, headers);
        return HttpMessage.ReadResponse(connection, request.Method, MaxResponseBytes);
    }

    private Stream Open(Uri url, Uri? proxy, Deadline deadline)
    {
        var socket = SocketStream.Connect((proxy ?? url).IdnHost, (proxy ?? url).Port, deadline);
        try
        {
            if (url.Scheme == "http") return socket;
            if (proxy is not null) Tunnel(socket, url, proxy);
            return TlsStream.Connect(socket, url.IdnHost, trust, deadline);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Asks an http proxy for a tunnel to the https host (RFC 9110 §9.3.6).</summary>
    private static void Tunnel(SocketStream socket, Uri url, Uri proxy)
    {
        var authority = HostHeader(url, alwaysWithPort: true);
        var request = new StringBuilder($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
        if (ProxyAuthorization(proxy) is { } credentials) request.Append("Proxy-Authorization: ").Append(credentials).Append("\r\n");
        socket.Write(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        // Read the answer a byte at a time: what follows it belongs to the TLS handshake.
        var (status, reason, _) = HttpMessage.ReadHead(max => ReadLineUnbuffered(socket, max));
        if (status is < 200 or >= 300)
            throw new HttpTransportException($"the proxy {proxy.Host}:{proxy.Port} refused to connect to {authority}: HTTP {status} {reason}".TrimEnd() +
                                             (status == 407 ? " (the proxy needs credentials: http://user:password@host:port)." : "."));
    }

    private static string ReadLineUnbuffered(Stream stream, int maxLength)
    {
        var line = new StringBuilder();
        Span<byte> one = stackalloc byte[1];
        while (true)
        {
            if (stream.Read(one) == 0) throw new HttpTransportException("the proxy closed the connection while answering CONNECT.");
            if (one[0] == '\n') return line.ToString().TrimEnd('\r');
            if (line.Length > maxLength) throw new HttpTransportException("the proxy sent an over-long line answering CONNECT.");
            line.Append((char)one[0]);
        }
    }

    private static string? ProxyAuthorization(Uri proxy)
    {
        if (proxy.UserInfo.Length == 0) return null;
        var (user, password) = proxy.UserInfo.IndexOf(':') is var colon and >= 0
            ? (proxy.UserInfo[..colon], proxy.UserInfo[(colon + 1)..])
            : (proxy.UserInfo, "");
        var pair = Uri.UnescapeDataString(user) + ":" + Uri.UnescapeDataString(password);
        return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
    }

    private static string HostHeader(Uri url, bool alwaysWithPort = false)
    {
        var host = url.HostNameType == UriHostNameType.IPv6 ? "[" + url.IdnHost.Trim('[', ']') + "]" : url.IdnHost;
        return url.IsDefaultPort && !alwaysWithPort ? host : host + ":" + url.Port;
    }
}
