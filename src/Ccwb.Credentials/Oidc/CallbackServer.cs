using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ccwb.Credentials.Oidc;

/// <summary>
/// The sign-in redirect target <c>http://localhost:&lt;port&gt;/callback</c>, listening on 127.0.0.1 only. Binding the
/// port is also the cross-process lock of a sign-in: the socket stays bound from the moment the lock is taken until the
/// credentials are cached, so a concurrent invocation can never slip in between (no bind-release-rebind gap).
/// </summary>
/// <remarks>
/// A minimal HTTP/1.1 responder on a <see cref="TcpListener"/> rather than HttpListener, because HttpListener
/// cannot take over a socket that is already bound, and the lock needs exactly that.
/// </remarks>
public sealed class CallbackServer : IDisposable
{
    /// <summary>A path only this server answers, so waiting invocations can tell a sign-in in progress from a foreign program.</summary>
    public const string ProbePath = "/.well-known/ccwb-callback";
    public const string ProbeHeader = "X-Ccwb-Callback";

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource<string> result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? expectedState;

    private CallbackServer(TcpListener listener, int port)
    {
        this.listener = listener;
        Port = port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> and starts answering; null when the port is already in use.</summary>
    public static CallbackServer? TryStart(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // On Windows a second socket could otherwise bind the same port and break the lock.
        if (OperatingSystem.IsWindows()) listener.ExclusiveAddressUse = true;
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            listener.Dispose();
            if (e.SocketErrorCode == SocketError.AccessDenied)
                throw new OidcException($"starting callback server: cannot listen on 127.0.0.1:{port}: {e.Message}", e);
            return null;
        }
        return new CallbackServer(listener, port);
    }

    /// <summary>
    /// Waits for the provider's redirect and returns the authorization code. The first <c>/callback</c> request ends
    /// the wait: a provider error, a wrong state or a missing code is an <see cref="OidcException"/>.
    /// </summary>
    public async Task<string> WaitForCodeAsync(string state, TimeSpan timeout, CancellationToken cancellation = default)
    {
        expectedState = state;
        var finished = await Task.WhenAny(result.Task, Task.Delay(timeout, cancellation)).ConfigureAwait(false);
        if (finished != result.Task)
            throw new OidcException($"authentication timeout - no authorization code received within {GoDuration(timeout)}. " +
                                   "The browser never returned to this computer; close the sign-in tab and try again.");
        return await result.Task.ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync()
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
        if (query.TryGetValue("error", out var error))
        {
            var description = query.TryGetValue("error_description", out var d) && d.Length > 0 ? d : error;
            result.TrySetException(new OidcException($"authentication error: {description}"));
            return (400, "Authentication failed", null);
        }
        if (state is null || !query.TryGetValue("state", out var returnedState) || returnedState != state ||
            !query.TryGetValue("code", out var code) || code.Length == 0)
        {
            result.TrySetException(new OidcException(
                "authentication error: Invalid state or missing code (the browser returned a response that does not belong to this sign-in; " +
                "close old sign-in tabs and try again)"));
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
        listener.Stop();
        listener.Dispose();
        stopping.Dispose();
    }
}
