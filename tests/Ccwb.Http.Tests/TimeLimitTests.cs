using Ccwb.Testing.Tls;
using System.Net.Security;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>
/// One time limit for the whole request, and clear errors when there is no server. Only the kind of failure is
/// asserted, never how long it took.
/// </summary>
public class TimeLimitTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);

    private static ScriptedServer Silent() => new((_, cancel) => Task.Delay(Timeout.Infinite, cancel));

    [Fact]
    public void A_server_that_accepts_and_never_answers_times_out()
    {
        using var server = Silent();

        var error = Assert.Throws<HttpTimeoutException>(() =>
            Connection.Transport().Send(HttpRequest.Get(new Uri($"http://127.0.0.1:{server.Port}/")), Short));

        Assert.Equal("no answer within 0.5 s", error.Message);
    }

    [Fact]
    public void A_server_that_never_answers_the_TLS_handshake_times_out()
    {
        using var server = Silent();

        Assert.Throws<HttpTimeoutException>(() =>
            Connection.Transport(caBundle: ca.Bundle).Send(HttpRequest.Get(new Uri($"https://localhost:{server.Port}/")), Short));
    }

    [Fact]
    public void A_TLS_server_that_never_answers_the_request_times_out()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = new ScriptedServer((_, cancel) => Task.Delay(Timeout.Infinite, cancel),
            new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)));

        Assert.Throws<HttpTimeoutException>(() =>
            Connection.Transport(caBundle: ca.Bundle).Send(HttpRequest.Get(new Uri($"https://localhost:{server.Port}/")), Short));
    }

    [Fact]
    public void A_server_that_trickles_its_answer_forever_hits_the_overall_limit()
    {
        // Each header line arrives well within the limit; only a deadline for the whole request stops this. (Were the
        // limit per read, the header-size limit would end it instead, after about 60 lines.)
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            await ReceivedRequest.ReadAsync(stream, cancel);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray(), cancel);
            var line = System.Text.Encoding.ASCII.GetBytes($"X-Slow: {new string('a', 1024)}\r\n");
            while (true)
            {
                await stream.WriteAsync(line, cancel);
                await Task.Delay(50, cancel);
            }
        });

        Assert.Throws<HttpTimeoutException>(() =>
            Connection.Transport().Send(HttpRequest.Get(new Uri($"http://127.0.0.1:{server.Port}/")), Short));
    }

    [Fact]
    public void A_time_limit_longer_than_poll_can_wait_at_once_is_honoured()
    {
        // Socket.Poll takes at most int.MaxValue microseconds (about 36 minutes); a longer limit must still work.
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            await ReceivedRequest.ReadAsync(stream, cancel);
            await Task.Delay(200, cancel);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate"u8.ToArray(), cancel);
        });

        var response = Connection.Transport().Send(HttpRequest.Get(new Uri($"http://127.0.0.1:{server.Port}/")), TimeSpan.FromHours(2));

        Assert.Equal("late", response.BodyText);
    }

    [Fact]
    public void A_refused_connection_names_the_host_and_port()
    {
        using var closed = Connection.ClosedPort(out var port);

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"http://127.0.0.1:{port}/"));

        Assert.Equal($"cannot connect to 127.0.0.1:{port}: Connection refused", error.Message);
    }

    [Fact]
    public void An_unknown_host_name_gives_a_clear_error()
    {
        var error = Assert.Throws<HttpTransportException>(() => Connection.Get("https://no-such-host.invalid/"));

        Assert.StartsWith("cannot connect to no-such-host.invalid:443: ", error.Message, StringComparison.Ordinal);
        Assert.IsNotType<HttpTimeoutException>(error);
    }
}
