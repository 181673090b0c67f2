using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ccwb.Credentials.Quota;

/// <summary>
/// The quota page a browser shows for a warning or a block: <c>http://localhost:&lt;port&gt;/quota-status</c> served
/// on 127.0.0.1 only, port 8401 or any free one. The socket is bound before the browser opens; at exit the program
/// waits until the page was fetched or <see cref="Linger"/> passed. Reloads are answered until then.
/// </summary>
/// <remarks>A minimal HTTP/1.1 responder on a <see cref="TcpListener"/>: HttpListener is not trimming- and AOT-friendly on every OS.</remarks>
public sealed class QuotaStatusPage : IAsyncDisposable
{
    public const int DefaultPort = 8401;
    public const string PagePath = "/quota-status";
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    private readonly TcpListener listener;
    private readonly byte[] page;
    private readonly TaskCompletionSource served = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    private QuotaStatusPage(TcpListener listener, byte[] page)
    {
        this.listener = listener;
        this.page = page;
        loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public string Url => $"http://localhost:{Port}{PagePath}";

    /// <summary>Binds 127.0.0.1:<paramref name="port"/>, or any free loopback port when that one is taken.</summary>
    public static QuotaStatusPage Start(string html, int port = DefaultPort)
    {
        TcpListener listener;
        try
        {
            listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException)
        {
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
        }
        return new QuotaStatusPage(listener, Encoding.UTF8.GetBytes(html));
    }

    /// <summary>Waits until the page was fetched once or <see cref="Linger"/> passed, then stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAny(served.Task, Task.Delay(Linger)).ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        try { await loop.ConfigureAwait(false); }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var head = await ReadHeadAsync(stream, timeout.Token).ConfigureAwait(false);
            var requestLine = head.Split("\r\n", 2)[0].Split(' ');
            var isPage = requestLine.Length == 3 && requestLine[0] is "GET" or "HEAD" && requestLine[1].Split('?')[0] == PagePath;
            var body = isPage ? page : "Not found"u8.ToArray();
            var response = $"HTTP/1.1 {(isPage ? "200 OK" : "404 Not Found")}\r\n" +
                           $"Content-Type: {(isPage ? "text/html; charset=utf-8" : "text/plain")}\r\n" +
                           $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n" +
                           "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), timeout.Token).ConfigureAwait(false);
            if (requestLine[0] != "HEAD") await stream.WriteAsync(body, timeout.Token).ConfigureAwait(false);
            if (isPage) served.TrySetResult();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A browser that gave up or a probe that sent nothing: the next request is answered as usual.
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
            if (Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
        }
        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    /// <summary>The page: heading, usage bars (daily only with a daily limit), the service's message.</summary>
    public static string Html(QuotaResult result, bool blocked)
    {
        var usage = result.Usage;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Quota Status - Claude Code</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;color:#222}")
            .Append(".bar{background:#e9ecef;border-radius:4px;height:1.4em;overflow:hidden}.fill{height:100%}")
            .Append("footer{margin-top:3em;color:#888;font-size:.9em}</style>\n</head>\n<body>\n")
            .Append(blocked ? "<h1>\U0001F6AB Access Blocked</h1>\n" : "<h1>\u26A0\uFE0F Quota Warning</h1>\n");
        if (usage is not null)
        {
            Bar(html, "Monthly", usage.MonthlyTokens, usage.MonthlyLimit, usage.MonthlyPercent);
            if (usage.DailyLimit is > 0) Bar(html, "Daily", usage.DailyTokens, usage.DailyLimit, usage.DailyPercent);
        }
        if (result.Message.Length > 0) html.Append("<p>").Append(WebUtility.HtmlEncode(result.Message)).Append("</p>\n");
        if (blocked) html.Append("<p>To request an unblock, contact your administrator.</p>\n");
        html.Append("<footer>Claude Code with Amazon Bedrock \u2014 Quota Monitor</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Bar(StringBuilder html, string period, double? tokens, double? limit, double? percent)
    {
        var value = percent ?? (tokens is { } t && limit is > 0 and var l ? t / l * 100 : 0);
        var width = Math.Clamp(value, 0, 100);
        html.Append("<h2>").Append(period).Append("</h2>\n<p>")
            .Append(QuotaUsage.Grouped(tokens ?? 0)).Append(" / ").Append(QuotaUsage.Grouped(limit ?? 0)).Append(" tokens (")
            .Append(QuotaUsage.Percent(value)).Append("%)</p>\n")
            .Append("<div class=\"bar\"><div class=\"fill\" style=\"width:").Append(width.ToString("0.#", CultureInfo.InvariantCulture))
            .Append("%;background:").Append(Colour(value)).Append("\"></div></div>\n");
    }

    /// <summary>Green below 80 %, yellow from 80, orange from 90, red from 100.</summary>
    public static string Colour(double percent) => percent switch
    {
        >= 100 => "#dc3545",
        >= 90 => "#fd7e14",
        >= 80 => "#ffc107",
        _ => "#28a745",
    };
}
