using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Ccwb.Http.Tests.Support;

/// <summary>
/// A TCP server on a loopback address (port chosen by the kernel) that plays a scripted conversation on every
/// connection: plain, or TLS through SslStream when a <see cref="ServerTls"/> is given. It records what clients sent,
/// so tests can check the exact request bytes, and why TLS handshakes failed on the server side.
/// </summary>
internal sealed class ScriptedServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Func<Stream, CancellationToken, Task> conversation;
    private readonly ServerTls? tls;
    private readonly ConcurrentQueue<Task> connections = new();
    private readonly Task acceptLoop;

    public ScriptedServer(Func<Stream, CancellationToken, Task> conversation, ServerTls? tls = null, IPAddress? address = null)
    {
        this.conversation = conversation;
        this.tls = tls;
        listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    /// <summary>Answers every request with <paramref name="answer"/>'s bytes, then closes the connection.</summary>
    public static ScriptedServer Answering(Func<ReceivedRequest, byte[]> answer, ServerTls? tls = null, IPAddress? address = null)
    {
        ScriptedServer? server = null;
        server = new ScriptedServer(async (stream, cancel) =>
        {
            var request = await ReceivedRequest.ReadAsync(stream, cancel);
            server!.Requests.Enqueue(request);
            await stream.WriteAsync(answer(request), cancel);
        }, tls, address);
        return server;
    }

    /// <summary>Answers every request with the same bytes.</summary>
    public static ScriptedServer Answering(string answer, ServerTls? tls = null, IPAddress? address = null) =>
        Answering(_ => Encoding.Latin1.GetBytes(answer), tls, address);

    public int Port { get; }
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();
    public ConcurrentQueue<Exception> TlsFailures { get; } = new();
    /// <summary>The server name (SNI) each TLS client asked for; empty when it sent none.</summary>
    public ConcurrentQueue<string> ServerNames { get; } = new();
    public int Connections => connections.Count;

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            connections.Enqueue(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            Stream stream = client.GetStream();
            try
            {
                if (tls is not null)
                {
                    var secure = new SslStream(stream, leaveInnerStreamOpen: false);
                    try
                    {
                        await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = tls.Certificate,
                            EnabledSslProtocols = tls.Protocols,
                        }, stop.Token);
                    }
                    catch (Exception e) when (e is AuthenticationException or IOException)
                    {
                        TlsFailures.Enqueue(e);
                        await secure.DisposeAsync();
                        return;
                    }
                    ServerNames.Enqueue(secure.TargetHostName);
                    stream = secure;
                }
                await conversation(stream, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // the client went away or the test ended: nothing to serve
            }
            finally
            {
                await stream.DisposeAsync();
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try { Task.WaitAll([acceptLoop, .. connections], TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { /* conversations may fault when cancelled mid-write */ }
        stop.Dispose();
    }
}

/// <summary>How a <see cref="ScriptedServer"/> speaks TLS: its certificate (and chain) and allowed protocol versions.</summary>
internal sealed record ServerTls(SslStreamCertificateContext Certificate, SslProtocols Protocols = SslProtocols.None);

/// <summary>One request as the server received it: the raw head and body bytes.</summary>
internal sealed record ReceivedRequest(string Head, byte[] Body)
{
    public string RequestLine => Head[..Head.IndexOf("\r\n", StringComparison.Ordinal)];
    public string Path => RequestLine.Split(' ')[1];

    /// <summary>Everything the client sent, head and body, as text (Latin-1, one char per byte).</summary>
    public string Raw => Head + Encoding.Latin1.GetString(Body);

    public string? Header(string name)
    {
        foreach (var line in Head.Split("\r\n").Skip(1))
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) return line[(name.Length + 1)..].Trim();
        return null;
    }

    /// <summary>Reads a head (up to the blank line) and a body of Content-Length bytes.</summary>
    public static async Task<ReceivedRequest> ReadAsync(Stream stream, CancellationToken cancel)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancel) == 0) throw new IOException("the client closed before finishing its request");
            bytes.Add(one[0]);
        }
        var head = Encoding.Latin1.GetString([.. bytes]);
        var request = new ReceivedRequest(head, []);
        var body = new byte[int.Parse(request.Header("Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(body, cancel);
        return request with { Body = body };
    }
}
