using System.Net;
using System.Text;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>The exact bytes the client sends: request line, headers, Host forms and form-encoded bodies.</summary>
public class RequestTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    private static ReceivedRequest Capture(HttpRequest request, ScriptedServer server, IReadOnlyDictionary<string, string>? environment = null)
    {
        Connection.Transport(environment).Send(request, Connection.Timeout);
        return Assert.Single(server.Requests);
    }

    [Fact]
    public void A_GET_sends_the_request_line_Host_with_port_and_the_fixed_headers()
    {
        using var server = ScriptedServer.Answering(Ok);

        var request = Capture(HttpRequest.Get(new Uri($"http://127.0.0.1:{server.Port}/oauth2/v1/keys?kid=a%2Fb&x=1")), server);

        Assert.Equal($"GET /oauth2/v1/keys?kid=a%2Fb&x=1 HTTP/1.1\r\n" +
                     $"Host: 127.0.0.1:{server.Port}\r\n" +
                     $"User-Agent: {Connection.UserAgent}\r\n" +
                     "Accept: */*\r\n" +
                     "Accept-Encoding: identity\r\n" +
                     "Connection: close\r\n" +
                     "\r\n", request.Raw);
    }

    [Fact]
    public void A_URL_without_a_path_requests_the_root()
    {
        using var server = ScriptedServer.Answering(Ok);

        var request = Capture(HttpRequest.Get(new Uri($"http://127.0.0.1:{server.Port}")), server);

        Assert.Equal("GET / HTTP/1.1", request.RequestLine);
    }

    [Fact]
    public void The_fragment_is_never_sent()
    {
        using var server = ScriptedServer.Answering(Ok);

        var request = Capture(HttpRequest.Get(new Uri($"http://127.0.0.1:{server.Port}/page?q=1#section")), server);

        Assert.Equal("GET /page?q=1 HTTP/1.1", request.RequestLine);
    }

    [Fact]
    public void An_IPv6_literal_host_is_bracketed_in_the_Host_header()
    {
        using var server = ScriptedServer.Answering(Ok, address: IPAddress.IPv6Loopback);

        var request = Capture(HttpRequest.Get(new Uri($"http://[::1]:{server.Port}/v6")), server);

        Assert.Equal("GET /v6 HTTP/1.1", request.RequestLine);
        Assert.Equal($"[::1]:{server.Port}", request.Header("Host"));
    }

    [Fact]
    public void A_default_port_is_left_out_of_Host_and_a_proxy_gets_the_absolute_form()
    {
        // The scripted server stands in for the proxy: it sees exactly what the client sends to a proxy.
        using var server = ScriptedServer.Answering(Ok);
        var environment = new Dictionary<string, string> { ["http_proxy"] = $"http://127.0.0.1:{server.Port}" };

        var request = Capture(HttpRequest.Get(new Uri("http://sts.example.com/path?Action=GetCallerIdentity")), server, environment);

        Assert.Equal("GET http://sts.example.com/path?Action=GetCallerIdentity HTTP/1.1\r\n" +
                     "Host: sts.example.com\r\n" +
                     $"User-Agent: {Connection.UserAgent}\r\n" +
                     "Accept: */*\r\n" +
                     "Accept-Encoding: identity\r\n" +
                     "Connection: close\r\n" +
                     "\r\n", request.Raw);
    }

    [Theory]
    [InlineData("http://[2001:db8::1]:8080/a", "GET http://[2001:db8::1]:8080/a HTTP/1.1", "[2001:db8::1]:8080")]
    [InlineData("http://bücher.example/ä b?q=ü", "GET http://xn--bcher-kva.example/%C3%A4%20b?q=%C3%BC HTTP/1.1", "xn--bcher-kva.example")]
    public void The_absolute_form_for_a_proxy_is_ASCII_with_IPv6_bracketed(string url, string requestLine, string host)
    {
        using var server = ScriptedServer.Answering(Ok);
        var environment = new Dictionary<string, string> { ["http_proxy"] = $"http://127.0.0.1:{server.Port}" };

        var request = Capture(HttpRequest.Get(new Uri(url)), server, environment);

        Assert.Equal(requestLine, request.RequestLine);
        Assert.Equal(host, request.Header("Host"));
    }

    [Fact]
    public void A_form_POST_sends_its_length_type_and_encoded_fields()
    {
        using var server = ScriptedServer.Answering(Ok);
        var fields = new KeyValuePair<string, string>[]
        {
            new("grant_type", "authorization_code"),
            new("redirect_uri", "http://localhost:8400/callback"),
            new("with space", "a b"),
            new("plus", "1+1=2"),
            new("amp&eq", "x&y=z"),
            new("utf8", "é☃😀"),
            new("reserved", "~-._*!'()/?#[]@%"),
            new("empty", ""),
        };

        var request = Capture(HttpRequest.PostForm(new Uri($"http://127.0.0.1:{server.Port}/token"), fields), server);

        const string Body = "grant_type=authorization_code&redirect_uri=http%3A%2F%2Flocalhost%3A8400%2Fcallback&with+space=a+b" +
                            "&plus=1%2B1%3D2&amp%26eq=x%26y%3Dz&utf8=%C3%A9%E2%98%83%F0%9F%98%80" +
                            "&reserved=~-._%2A%21%27%28%29%2F%3F%23%5B%5D%40%25&empty=";
        Assert.Equal("POST /token HTTP/1.1\r\n" +
                     $"Host: 127.0.0.1:{server.Port}\r\n" +
                     $"User-Agent: {Connection.UserAgent}\r\n" +
                     "Accept: */*\r\n" +
                     "Accept-Encoding: identity\r\n" +
                     "Connection: close\r\n" +
                     "Content-Type: application/x-www-form-urlencoded\r\n" +
                     $"Content-Length: {Body.Length}\r\n" +
                     "\r\n" + Body, request.Raw);
    }

    [Fact]
    public void A_form_decodes_back_to_the_same_fields_with_a_standard_decoder()
    {
        using var server = ScriptedServer.Answering(Ok);
        var fields = new KeyValuePair<string, string>[] { new("a b+c", "d&e=f g+h"), new("ü", "😀 %20") };

        var request = Capture(HttpRequest.PostForm(new Uri($"http://127.0.0.1:{server.Port}/"), fields), server);

        var decoded = Encoding.UTF8.GetString(request.Body).Split('&')
            .Select(pair => pair.Split('=')).Select(p => (WebUtility.UrlDecode(p[0]), WebUtility.UrlDecode(p[1])));
        Assert.Equal([("a b+c", "d&e=f g+h"), ("ü", "😀 %20")], decoded);
    }

    [Fact]
    public void A_POST_without_a_body_sends_Content_Length_zero()
    {
        using var server = ScriptedServer.Answering(Ok);

        var request = Capture(new HttpRequest("POST", new Uri($"http://127.0.0.1:{server.Port}/revoke")), server);

        Assert.Equal("0", request.Header("Content-Length"));
        Assert.Empty(request.Body);
    }

    [Fact]
    public void Extra_headers_and_a_JSON_body_are_sent_as_given()
    {
        using var server = ScriptedServer.Answering(Ok);
        var body = "{\"IdentityId\":\"us-east-1:é\"}"u8.ToArray();

        var request = Capture(new HttpRequest("POST", new Uri($"http://127.0.0.1:{server.Port}/"), body, "application/x-amz-json-1.1",
            [new("X-Amz-Target", "AWSCognitoIdentityService.GetId")]), server);

        Assert.Equal("AWSCognitoIdentityService.GetId", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
        Assert.Equal(body, request.Body);
    }

    [Theory]
    [InlineData("X-Evil", "value\r\nInjected: yes")]
    [InlineData("X-Evil", "value\nInjected: yes")]
    [InlineData("X-Evil: yes\r\nX-Other", "value")]
    [InlineData("Bad Name", "value")]
    [InlineData("", "value")]
    [InlineData("X-Text", "naïve")]
    public void A_header_that_could_inject_lines_is_refused_and_nothing_is_sent(string name, string value)
    {
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            var received = new byte[1];
            if (await stream.ReadAsync(received, cancel) > 0) throw new InvalidOperationException("the client sent bytes");
        });

        var error = Assert.Throws<ArgumentException>(() => Connection.Transport().Send(
            new HttpRequest("GET", new Uri($"http://127.0.0.1:{server.Port}/"), Headers: [new(name, value)]), Connection.Timeout));

        Assert.Equal($"'{name}' is not a valid HTTP header (names are tokens; values are one line of ASCII).", error.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("file:///etc/passwd")]
    public void A_URL_that_is_not_http_or_https_is_refused(string url)
    {
        var error = Assert.Throws<HttpTransportException>(() => Connection.Get(url));

        Assert.Equal($"'{new Uri(url)}' is not an http or https URL.", error.Message);
    }
}
