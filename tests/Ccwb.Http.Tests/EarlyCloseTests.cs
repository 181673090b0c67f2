using Ccwb.Testing.Tls;
using System.Net.Security;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>
/// Servers that hang up while the client is still sending: a clean error, never a crash (a write to a closed socket
/// raises SIGPIPE unless the sender suppresses it, and SIGPIPE ends the process).
/// </summary>
public class EarlyCloseTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    // Larger than the loopback socket buffers, so the client is still writing when the server has gone.
    private static readonly byte[] LargeBody = new byte[16 * 1024 * 1024];

    private static HttpRequest Upload(string url) => new("PUT", new Uri(url), LargeBody, "application/octet-stream");

    [Fact]
    public void A_TLS_server_that_hangs_up_during_a_large_upload_gives_a_clean_error()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = new ScriptedServer((_, _) => Task.CompletedTask, // handshake, then close without reading
            new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)));

        var error = Assert.Throws<HttpTransportException>(() =>
            Connection.Transport(caBundle: ca.Bundle).Send(Upload($"https://localhost:{server.Port}/upload"), Connection.Timeout));

        Assert.Matches("^the (TLS )?connection failed while (sending|reading)", error.Message);
    }

    [Fact]
    public void A_plain_server_that_hangs_up_during_a_large_upload_gives_a_clean_error()
    {
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            var some = new byte[1024];
            await stream.ReadExactlyAsync(some, cancel);
        });

        var error = Assert.Throws<HttpTransportException>(() =>
            Connection.Transport().Send(Upload($"http://127.0.0.1:{server.Port}/upload"), Connection.Timeout));

        Assert.Matches("^the connection failed while (sending|reading)", error.Message);
    }
}
