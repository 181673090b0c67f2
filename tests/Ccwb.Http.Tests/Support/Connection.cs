using System.Net;
using System.Net.Sockets;

namespace Ccwb.Http.Tests.Support;

/// <summary>Transports and addresses the tests share.</summary>
internal static class Connection
{
    public const string UserAgent = "ccwb-test/1.0";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>A transport that sees exactly <paramref name="environment"/> (no proxy unless given).</summary>
    public static HttpTransport Transport(IReadOnlyDictionary<string, string>? environment = null, string? caBundle = null) =>
        new(new ProxySelector(name => environment?.GetValueOrDefault(name)), UserAgent, caBundle);

    public static HttpResponse Get(string url, IReadOnlyDictionary<string, string>? environment = null, string? caBundle = null) =>
        Transport(environment, caBundle).Send(HttpRequest.Get(new Uri(url)), Timeout);

    /// <summary>
    /// A loopback port on which nothing listens, held for the caller's use: the socket is bound (so no one else gets
    /// the port) but not listening, so connections to it are refused.
    /// </summary>
    public static Socket ClosedPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }
}
