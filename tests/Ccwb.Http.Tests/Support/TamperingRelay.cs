using System.Net;
using System.Net.Sockets;

namespace Ccwb.Http.Tests.Support;

/// <summary>
/// A man in the middle on 127.0.0.1: relays a TLS connection to <c>target</c> unchanged, except that it flips one
/// bit in the first encrypted application-data record the server sends after the client's request. The TLS record
/// layer (RFC 8446 §5) is parsed only far enough to find that record.
/// </summary>
internal sealed class TamperingRelay : IDisposable
{
    private const byte ApplicationData = 23;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly int target;
    private readonly int clientRecordsBeforeRequest;
    private int clientApplicationRecords;
    private Task relay = Task.CompletedTask;

    /// <param name="clientRecordsBeforeRequest">
    /// Application-data records the client sends before its request: 0 for TLS 1.2, 1 for TLS 1.3 (its encrypted Finished).
    /// </param>
    public TamperingRelay(int target, int clientRecordsBeforeRequest)
    {
        this.target = target;
        this.clientRecordsBeforeRequest = clientRecordsBeforeRequest;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        relay = RelayAsync();
    }

    public int Port { get; }
    public bool Tampered { get; private set; }

    private async Task RelayAsync()
    {
        using var client = await listener.AcceptTcpClientAsync(stop.Token);
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, target, stop.Token);
        var toServer = PumpAsync(client.GetStream(), server.GetStream(), fromServer: false);
        var toClient = PumpAsync(server.GetStream(), client.GetStream(), fromServer: true);
        await Task.WhenAny(toServer, toClient);
    }

    /// <summary>Copies whole TLS records from one side to the other.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromServer)
    {
        var header = new byte[5];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(header, stop.Token);
                var payload = new byte[(header[3] << 8) | header[4]];
                await from.ReadExactlyAsync(payload, stop.Token);
                if (header[0] == ApplicationData)
                {
                    if (!fromServer) Interlocked.Increment(ref clientApplicationRecords);
                    else if (!Tampered && Volatile.Read(ref clientApplicationRecords) > clientRecordsBeforeRequest && payload.Length > 0)
                    {
                        payload[payload.Length / 2] ^= 0x01;
                        Tampered = true;
                    }
                }
                await to.WriteAsync(header, stop.Token);
                await to.WriteAsync(payload, stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException or ObjectDisposedException)
        {
            // one side closed: the relay ends
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try { relay.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { /* cancelled before a client came */ }
        stop.Dispose();
    }
}
