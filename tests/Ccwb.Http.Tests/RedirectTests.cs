using Ccwb.Testing.Tls;
using System.Net.Security;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>Redirects: GET follows them (a bounded number, never from https to http); POST never does.</summary>
public class RedirectTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    private static string Redirect(int status, string location) =>
        $"HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n";

    private const string Arrived = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\narrived";

    /// <summary>A server whose /hop/N redirects to /hop/N+1 until <paramref name="hops"/>, which answers 200.</summary>
    private static ScriptedServer Chain(int hops, int status = 302) => ScriptedServer.Answering(request =>
    {
        var n = int.Parse(request.Path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        return System.Text.Encoding.ASCII.GetBytes(n < hops ? Redirect(status, $"/hop/{n + 1}") : Arrived);
    });

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public void A_GET_follows_each_redirect_status(int status)
    {
        using var server = Chain(1, status);

        var response = Connection.Get($"http://127.0.0.1:{server.Port}/hop/0");

        Assert.Equal("arrived", response.BodyText);
        Assert.Equal(["GET /hop/0 HTTP/1.1", "GET /hop/1 HTTP/1.1"], server.Requests.Select(r => r.RequestLine));
    }

    [Fact]
    public void A_GET_follows_up_to_MaxRedirects()
    {
        using var server = Chain(HttpTransport.MaxRedirects);

        var response = Connection.Get($"http://127.0.0.1:{server.Port}/hop/0");

        Assert.Equal("arrived", response.BodyText);
        Assert.Equal(HttpTransport.MaxRedirects + 1, server.Requests.Count);
    }

    [Fact]
    public void One_redirect_more_than_MaxRedirects_fails_without_a_further_request()
    {
        using var server = Chain(HttpTransport.MaxRedirects + 1);
        var url = $"http://127.0.0.1:{server.Port}/hop/0";

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get(url));

        Assert.Equal($"{url} redirected more than {HttpTransport.MaxRedirects} times.", error.Message);
        Assert.Equal(HttpTransport.MaxRedirects + 1, server.Requests.Count);
    }

    [Fact]
    public void The_time_limit_covers_the_whole_redirect_chain()
    {
        // Each hop answers well within the limit; together they exceed it.
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            await ReceivedRequest.ReadAsync(stream, cancel);
            await Task.Delay(150, cancel);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Redirect(302, "/next")), cancel);
        });

        Assert.Throws<HttpTimeoutException>(() =>
            Connection.Transport().Send(HttpRequest.Get(new Uri($"http://127.0.0.1:{server.Port}/")), TimeSpan.FromMilliseconds(400)));
    }

    [Fact]
    public void A_redirect_loop_fails()
    {
        using var server = ScriptedServer.Answering(Redirect(302, "/loop"));
        var url = $"http://127.0.0.1:{server.Port}/loop";

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get(url));

        Assert.Equal($"{url} redirected more than {HttpTransport.MaxRedirects} times.", error.Message);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    public void A_POST_is_not_redirected_and_the_caller_gets_the_redirect(int status)
    {
        using var server = ScriptedServer.Answering(Redirect(status, "/elsewhere"));

        var response = Connection.Transport().Send(
            HttpRequest.PostForm(new Uri($"http://127.0.0.1:{server.Port}/token"), [new("code", "secret-code")]), Connection.Timeout);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("/elsewhere", response.Header("Location"));
        Assert.Equal("POST /token HTTP/1.1", Assert.Single(server.Requests).RequestLine);
    }

    [Fact]
    public void A_redirect_without_Location_is_returned_as_is()
    {
        using var server = ScriptedServer.Answering("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n");

        var response = Connection.Get($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(302, response.StatusCode);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("/a/b/c", "../d?x=1", "/a/d?x=1")]
    [InlineData("/a/b/c", "sibling", "/a/b/sibling")]
    [InlineData("/a/b/c", "/root", "/root")]
    [InlineData("/a/b/c?old=1", "?new=2", "/a/b/c?new=2")]
    public void A_relative_Location_is_resolved_against_the_current_URL(string from, string location, string expected)
    {
        using var server = ScriptedServer.Answering(request =>
            System.Text.Encoding.ASCII.GetBytes(request.Path == from ? Redirect(301, location) : Arrived));

        var response = Connection.Get($"http://127.0.0.1:{server.Port}{from}");

        Assert.Equal("arrived", response.BodyText);
        Assert.Equal($"GET {expected} HTTP/1.1", server.Requests.Last().RequestLine);
    }

    [Fact]
    public void A_redirect_may_go_to_another_host()
    {
        using var target = ScriptedServer.Answering(Arrived);
        using var origin = ScriptedServer.Answering(Redirect(302, $"http://localhost:{target.Port}/there"));

        var response = Connection.Get($"http://127.0.0.1:{origin.Port}/");

        Assert.Equal("arrived", response.BodyText);
        Assert.Equal($"localhost:{target.Port}", Assert.Single(target.Requests).Header("Host"));
    }

    [Fact]
    public void A_redirect_from_https_to_http_is_refused_and_the_http_server_gets_nothing()
    {
        using var plain = ScriptedServer.Answering(Arrived);
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        var location = $"http://127.0.0.1:{plain.Port}/insecure";
        using var secure = ScriptedServer.Answering(Redirect(301, location),
            new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)));
        var url = $"https://localhost:{secure.Port}/start";

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get(url, caBundle: ca.Bundle));

        Assert.Equal($"{url} redirected to '{location}', which is not a secure (https) URL.", error.Message);
        Assert.Equal(0, plain.Connections);
    }

    [Fact]
    public void A_redirect_from_http_to_https_is_followed()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var secure = ScriptedServer.Answering(Arrived, new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)));
        using var plain = ScriptedServer.Answering(Redirect(308, $"https://localhost:{secure.Port}/secure"));

        var response = Connection.Get($"http://127.0.0.1:{plain.Port}/", caBundle: ca.Bundle);

        Assert.Equal("arrived", response.BodyText);
        Assert.Equal("GET /secure HTTP/1.1", Assert.Single(secure.Requests).RequestLine);
    }

    [Fact]
    public void A_refused_Location_is_shown_without_control_characters()
    {
        // OSC retitle ended by BEL, a colour, a carriage return that would overwrite the line, C1 CSI (0x9B in Latin-1).
        using var server = ScriptedServer.Answering(Redirect(302, "ftp://x/\u001b]0;owned\u0007\u001b[31mred\rforged\u009b2J"));
        var url = $"http://127.0.0.1:{server.Port}/";

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get(url));

        Assert.Equal($"{url} redirected to 'ftp://x/]0;owned[31mredforged2J', which is not a secure (https) URL.", error.Message);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("file:///etc/passwd")]
    public void A_redirect_to_another_scheme_is_refused(string location)
    {
        using var server = ScriptedServer.Answering(Redirect(302, location));
        var url = $"http://127.0.0.1:{server.Port}/";

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get(url));

        Assert.Equal($"{url} redirected to '{location}', which is not a secure (https) URL.", error.Message);
    }
}
