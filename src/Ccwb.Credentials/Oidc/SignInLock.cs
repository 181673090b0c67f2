using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ccwb.Credentials.Oidc;

/// <summary>
/// Takes the callback port as a lock. When another credential-process holds it (it answers the probe path), waits
/// for it to finish; when a foreign program holds it, fails at once with a message that says so.
/// </summary>
public static class SignInLock
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The bound server, or null when another sign-in held the port for all of <paramref name="maxWait"/>.</summary>
    public static async Task<CallbackServer?> AcquireAsync(int port, TimeSpan maxWait, Action<string> debug, CancellationToken cancellation = default)
    {
        var deadline = DateTime.UtcNow + maxWait;
        var announced = false;
        var silentHangUps = 0;
        var ipv6OnlyHolds = 0;
        while (true)
        {
            var server = CallbackServer.TryStart(port);
            if (server is not null) return server;
            var holder = await ProbeAsync(port, cancellation).ConfigureAwait(false);
            // 127.0.0.1 free yet the port not bindable: something holds [::1]:<port>. A sign-in binds 127.0.0.1 first and
            // holds both, so only the moment one starts or ends looks like this; a hold that lasts is another program.
            if (holder == PortHolder.Released && await HeldOnIPv6LoopbackAsync(port, cancellation).ConfigureAwait(false))
                holder = PortHolder.IPv6Only;
            ipv6OnlyHolds = holder == PortHolder.IPv6Only ? ipv6OnlyHolds + 1 : 0;
            // A sign-in that is just finishing may hang up without answering; one that is alive always answers.
            silentHangUps = holder == PortHolder.HungUp ? silentHangUps + 1 : 0;
            if (holder == PortHolder.Foreign || silentHangUps >= 3 || ipv6OnlyHolds >= 3)
                throw new OidcException(
                    $"starting callback server: cannot listen on {(ipv6OnlyHolds > 0 ? "[::1]" : "127.0.0.1")}:{port}: the port is used by " +
                    "another program, not by a credential-process sign-in. Close that program, or use another port: set redirect_port in " +
                    "config.json (or the REDIRECT_PORT environment variable) and register http://localhost:<port>/callback with your identity provider.");
            if (!announced && holder == PortHolder.SignIn)
            {
                debug("Another authentication is in progress, waiting...");
                announced = true;
            }
            if (DateTime.UtcNow >= deadline) return null;
            if (holder != PortHolder.Released) await Task.Delay(PollInterval, cancellation).ConfigureAwait(false);
        }
    }

    private enum PortHolder { SignIn, Foreign, HungUp, Released, Unknown, IPv6Only }

    /// <summary>Whether something accepts connections on [::1]:<paramref name="port"/> (false without IPv6 loopback).</summary>
    private static async Task<bool> HeldOnIPv6LoopbackAsync(int port, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetworkV6);
            await client.ConnectAsync(IPAddress.IPv6Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when ((e is OperationCanceledException or SocketException) && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<PortHolder> ProbeAsync(int port, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {CallbackServer.ProbePath} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
                if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0) break;
            }
            var head = Encoding.ASCII.GetString(buffer, 0, length);
            if (length == 0) return PortHolder.HungUp;
            return head.Contains(CallbackServer.ProbeHeader + ":", StringComparison.OrdinalIgnoreCase) ? PortHolder.SignIn : PortHolder.Foreign;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return PortHolder.Released;
        }
        catch (Exception e) when ((e is OperationCanceledException or IOException or SocketException) && !cancellation.IsCancellationRequested)
        {
            // A holder that is slow to answer (a loaded machine) is not proof of a foreign program.
            return PortHolder.Unknown;
        }
    }
}
