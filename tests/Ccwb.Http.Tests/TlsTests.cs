using Ccwb.Testing.Tls;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ccwb.Http.Tests.Support;
using Ccwb.Testing;

namespace Ccwb.Http.Tests;

/// <summary>One test CA (written as the PEM bundle the client trusts) and a second CA the client does not know.</summary>
public sealed class TestCertificateAuthorities : IDisposable
{
    private readonly TempDirectory directory = new("ccwb-http-tls");

    public TestCertificateAuthorities()
    {
        Trusted = TestPki.CreateCa("Ccwb Test Root CA");
        Other = TestPki.CreateCa("Some Other CA");
        Bundle = TestPki.WritePem(directory.Combine("ca-bundle.pem"), Trusted);
    }

    public X509Certificate2 Trusted { get; }
    public X509Certificate2 Other { get; }
    public string Bundle { get; }

    public string WriteFile(string name, string content)
    {
        var path = directory.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        Trusted.Dispose();
        Other.Dispose();
        directory.Dispose();
    }
}

/// <summary>
/// HTTPS against a real TLS server (SslStream) on 127.0.0.1: the client must accept exactly the certificates that name
/// the host, chain to a trusted CA and are in their validity period, and nothing older than TLS 1.2.
/// </summary>
public class TlsTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    private const string Hello = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

    private static ServerTls Serving(X509Certificate2 leaf, SslProtocols protocols = SslProtocols.None, params X509Certificate2[] chain) =>
        new(SslStreamCertificateContext.Create(leaf, [.. chain], offline: true), protocols);

    private X509Certificate2 Leaf(params string[] names) => TestPki.CreateLeaf(ca.Trusted, names);

    [Fact]
    public void A_leaf_naming_localhost_signed_by_the_bundle_CA_is_trusted()
    {
        using var leaf = Leaf("localhost");
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var response = Connection.Get($"https://localhost:{server.Port}/hi", caBundle: ca.Bundle);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("hello", response.BodyText);
        Assert.Equal("GET /hi HTTP/1.1", Assert.Single(server.Requests).RequestLine);
        Assert.Equal("localhost", Assert.Single(server.ServerNames));
    }

    [Fact]
    public void A_leaf_with_an_IP_address_SAN_is_trusted_for_that_address()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, [], [IPAddress.Loopback]);
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var response = Connection.Get($"https://127.0.0.1:{server.Port}/", caBundle: ca.Bundle);

        Assert.Equal("hello", response.BodyText);
        Assert.Equal("", Assert.Single(server.ServerNames)); // RFC 6066: no SNI for an IP address
    }

    [Fact]
    public void Without_a_CA_bundle_the_system_store_is_used_and_it_does_not_trust_the_test_CA()
    {
        using var leaf = Leaf("localhost");
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/"));

        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued by a trusted certificate authority.", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_leaf_for_another_host_name_is_not_trusted()
    {
        using var leaf = Leaf("other.example.com");
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued for localhost.", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_leaf_naming_localhost_is_not_trusted_for_the_IP_address_and_an_IP_SAN_not_for_the_name()
    {
        using var named = Leaf("localhost");
        using var byName = ScriptedServer.Answering(Hello, Serving(named));
        using var addressed = TestPki.CreateLeaf(ca.Trusted, [], [IPAddress.Loopback]);
        using var byAddress = ScriptedServer.Answering(Hello, Serving(addressed));

        var ipError = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://127.0.0.1:{byName.Port}/", caBundle: ca.Bundle));
        var nameError = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{byAddress.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of 127.0.0.1 is not trusted: it is not issued for 127.0.0.1.", ipError.Message);
        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued for localhost.", nameError.Message);
    }

    [Fact]
    public void A_DNS_name_that_spells_an_IP_address_is_not_trusted_for_that_address()
    {
        // RFC 6125: an IP address is matched only against IP address SANs.
        using var leaf = Leaf("127.0.0.1");
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://127.0.0.1:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of 127.0.0.1 is not trusted: it is not issued for 127.0.0.1.", error.Message);
    }

    [Fact]
    public void A_wildcard_is_not_trusted_for_the_bare_domain()
    {
        using var leaf = Leaf("*.localhost");
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued for localhost.", error.Message);
    }

    [Fact]
    public void An_expired_leaf_is_not_trusted()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"], notBefore: DateTimeOffset.UtcNow.AddDays(-30),
            notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.StartsWith("the TLS certificate of localhost is not trusted: it expired on ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_not_yet_valid_is_not_trusted()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"], notBefore: DateTimeOffset.UtcNow.AddDays(1),
            notAfter: DateTimeOffset.UtcNow.AddDays(30));
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.StartsWith("the TLS certificate of localhost is not trusted: it is not valid before ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_signed_by_another_CA_is_not_trusted()
    {
        using var leaf = TestPki.CreateLeaf(ca.Other, ["localhost"]);
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued by a trusted certificate authority.", error.Message);
    }

    [Fact]
    public void A_self_signed_leaf_is_not_trusted()
    {
        using var leaf = TestPki.CreateLeaf(null, ["localhost"]);
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued by a trusted certificate authority.", error.Message);
    }

    [Fact]
    public void A_leaf_issued_by_a_trusted_leaf_that_is_not_a_CA_is_not_trusted()
    {
        // The classic chain-validation hole: any certificate the CA issued signing certificates of its own.
        using var notACa = Leaf("intermediate.example.com");
        using var forged = TestPki.CreateLeaf(notACa, ["localhost"]);
        using var server = ScriptedServer.Answering(Hello, Serving(forged, SslProtocols.None, notACa));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of localhost is not trusted: it was issued by a certificate that is not a certificate authority.", error.Message);
    }

    [Fact]
    public void A_leaf_only_for_client_authentication_is_not_trusted_for_a_server()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"], serverAuth: false);
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the TLS certificate of localhost is not trusted: it is not meant for TLS servers (extended key usage).", error.Message);
    }

    [Fact]
    public void A_server_that_closes_in_the_middle_of_the_handshake_gives_a_clean_error()
    {
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            // Read the whole ClientHello record (unread bytes would turn the close into a reset), then hang up.
            var header = new byte[5];
            await stream.ReadExactlyAsync(header, cancel);
            await stream.ReadExactlyAsync(new byte[(header[3] << 8) | header[4]], cancel);
        });

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("localhost closed the connection during the TLS handshake.", error.Message);
    }

    [Fact]
    public void A_server_that_answers_in_plain_HTTP_gives_a_clean_TLS_error()
    {
        using var server = new ScriptedServer(async (stream, cancel) =>
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), cancel));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.StartsWith("the TLS handshake with localhost failed: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpTransportException>(error, exactMatch: true); // not a time-out: the garbage is seen at once
    }

    [Fact]
    public void A_missing_CA_bundle_file_is_named_in_the_error_before_anything_is_sent()
    {
        using var leaf = Leaf("localhost");
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-bundle-{Guid.NewGuid():N}.pem");

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: missing));

        Assert.Equal($"the CA bundle {missing} does not exist.", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_CA_bundle_that_is_not_PEM_gives_a_clear_error()
    {
        using var leaf = Leaf("localhost");
        using var server = ScriptedServer.Answering(Hello, Serving(leaf));
        var garbage = ca.WriteFile("not-a-bundle.pem", "this is not a certificate\n");

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: garbage));

        Assert.Equal($"no certificate could be read from {garbage}: a PEM file of certificate authorities is expected.", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_large_answer_over_TLS_arrives_whole()
    {
        // Many TLS records and many partial non-blocking reads: the body must come through byte for byte.
        var body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(body);
        using var leaf = Leaf("localhost");
        using var server = ScriptedServer.Answering(
            _ => [.. System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"), .. body], Serving(leaf));

        var response = Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle);

        Assert.Equal(body, response.Body);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_TLS_answer_cut_short_is_an_error_not_a_short_body(bool closeNotify)
    {
        // A truncation attack: the connection ends before the declared length, with or without a TLS close_notify
        // (SslStream sends one only on ShutdownAsync; disposing it just closes the TCP connection).
        using var leaf = Leaf("localhost");
        using var server = new ScriptedServer(async (stream, cancel) =>
        {
            await ReceivedRequest.ReadAsync(stream, cancel);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":"u8.ToArray(), cancel);
            if (closeNotify) await ((SslStream)stream).ShutdownAsync();
        }, Serving(leaf));

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: ca.Bundle));

        Assert.Equal("the connection closed before the whole answer arrived.", error.Message);
    }

    [Fact]
    public void A_large_request_body_over_TLS_is_sent_whole()
    {
        var body = new byte[2 * 1024 * 1024 + 3];
        new Random(11).NextBytes(body);
        using var leaf = Leaf("localhost");
        using var server = ScriptedServer.Answering("HTTP/1.1 204 No Content\r\n\r\n", Serving(leaf));

        var response = Connection.Transport(caBundle: ca.Bundle)
            .Send(new HttpRequest("PUT", new Uri($"https://localhost:{server.Port}/upload"), body, "application/octet-stream"), Connection.Timeout);

        Assert.Equal(204, response.StatusCode);
        Assert.Equal(body, Assert.Single(server.Requests).Body);
    }
}
