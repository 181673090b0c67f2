using Ccwb.Testing.Tls;
using System.Net.Security;
using System.Security.Authentication;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>Bytes changed on the way are detected: TLS record integrity, as the client's TLS stack must keep it.</summary>
public class IntegrityTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    [Theory]
    [InlineData(SslProtocols.Tls12, 0)]
    [InlineData(SslProtocols.Tls13, 1)]
    public void A_bit_flipped_in_the_servers_encrypted_answer_is_an_error_not_a_changed_body(SslProtocols protocol, int clientRecordsBeforeRequest)
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = ScriptedServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\n{\"AccessKeyId\":\"ASIA0001\"}",
            new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true), protocol));
        using var relay = new TamperingRelay(server.Port, clientRecordsBeforeRequest);

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{relay.Port}/", caBundle: ca.Bundle));

        Assert.True(relay.Tampered);
        Assert.StartsWith("the TLS connection failed while reading: ", error.Message, StringComparison.Ordinal);
        // The platform TLS (OpenSSL on Linux) reports: the cipher's own failure (TLS 1.2, AES-GCM) or the record layer's.
        Assert.Matches(@"(decryption failed or bad record mac|cipher operation failed)\.$", error.Message);
    }

    [Fact]
    public void The_relay_passes_an_untouched_connection_through()
    {
        // The relay itself is sound: with nothing to tamper with (the client's request never counts), the answer arrives.
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = ScriptedServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true), SslProtocols.Tls12));
        using var relay = new TamperingRelay(server.Port, clientRecordsBeforeRequest: int.MaxValue);

        Assert.Equal("ok", Connection.Get($"https://localhost:{relay.Port}/", caBundle: ca.Bundle).BodyText);
        Assert.False(relay.Tampered);
    }
}
