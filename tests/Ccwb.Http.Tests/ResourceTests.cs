using Ccwb.Testing.Tls;
using System.Net.Security;
using System.Text;
using Ccwb.Http.Tests.Support;

namespace Ccwb.Http.Tests;

/// <summary>Runs alone: it counts the process's open file descriptors, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(Alone), DisableParallelization = true)]
public sealed class Alone;

/// <summary>Native resources (sockets, OpenSSL objects) are released on every path, failures included.</summary>
[Collection(nameof(Alone))]
public class ResourceTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [Fact]
    public void Failed_requests_leave_no_socket_open()
    {
        using var untrusted = TestPki.CreateLeaf(ca.Other, ["localhost"]);
        using var trusted = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var refusing = ScriptedServer.Answering("", new ServerTls(SslStreamCertificateContext.Create(untrusted, [], offline: true)));
        using var truncating = ScriptedServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
            new ServerTls(SslStreamCertificateContext.Create(trusted, [], offline: true)));
        using var hangingUp = new ScriptedServer((_, _) => Task.CompletedTask);
        var transport = Connection.Transport(caBundle: ca.Bundle);
        void FailEach()
        {
            foreach (var port in new[] { refusing.Port, truncating.Port, hangingUp.Port })
                Assert.ThrowsAny<HttpTransportException>(() => transport.Send(HttpRequest.Get(new Uri($"https://localhost:{port}/")), Connection.Timeout));
        }
        FailEach(); // warm up: OpenSSL loads its libraries and configuration once
        var before = OpenDescriptors();

        for (var i = 0; i < 20; i++) FailEach();

        // The servers close their side asynchronously; give them a moment, then expect no growth from 60 failures.
        for (var waited = 0; OpenDescriptors() > before && waited < 10_000; waited += 50) Thread.Sleep(50);
        Assert.InRange(OpenDescriptors(), 0, before + 2);
    }
}

/// <summary>Many requests at once over TLS: each gets its own answer, whole.</summary>
public class ConcurrencyTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>
{
    [Fact]
    public async Task Parallel_TLS_requests_each_get_their_own_answer()
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        using var server = ScriptedServer.Answering(request =>
        {
            var body = string.Concat(Enumerable.Repeat(request.Path, 5000));
            return Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        }, new ServerTls(SslStreamCertificateContext.Create(leaf, [], offline: true)));
        var transport = Connection.Transport(caBundle: ca.Bundle);

        // Each client on its own thread: sixteen blocking calls on pool threads would starve the server's async work.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Factory.StartNew(() =>
            (Path: $"/request-{i}", Body: transport.Send(HttpRequest.Get(new Uri($"https://localhost:{server.Port}/request-{i}")), Connection.Timeout).BodyText),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        Assert.All(answers, answer => Assert.Equal(string.Concat(Enumerable.Repeat(answer.Path, 5000)), answer.Body));
    }
}
