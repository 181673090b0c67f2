using System.Net;
using System.Net.Sockets;

namespace Ccwb.Http;

/// <summary>
/// A TCP connection whose every read and write honours the request's <see cref="Deadline"/>: the socket is
/// non-blocking and waits with poll(2) for at most the time left.
/// </summary>
internal sealed class SocketStream : ConnectionStream
{
    private readonly Deadline deadline;

    private SocketStream(Socket socket, Deadline deadline)
    {
        Socket = socket;
        this.deadline = deadline;
    }

    private Socket Socket { get; }

    /// <summary>True once a read found the connection closed by the server.</summary>
    public bool ReachedEnd { get; private set; }

    public static SocketStream Connect(string host, int port, Deadline deadline)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            EndPoint endpoint = IPAddress.TryParse(host.Trim('[', ']'), out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
            using (var timeout = new CancellationTokenSource(deadline.Remaining))
                socket.ConnectAsync(endpoint, timeout.Token).AsTask().GetAwaiter().GetResult();
            socket.NoDelay = true;
            socket.Blocking = false;
            return new SocketStream(socket, deadline);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw new HttpTimeoutException(deadline.Timeout);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HttpTransportException($"cannot connect to {host}:{port}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void WaitReadable() => deadline.Wait(Socket, SelectMode.SelectRead);

    private void WaitWritable() => deadline.Wait(Socket, SelectMode.SelectWrite);

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            var read = Socket.Receive(buffer, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                if (read == 0 && !buffer.IsEmpty) ReachedEnd = true;
                return read;
            }
            if (error != SocketError.WouldBlock) throw new HttpTransportException($"the connection failed while reading: {error}");
            WaitReadable();
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var sent = Socket.Send(buffer, SocketFlags.None, out var error);
            if (error == SocketError.Success) buffer = buffer[sent..];
            else if (error == SocketError.WouldBlock) WaitWritable();
            else throw new HttpTransportException($"the connection failed while sending: {error}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Socket.Dispose();
        base.Dispose(disposing);
    }
}
