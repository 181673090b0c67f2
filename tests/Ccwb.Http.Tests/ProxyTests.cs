using Ccwb.Testing.Tls;
using System.Net;
using System.Net.Security;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>A real HTTP proxy (npm `proxy`), open and with Basic credentials, plus the test CA.</summary>
public sealed class Proxies : IAsyncLifetime
{
    public const string User = "alice";
    public const string Password = "pa@ss w:rd";
    /// <summary>The password as written in a proxy URL (percent-encoded).</summary>
    public const string EncodedPassword = "pa%40ss%20w%3Ard";

    private readonly TestCertificateAuthorities authorities = new();
    private ProxyPeer? open;
    private ProxyPeer? guarded;

    public TestCertificateAuthorities Ca => authorities;
    public ProxyPeer Open => open!;
    public ProxyPeer Guarded => guarded!;

    public async ValueTask InitializeAsync()
    {
        open = await ProxyPeer.StartAsync();
        guarded = await ProxyPeer.StartAsync($"{User}:{Password}");
    }

    public async ValueTask DisposeAsync()
    {
        if (open is not null) await open.DisposeAsync();
        if (guarded is not null) await guarded.DisposeAsync();
        authorities.Dispose();
    }
}

/// <summary>
/// Requests through a real proxy. The proxy resolves names under .test to 127.0.0.1, so "service.test" reaches the
/// test's loopback server only through the proxy (the client cannot resolve it, and loopback URLs are never proxied).
/// </summary>
public class ProxyTests(Proxies proxies) : IClassFixture<Proxies>
{
    private const string Hello = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    private ScriptedServer TlsServer(string name = "service.test")
    {
        var leaf = IPAddress.TryParse(name, out var address)
            ? TestPki.CreateLeaf(proxies.Ca.Trusted, [], [address])
            : TestPki.CreateLeaf(proxies.Ca.Trusted, [name]);
        return ScriptedServer.Answering(Hello, new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)),
            address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? address : null);
    }

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public async Task Https_goes_through_CONNECT_to_the_TLS_server_and_the_certificate_is_still_checked_end_to_end()
    {
        using var server = TlsServer();
        var environment = Env(("https_proxy", $"http://127.0.0.1:{proxies.Open.Port}"));

        var response = Connection.Get($"https://service.test:{server.Port}/through", environment, proxies.Ca.Bundle);

        Assert.Equal("hello", response.BodyText);
        Assert.Equal($"service.test:{server.Port}", Assert.Single(server.Requests).Header("Host"));
        Assert.True(await proxies.Open.LoggedAsync($"CONNECT service.test:{server.Port}"), string.Join('\n', proxies.Open.Log));
    }

    [Fact]
    public void A_tunnel_to_a_server_whose_certificate_names_another_host_is_not_trusted()
    {
        // The proxy is not trusted either: the name checked is the one in the URL, through the tunnel.
        using var server = TlsServer("other.test");
        var environment = Env(("https_proxy", $"http://127.0.0.1:{proxies.Open.Port}"));

        var error = Assert.Throws<HttpTransportException>(() =>
            Connection.Get($"https://service.test:{server.Port}/", environment, proxies.Ca.Bundle));

        Assert.Equal("the TLS certificate of service.test is not trusted: it is not issued for service.test.", error.Message);
    }

    [Theory]
    [InlineData("*.service.test", "api.service.test", null)]
    [InlineData("*.service.test", "a.b.service.test", "refused")]  // a wildcard covers one label only
    [InlineData("ap*.service.test", "api.service.test", "refused")] // partial-label wildcards are refused
    [InlineData("api.*.test", "api.service.test", "refused")]       // a wildcard only in the leftmost label
    [InlineData("*.test", "service.test", "refused")]               // no wildcard across a whole top-level domain
    public void Wildcard_certificates_match_one_whole_leftmost_label(string certificateName, string host, string? refusal)
    {
        // Through the proxy because only it resolves these names (to the loopback server).
        using var server = TlsServer(certificateName);
        var environment = Env(("https_proxy", $"http://127.0.0.1:{proxies.Open.Port}"));
        var url = $"https://{host}:{server.Port}/";

        if (refusal is null)
        {
            Assert.Equal("hello", Connection.Get(url, environment, proxies.Ca.Bundle).BodyText);
            return;
        }
        var error = Assert.Throws<HttpTransportException>(() => Connection.Get(url, environment, proxies.Ca.Bundle));
        Assert.Equal($"the TLS certificate of {host} is not trusted: it is not issued for {host}.", error.Message);
    }

    [Fact]
    public async Task Plain_http_goes_to_the_proxy_in_absolute_form()
    {
        using var server = ScriptedServer.Answering(Hello);
        var environment = Env(("http_proxy", $"http://127.0.0.1:{proxies.Open.Port}"));

        var response = Connection.Get($"http://service.test:{server.Port}/plain?x=1", environment);

        Assert.Equal("hello", response.BodyText);
        Assert.True(await proxies.Open.LoggedAsync($"GET http://service.test:{server.Port}/plain?x=1"), string.Join('\n', proxies.Open.Log));
        Assert.Equal("GET /plain?x=1 HTTP/1.1", Assert.Single(server.Requests).RequestLine);
    }

    [Fact]
    public async Task Credentials_in_the_proxy_URL_are_sent_for_CONNECT()
    {
        using var server = TlsServer();
        var environment = Env(("HTTPS_PROXY", $"http://{Proxies.User}:{Proxies.EncodedPassword}@127.0.0.1:{proxies.Guarded.Port}"));

        var response = Connection.Get($"https://service.test:{server.Port}/", environment, proxies.Ca.Bundle);

        Assert.Equal("hello", response.BodyText);
        Assert.True(await proxies.Guarded.LoggedAsync($"CONNECT service.test:{server.Port}"));
        Assert.True(await proxies.Guarded.LoggedAsync("AUTH ok"));
        Assert.Null(Assert.Single(server.Requests).Header("Proxy-Authorization")); // never inside the tunnel
    }

    [Fact]
    public async Task Credentials_in_the_proxy_URL_are_sent_for_plain_http()
    {
        using var server = ScriptedServer.Answering(Hello);
        var environment = Env(("http_proxy", $"http://{Proxies.User}:{Proxies.EncodedPassword}@127.0.0.1:{proxies.Guarded.Port}"));

        var response = Connection.Get($"http://service.test:{server.Port}/", environment);

        Assert.Equal("hello", response.BodyText);
        Assert.True(await proxies.Guarded.LoggedAsync($"GET http://service.test:{server.Port}/"));
    }

    [Fact]
    public void Without_credentials_a_CONNECT_refused_with_407_says_credentials_are_needed()
    {
        using var server = TlsServer();
        var environment = Env(("https_proxy", $"http://127.0.0.1:{proxies.Guarded.Port}"));

        var error = Assert.Throws<HttpTransportException>(() =>
            Connection.Get($"https://service.test:{server.Port}/", environment, proxies.Ca.Bundle));

        Assert.Equal($"the proxy 127.0.0.1:{proxies.Guarded.Port} refused to connect to service.test:{server.Port}: " +
                     "HTTP 407 Proxy Authentication Required (the proxy needs credentials: http://user:password@host:port).", error.Message);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public void Without_credentials_plain_http_gets_the_407_answer()
    {
        using var server = ScriptedServer.Answering(Hello);
        var environment = Env(("http_proxy", $"http://127.0.0.1:{proxies.Guarded.Port}"));

        var response = Connection.Get($"http://service.test:{server.Port}/", environment);

        Assert.Equal(407, response.StatusCode);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public void The_password_never_appears_in_an_error_message()
    {
        using var server = TlsServer();
        using var closed = Connection.ClosedPort(out var closedPort);
        using var silent = new ScriptedServer((_, cancel) => Task.Delay(Timeout.Infinite, cancel));
        const string Secret = "S3cr3t-Pa55";
        var target = new Uri($"https://service.test:{server.Port}/");
        string[] proxyUrls =
        [
            $"http://{Proxies.User}:{Secret}@127.0.0.1:{proxies.Guarded.Port}",  // wrong password: 407
            $"http://{Proxies.User}:{Secret}@127.0.0.1:{closedPort}",             // proxy not running
            $"http://{Proxies.User}:{Secret}@127.0.0.1:{silent.Port}",            // proxy never answers
            $"https://{Proxies.User}:{Secret}@127.0.0.1:{proxies.Guarded.Port}",  // unsupported scheme
            $"socks5://{Proxies.User}:{Secret}@127.0.0.1:1080",
            $"http://{Proxies.User}:{Secret}@127.0.0.1:notaport",                 // not a URL
            $"http://{Proxies.User}:{Secret}@",
        ];

        foreach (var proxyUrl in proxyUrls)
        {
            var transport = Connection.Transport(Env(("https_proxy", proxyUrl)), proxies.Ca.Bundle);
            var error = Assert.ThrowsAny<HttpTransportException>(() => transport.Send(HttpRequest.Get(target), TimeSpan.FromSeconds(2)));
            Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret[2..], error.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("service.test")]       // exact
    [InlineData("test")]               // suffix
    [InlineData(".test")]              // leading dot
    [InlineData("*")]
    [InlineData("service.test:PORT")]  // with port
    public async Task no_proxy_entries_send_the_request_direct_and_the_proxy_sees_nothing(string entry)
    {
        // Direct, the client must resolve service.test itself, which it cannot: the error proves the proxy was bypassed.
        using var server = TlsServer();
        var environment = Env(("https_proxy", $"http://127.0.0.1:{proxies.Open.Port}"),
            ("no_proxy", "other.example," + entry.Replace("PORT", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://service.test:{server.Port}/", environment, proxies.Ca.Bundle));

        Assert.StartsWith($"cannot connect to service.test:{server.Port}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"CONNECT service.test:{server.Port}", await proxies.Open.LogSoFarAsync());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Loopback_URLs_never_use_the_proxy_even_a_broken_one(string host)
    {
        using var server = TlsServer(host);
        using var closed = Connection.ClosedPort(out var closedPort);
        var environment = Env(("https_proxy", $"http://127.0.0.1:{closedPort}"), ("all_proxy", $"http://127.0.0.1:{closedPort}"));

        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

        var response = Connection.Get($"https://{authority}:{server.Port}/", environment, proxies.Ca.Bundle);

        Assert.Equal("hello", response.BodyText);
    }

    [Fact]
    public void A_socks5_proxy_URL_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<HttpTransportException>(() =>
            Connection.Get("https://service.test/", Env(("https_proxy", "socks5://127.0.0.1:1080"))));

        Assert.Equal("the proxy in https_proxy uses 'socks5://'; only http:// proxies are supported " +
                     "(https URLs still go through them encrypted, by CONNECT).", error.Message);
    }

    [Fact]
    public void An_https_proxy_URL_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<HttpTransportException>(() =>
            Connection.Get("http://service.test/", Env(("HTTP_PROXY", $"https://127.0.0.1:{proxies.Open.Port}"))));

        Assert.Equal("the proxy in HTTP_PROXY uses 'https://'; only http:// proxies are supported " +
                     "(https URLs still go through them encrypted, by CONNECT).", error.Message);
    }

    [Fact]
    public void A_proxy_that_closes_while_answering_CONNECT_gives_a_clean_error()
    {
        using var fakeProxy = new ScriptedServer(async (stream, cancel) =>
        {
            await ReceivedRequest.ReadAsync(stream, cancel);
            await stream.WriteAsync("HTTP/1.1 200 Connection est"u8.ToArray(), cancel);
        });
        var environment = Env(("https_proxy", $"http://127.0.0.1:{fakeProxy.Port}"));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get("https://service.test:443/", environment, proxies.Ca.Bundle));

        Assert.Equal("the proxy closed the connection while answering CONNECT.", error.Message);
    }

    [Fact]
    public void A_proxy_refusal_shows_no_control_characters_from_the_proxy()
    {
        using var fakeProxy = ScriptedServer.Answering("HTTP/1.1 403 Blocked\u001b[31m by policy\r\nContent-Length: 0\r\n\r\n");
        var environment = Env(("https_proxy", $"http://127.0.0.1:{fakeProxy.Port}"));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get("https://service.test:443/", environment, proxies.Ca.Bundle));

        Assert.Equal($"the proxy 127.0.0.1:{fakeProxy.Port} refused to connect to service.test:443: HTTP 403 Blocked[31m by policy.", error.Message);
    }

    [Theory]
    [InlineData("https://[2001:db8::1]/", "[2001:db8::1]:443")]
    [InlineData("https://[2001:db8::1]:8443/", "[2001:db8::1]:8443")]
    [InlineData("https://bücher.example/", "xn--bcher-kva.example:443")]
    public void The_CONNECT_authority_brackets_IPv6_and_uses_the_ASCII_form_of_international_names(string url, string authority)
    {
        using var fakeProxy = ScriptedServer.Answering("HTTP/1.1 403 Forbidden\r\n\r\n");
        var environment = Env(("https_proxy", $"http://127.0.0.1:{fakeProxy.Port}"));

        Assert.Throws<HttpTransportException>(() => Connection.Get(url, environment, proxies.Ca.Bundle));

        Assert.Equal($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n", Assert.Single(fakeProxy.Requests).Raw);
    }

    [Fact]
    public void The_CONNECT_request_names_the_authority_with_its_port_and_carries_the_credentials()
    {
        using var fakeProxy = ScriptedServer.Answering("HTTP/1.1 403 Forbidden\r\n\r\n");
        var environment = Env(("https_proxy", $"http://{Proxies.User}:{Proxies.EncodedPassword}@127.0.0.1:{fakeProxy.Port}"));

        Assert.Throws<HttpTransportException>(() => Connection.Get("https://sts.amazonaws.com/", environment, proxies.Ca.Bundle));

        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Proxies.User}:{Proxies.Password}"));
        Assert.Equal("CONNECT sts.amazonaws.com:443 HTTP/1.1\r\n" +
                     "Host: sts.amazonaws.com:443\r\n" +
                     $"Proxy-Authorization: Basic {basic}\r\n" +
                     "\r\n", Assert.Single(fakeProxy.Requests).Raw);
    }
}
