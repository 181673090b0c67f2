using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Testing.Tls;

/// <summary>
/// Terminates TLS on a loopback port and forwards each connection to a plain-HTTP peer, as a reverse proxy does, so
/// any test peer can be reached over https with the test authority's certificate. The Host header is rewritten to the
/// peer's own address (HttpListener answers 404 to any other).
/// </summary>
public sealed class TlsFrontend : IDisposable
{
    private readonly TcpListener listener;
    private readonly X509Certificate2 certificate;
    private readonly SslStreamCertificateContext? chain;
    private readonly CancellationTokenSource stopping = new();

    /// <summary>
    /// Listens on a port the system picks (<see cref="Port"/>): a port chosen beforehand can be taken by another test
    /// before it is bound.
    /// </summary>
    /// <param name="backendPort">The plain-HTTP peer; 0 when it starts later (it may need <see cref="Port"/> in its URLs).</param>
    /// <param name="intermediates">Sent after the certificate in the handshake, as a server with a CA chain does; without
    /// them only the certificate itself is sent.</param>
    public TlsFrontend(X509Certificate2 certificate, int backendPort = 0, X509Certificate2[]? intermediates = null)
    {
        this.certificate = certificate;
        if (intermediates is { Length: > 0 })
            chain = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(intermediates), offline: true);
        BackendPort = backendPort;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Where connections are forwarded; set before the first request when the peer started after this.</summary>
    public int BackendPort { get; set; }

    private int failedHandshakes;

    /// <summary>Handshakes that failed, for example because the client refused the certificate.</summary>
    public int FailedHandshakes => Volatile.Read(ref failedHandshakes);

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stopping.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        {
            await using var tls = new SslStream(client.GetStream());
            var options = chain is null
                ? new SslServerAuthenticationOptions { ServerCertificate = certificate }
                : new SslServerAuthenticationOptions { ServerCertificateContext = chain };
            try { await tls.AuthenticateAsServerAsync(options, stopping.Token); }
            catch (Exception)
            {
                Interlocked.Increment(ref failedHandshakes);
                return;
            }
            using var backend = new TcpClient();
            await backend.ConnectAsync(IPAddress.Loopback, BackendPort, stopping.Token);
            var plain = backend.GetStream();
            try
            {
                await plain.WriteAsync(RewriteHost(await ReadHeadAsync(tls)), stopping.Token);
                await Task.WhenAny(
                    CopyThenCloseAsync(tls, plain, backend.Client),
                    CopyThenCloseAsync(plain, tls, client.Client));
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    private async Task<string> ReadHeadAsync(Stream tls)
    {
        var head = new System.Text.StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await tls.ReadAsync(one, stopping.Token) == 1)
            head.Append((char)one[0]);
        return head.ToString();
    }

    private byte[] RewriteHost(string head)
    {
        var lines = head.Split("\r\n");
        for (var i = 1; i < lines.Length; i++)
            if (lines[i].StartsWith("Host:", StringComparison.OrdinalIgnoreCase)) lines[i] = $"Host: 127.0.0.1:{BackendPort}";
        return System.Text.Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
    }

    private async Task CopyThenCloseAsync(Stream from, Stream to, Socket toSocket)
    {
        await from.CopyToAsync(to, stopping.Token);
        toSocket.Shutdown(SocketShutdown.Send);
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        certificate.Dispose();
    }
}
