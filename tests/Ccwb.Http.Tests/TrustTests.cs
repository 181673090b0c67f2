using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Ccwb.Http.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Tls;

namespace Ccwb.Http.Tests;

/// <summary>
/// Which authorities are trusted, from the environment as the AWS SDKs and OpenSSL read it (<c>AWS_CA_BUNDLE</c> first,
/// else <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>), and revocation checked within the request's time limit.
/// </summary>
public sealed class TrustTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>, IDisposable
{
    private const string Hello = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private readonly TempDirectory directory = new("ccwb-http-trust");

    private static ScriptedServer Serving(X509Certificate2 leaf) =>
        ScriptedServer.Answering(Hello, new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)));

    private static HttpResponse Get(int port, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(v => v.Name, v => v.Value);
        return HttpTransport.FromEnvironment(variables.GetValueOrDefault, Connection.UserAgent)
            .Send(HttpRequest.Get(new Uri($"https://localhost:{port}/")), Connection.Timeout);
    }

    [Fact]
    public void AWS_CA_BUNDLE_names_the_trusted_authorities()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Serving(leaf);

        Assert.Equal("hello", Get(server.Port, ("AWS_CA_BUNDLE", ca.Bundle)).BodyText);
    }

    [Fact]
    public void AWS_CA_BUNDLE_wins_over_SSL_CERT_FILE()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Serving(leaf);
        var otherBundle = TestPki.WritePem(directory.Combine("other.pem"), ca.Other);

        Assert.Equal("hello", Get(server.Port, ("AWS_CA_BUNDLE", ca.Bundle), ("SSL_CERT_FILE", otherBundle)).BodyText);
        var error = Assert.Throws<HttpTransportException>(() => Get(server.Port, ("AWS_CA_BUNDLE", otherBundle), ("SSL_CERT_FILE", ca.Bundle)));
        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued by a trusted certificate authority.", error.Message);
    }

    [Fact]
    public void SSL_CERT_FILE_names_the_trusted_authorities_without_AWS_CA_BUNDLE()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Serving(leaf);

        Assert.Equal("hello", Get(server.Port, ("SSL_CERT_FILE", ca.Bundle)).BodyText);
    }

    [Fact]
    public void SSL_CERT_DIR_names_a_directory_of_trusted_authorities()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Serving(leaf);
        var certs = Directory.CreateDirectory(directory.Combine("certs")).FullName;
        TestPki.WritePem(Path.Combine(certs, "test-root.pem"), ca.Trusted);
        File.WriteAllText(Path.Combine(certs, "README"), "not a certificate\n");

        Assert.Equal("hello", Get(server.Port, ("SSL_CERT_DIR", certs)).BodyText);
    }

    [Fact]
    public void Without_these_variables_the_system_store_decides_and_it_does_not_know_the_test_CA()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Serving(leaf);

        var error = Assert.Throws<HttpTransportException>(() => Get(server.Port));

        Assert.Equal("the TLS certificate of localhost is not trusted: it is not issued by a trusted certificate authority.", error.Message);
    }

    [Fact]
    public void An_AWS_CA_BUNDLE_that_does_not_exist_is_named()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = Serving(leaf);
        var missing = directory.Combine("missing.pem");

        var error = Assert.Throws<HttpTransportException>(() => Get(server.Port, ("AWS_CA_BUNDLE", missing)));

        Assert.Equal($"the CA bundle {missing} does not exist.", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_certificate_its_CA_has_revoked_is_not_trusted()
    {
        // A CA of its own: the platform caches CRLs per issuer.
        using var root = TestPki.CreateCa("Ccwb Revoking CA");
        var bundle = TestPki.WritePem(directory.Combine("revoking.pem"), root);
        X509Certificate2? revoked = null; // known once the CRL server's port is
        using var crls = ScriptedServer.Answering(_ => CrlAnswer(TestPki.CreateCrl(root, revoked!)));
        using var leaf = revoked = TestPki.CreateLeaf(root, ["localhost"], crlUrl: $"http://127.0.0.1:{crls.Port}/root.crl");
        using var server = Serving(leaf);

        var error = Assert.Throws<HttpTransportException>(() => Connection.Get($"https://localhost:{server.Port}/", caBundle: bundle));

        Assert.Equal("the TLS certificate of localhost is not trusted: the certificate has been revoked.", error.Message);
        Assert.Equal("GET /root.crl HTTP/1.1", crls.Requests.First().RequestLine);
    }

    [Fact]
    public void A_revocation_server_that_never_answers_does_not_use_up_the_requests_time()
    {
        // Revocation that cannot be learnt is tolerated (as browsers do), but the wait for it is bounded by the
        // request's own time limit: the handshake is one blocking call the request's deadline cannot interrupt.
        using var root = TestPki.CreateCa("Ccwb Silent-CRL CA");
        var bundle = TestPki.WritePem(directory.Combine("silent.pem"), root);
        using var silent = new ScriptedServer((_, cancel) => Task.Delay(Timeout.Infinite, cancel));
        using var leaf = TestPki.CreateLeaf(root, ["localhost"], crlUrl: $"http://127.0.0.1:{silent.Port}/root.crl");
        using var server = Serving(leaf);

        var response = Connection.Transport(caBundle: bundle)
            .Send(HttpRequest.Get(new Uri($"https://localhost:{server.Port}/")), TimeSpan.FromSeconds(6));

        Assert.Equal("hello", response.BodyText);
        Assert.True(silent.Connections > 0, "the client did not ask for the CRL at all");
    }

    [Fact]
    public void Several_silent_revocation_servers_are_waited_for_together_within_the_time_limit_not_one_after_another()
    {
        // The platform fetches revocation URLs one after another, each with its own time-out: here the leaf's CRL, the
        // intermediate's CRL and the leaf's OCSP responder, all on a server that accepts and never answers. The check
        // as a whole gets half the request's time; the answer then comes while the first download still hangs, so the
        // URLs after it are never asked for (without the bound, all three are, and the request outlives its limit).
        using var root = TestPki.CreateCa("Ccwb Silent-Revocation CA");
        var bundle = TestPki.WritePem(directory.Combine("silent-revocation.pem"), root);
        ScriptedServer? silent = null;
        silent = new ScriptedServer(async (stream, cancel) =>
        {
            silent!.Requests.Enqueue(await ReceivedRequest.ReadAsync(stream, cancel));
            await Task.Delay(Timeout.Infinite, cancel);
        });
        var revocation = $"http://127.0.0.1:{silent.Port}";
        using var intermediate = TestPki.CreateLeaf(root, ["Ccwb Silent-Revocation Intermediate"], isCa: true, crlUrl: revocation + "/intermediate.crl");
        using var leaf = TestPki.CreateLeaf(intermediate, ["localhost"], crlUrl: revocation + "/leaf.crl", ocspUrl: revocation + "/ocsp");
        using var server = ScriptedServer.Answering(Hello, new ServerTls(SslStreamCertificateContext.Create(leaf, [intermediate], offline: true)));

        var response = Connection.Transport(caBundle: bundle)
            .Send(HttpRequest.Get(new Uri($"https://localhost:{server.Port}/")), TimeSpan.FromSeconds(6));

        Assert.Equal("hello", response.BodyText);
        Assert.Equal(["GET /leaf.crl HTTP/1.1"], silent.Requests.Select(r => r.RequestLine));
        silent.Dispose();
    }

    [Fact]
    public void An_intermediate_the_server_does_not_send_is_fetched_from_the_URL_the_certificate_names()
    {
        using var root = TestPki.CreateCa("Ccwb Fetched-Intermediate CA");
        var bundle = TestPki.WritePem(directory.Combine("fetched-intermediate.pem"), root);
        using var intermediate = TestPki.CreateLeaf(root, ["Ccwb Fetched Intermediate"], isCa: true);
        var der = intermediate.RawData;
        using var issuers = ScriptedServer.Answering(_ =>
            [.. System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {der.Length}\r\n\r\n"), .. der]);
        using var leaf = TestPki.CreateLeaf(intermediate, ["localhost"], issuerUrl: $"http://127.0.0.1:{issuers.Port}/intermediate.cer");
        using var server = Serving(leaf);

        Assert.Equal("hello", Connection.Get($"https://localhost:{server.Port}/", caBundle: bundle).BodyText);
        Assert.Equal("GET /intermediate.cer HTTP/1.1", issuers.Requests.First().RequestLine);
    }

    private static byte[] CrlAnswer(byte[] crl) =>
        [.. System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {crl.Length}\r\n\r\n"), .. crl];

    public void Dispose() => directory.Dispose();
}
