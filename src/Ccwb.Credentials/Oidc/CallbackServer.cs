using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Ccwb.Http;

namespace Ccwb.Credentials.Oidc;

/// <summary>
/// The sign-in redirect target <c>http://localhost:&lt;port&gt;/callback</c>, listening on 127.0.0.1 and ::1 (the
/// browser may resolve localhost to either; the redirect URI stays as identity providers have it registered). Binding
/// the port is also the cross-process lock of a sign-in: the socket stays bound from the moment the lock is taken until
/// the credentials are cached, so a concurrent invocation can never slip in between (no bind-release-rebind gap).
/// </summary>
/// <remarks>
/// Any web page or local program can send a request here. Only a callback that carries this sign-in's state can end
/// it (with a code, or with the provider's error); anything else is answered 400 and the wait goes on.
/// </remarks>
/// <remarks>
/// A minimal HTTP/1.1 responder on a <see cref="TcpListener"/> rather than HttpListener, because HttpListener
/// cannot take over a socket that is already bound, and the lock needs exactly that.
/// </remarks>
public sealed class CallbackServer : IDisposable
{
    /// <summary>A path only this server answers, so waiting invocations can tell a sign-in in progress from a foreign program.</summary>
    public const string ProbePath = "/.well-known/ccwb-callback";
    public const string ProbeHeader = "X-Ccwb-Callback";

    private readonly List<TcpListener> listeners;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource<string> result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? expectedState;

    private CallbackServer(List<TcpListener> listeners, int port)
    {
        this.listeners = listeners;
        Port = port;
        foreach (var listener in listeners) _ = AcceptLoopAsync(listener);
    }

    public int Port { get; }

    /// <summary>The addresses listened on: 127.0.0.1, and ::1 where the system has IPv6.</summary>
    public IReadOnlyList<IPAddress> Addresses => [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Address)];

    /// <summary>Binds <paramref name="port"/> on 127.0.0.1 and ::1 and starts answering; null when the port is already in use.</summary>
    public static CallbackServer? TryStart(int port)
    {
        var listeners = new List<TcpListener>();
        try
        {
            foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
            {
                var listener = Listen(address, port);
                if (listener is not null) listeners.Add(listener);
            }
            return new CallbackServer(listeners, port);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            foreach (var listener in listeners) listener.Dispose();
            if (e.SocketErrorCode == SocketError.AccessDenied)
                throw new OidcException($"starting callback server: cannot listen on localhost:{port}: {e.Message}", e);
            return null;
        }
    }

    /// <summary>A started listener; null only for ::1 on a system without IPv6 loopback.</summary>
    private static TcpListener? Listen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        // On Windows a second socket could otherwise bind the same port and break the lock.
        if (OperatingSystem.IsWindows()) listener.ExclusiveAddressUse = true;
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException e) when (address.Equals(IPAddress.IPv6Loopback) &&
                                        e.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
        {
            listener.Dispose();
            return null;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sets the state of this sign-in. Called before the browser opens, so a provider that redirects at once (an
    /// existing session) is never answered as a stranger.
    /// </summary>
    public void ExpectState(string state) => expectedState = state;

    /// <summary>
    /// Waits for the provider's redirect with the expected state (see <see cref="ExpectState"/>) and returns the
    /// authorization code. Only a callback with that state ends the wait: the provider's error or a missing code is
    /// then an <see cref="OidcException"/>.
    /// </summary>
    public async Task<string> WaitForCodeAsync(TimeSpan timeout, CancellationToken cancellation = default)
    {
        if (expectedState is null) throw new InvalidOperationException("ExpectState must be called before the browser opens.");
        var finished = await Task.WhenAny(result.Task, Task.Delay(timeout, cancellation)).ConfigureAwait(false);
        if (finished != result.Task)
            throw new OidcException($"authentication timeout - no authorization code received within {GoDuration(timeout)}. " +
                                   "The browser never returned to this computer; close the sign-in tab and try again.");
        return await result.Task.ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            // Each connection on its own: browsers open idle speculative connections that must not block the real one.
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var stream = client.GetStream();
                var target = await ReadRequestTargetAsync(stream, timeout.Token).ConfigureAwait(false);
                if (target is null) return;
                var (status, message, extraHeader) = Route(target);
                await WriteResponseAsync(stream, status, message, extraHeader, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // A client that hangs up or stalls affects only its own connection.
            }
        }
    }

    private (int Status, string Message, string? ExtraHeader) Route(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        if (path == ProbePath) return (200, "A sign-in is in progress.", $"{ProbeHeader}: credential-process");
        // Other paths (favicon.ico, …) get a 404 and do not end the sign-in.
        if (path != "/callback") return (404, "Not found.", null);

        var query = FormEncoding.Decode(question < 0 ? "" : target[(question + 1)..]);
        var state = expectedState;
        // Without this sign-in's state the request is a stranger's (an old tab, a web page, another program): it is
        // refused and cannot end the sign-in, not even with error=.
        if (state is null || !query.TryGetValue("state", out var returnedState) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(returnedState), Encoding.UTF8.GetBytes(state)))
            return (400, "This response does not belong to the sign-in in progress. Close this tab and use the newest sign-in tab.", null);
        if (query.TryGetValue("error", out var error))
        {
            var description = query.TryGetValue("error_description", out var d) && d.Length > 0 ? d : error;
            result.TrySetException(new OidcException($"authentication error: {TerminalText.Clean(description)}"));
            return (400, "Authentication failed", null);
        }
        if (!query.TryGetValue("code", out var code) || code.Length == 0)
        {
            result.TrySetException(new OidcException("authentication error: the identity provider returned no authorization code"));
            return (400, "Invalid response", null);
        }
        result.TrySetResult(code);
        return (200, "Authentication successful! You can close this window.", null);
    }

    private static async Task<string?> ReadRequestTargetAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0) break;
        }
        var text = Encoding.ASCII.GetString(buffer, 0, length);
        var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        var parts = (lineEnd < 0 ? text : text[..lineEnd]).Split(' ');
        return parts.Length == 3 && parts[0] == "GET" && parts[1].StartsWith('/') ? parts[1] : null;
    }

    private static async Task WriteResponseAsync(NetworkStream stream, int status, string message, string? extraHeader, CancellationToken cancellation)
    {
        var body = Encoding.UTF8.GetBytes(Page(message));
        var reason = status switch { 200 => "OK", 400 => "Bad Request", _ => "Not Found" };
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\n" +
                   $"Cache-Control: no-store\r\nConnection: close\r\n{(extraHeader is null ? "" : extraHeader + "\r\n")}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellation).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>The page the browser shows after the redirect.</summary>
    public static string Page(string message) =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Authentication</title></head>\n" +
        "<body style=\"font-family: sans-serif; text-align: center; padding: 50px;\">\n" +
        $"<h1>{WebUtility.HtmlEncode(message)}</h1>\n<p>Return to your terminal to continue.</p>\n</body></html>\n";

    /// <summary>Go's duration notation (<c>5m0s</c>), as upstream's timeout message prints it.</summary>
    public static string GoDuration(TimeSpan value)
    {
        var seconds = (long)value.TotalSeconds;
        if (seconds < 60) return $"{seconds}s";
        return seconds < 3600 ? $"{seconds / 60}m{seconds % 60}s" : $"{seconds / 3600}h{seconds % 3600 / 60}m{seconds % 60}s";
    }

    public void Dispose()
    {
        stopping.Cancel();
        foreach (var listener in listeners)
        {
            listener.Stop();
            listener.Dispose();
        }
        stopping.Dispose();
    }
}
