using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Ccwb.Http.Tests.Support;
using Ccwb.Testing.Tls;

namespace Ccwb.Http.Tests;

/// <summary>
/// An answer without a length ends where the connection ends; over TLS only a close_notify proves that end is the
/// server's (an attacker on the path can cut the TCP connection anywhere).
/// </summary>
public class TlsClosingTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    private static ScriptedServer Unframed(bool closeNotify, X509Certificate2 leaf) => new(async (stream, cancel) =>
    {
        await ReceivedRequest.ReadAsync(stream, cancel);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"complete\":true}"u8.ToArray(), cancel);
        if (closeNotify) await ((SslStream)stream).ShutdownAsync();
    }, new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)));

    [Fact]
    public void An_answer_without_a_length_that_ends_with_close_notify_is_accepted()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Unframed(closeNotify: true, leaf);

        var response = Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle);

        Assert.Equal("{\"complete\":true}", response.BodyText);
    }

    [Fact]
    public void An_answer_without_a_length_whose_connection_just_ends_is_an_error()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Unframed(closeNotify: false, leaf);

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the server's answer has no length and its TLS connection ended without close_notify, so it may be cut short.", error.Message);
    }

    [Fact]
    public void Over_plain_http_an_answer_without_a_length_ends_with_the_connection()
    {
        // Loopback http has no close_notify to wait for: the end of the connection is all there is.
        using var server = ScriptedServer.Answering("HTTP/1.1 200 OK\r\n\r\nall of it");

        Assert.Equal("all of it", Connection.Get($"http://127.0.0.1:{server.Port}/").BodyText);
    }
}
