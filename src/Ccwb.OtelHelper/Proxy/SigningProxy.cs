using System.Net;
using System.Net.Sockets;
using System.Text;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.OtelHelper.Proxy;

/// <summary>What the proxy forwards to and signs with.</summary>
/// <param name="Upstream">The CloudWatch endpoint (<c>https://monitoring.&lt;region&gt;.amazonaws.com/</c>, or the configured one).</param>
/// <param name="Credentials">The AWS credentials to sign with; throws when there are none.</param>
/// <param name="AttributionHeaders">The cached attribution headers (null or empty when none are cached).</param>
internal sealed record ProxyUpstream(
    Uri Upstream,
    string Region,
    Func<AwsCredentials> Credentials,
    Func<IReadOnlyDictionary<string, string>?> AttributionHeaders,
    HttpTransport Http);

/// <summary>
/// <c>otel-helper --proxy</c>: a loopback-only reverse proxy that takes OTLP over HTTP from Claude Code, adds the
/// user's attribution headers, signs each request with SigV4 for CloudWatch (service <c>monitoring</c>) and forwards
/// it. <c>GET /health</c> answers <c>ok</c>; any other method than POST is 405; a request that cannot be read is 400
/// (413 when too large); no credentials or a signing failure is 500; no answer from upstream is 502; otherwise the
/// upstream's status, content type and body are passed back.
/// </summary>
internal sealed class SigningProxy(ProxyUpstream upstream, TimeProvider clock, Action<string> log, Action<string> warn) : IDisposable
{
    /// <summary>Go's http.Server settings upstream uses: the whole request within 30 s, the answer written within 30 s.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(5);
    // Requests in flight at once; more connections wait to be accepted.
    private const int MaxConcurrentRequests = 16;

    // Hop-by-hop and framing headers are the proxy's own business on each side; the transport sets its own
    // User-Agent, Accept and Content-Type; the signature's headers are made here.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Content-Length", "Expect", "TE", "Trailer",
        "Upgrade", "User-Agent", "Accept", "Accept-Encoding", "Content-Type",
        "Authorization", "Proxy-Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256",
    };

    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim slots = new(MaxConcurrentRequests);
    private readonly Dictionary<string, DateTimeOffset> lastWarnings = new(StringComparer.Ordinal);
    private TcpListener? listener;

    /// <summary>The port it listens on (useful when started on port 0).</summary>
    public int Port => ((IPEndPoint)listener!.LocalEndpoint).Port;

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> (IPv4 loopback only, as upstream).</summary>
    /// <exception cref="SocketException">The port is taken or cannot be bound.</exception>
    public void Start(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
    }

    /// <summary>Serves until <paramref name="stop"/> is cancelled, then lets requests in flight finish for up to 5 s.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var registration = stop.Register(() => stopping.Cancel());
        var inFlight = new List<Task>();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { break; }
            TcpClient client;
            try
            {
                client = await listener!.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                slots.Release();
                break;
            }
            inFlight.RemoveAll(t => t.IsCompleted);
            // Requests in flight finish after a stop (within the grace period), so they do not take the stop token.
            inFlight.Add(Task.Run(() => ServeAsync(client), CancellationToken.None));
        }
        listener!.Stop();
        await Task.WhenAny(Task.WhenAll(inFlight), Task.Delay(ShutdownGrace, clock, CancellationToken.None)).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                ProxyResponse response;
                using (var reading = new CancellationTokenSource(ReadTimeout, clock))
                {
                    try
                    {
                        var request = await new ProxyRequestReader(stream).ReadAsync(reading.Token).ConfigureAwait(false);
                        if (request is null) return;
                        response = Handle(request);
                    }
                    catch (ProxyRequestException e)
                    {
                        response = ProxyResponse.Text(e.Status, e.Message);
                    }
                    catch (OperationCanceledException)
                    {
                        // A client too slow to send its request within the limit gets the connection closed.
                        log("a client did not send its request within 30 s; connection closed");
                        return;
                    }
                }
                using var writing = new CancellationTokenSource(WriteTimeout, clock);
                await response.WriteAsync(stream, writing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up or stalled: only its own connection is affected.
        }
        finally
        {
            slots.Release();
        }
    }

    internal ProxyResponse Handle(ProxyRequest request)
    {
        if (request.Method == "GET" && (request.Target == "/health" || request.Target.StartsWith("/health?", StringComparison.Ordinal)))
            return ProxyResponse.Text(200, "ok");
        if (request.Method != "POST") return ProxyResponse.Text(405, "method not allowed");

        AwsCredentials credentials;
        try
        {
            credentials = upstream.Credentials();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Warn("credentials", $"no AWS credentials to sign with: {e.Message}");
            return ProxyResponse.Text(500, "failed to get AWS credentials");
        }

        // The target is a path on the upstream, never another host: "//host/…" would make Uri resolve to that host,
        // and this proxy would sign requests for it.
        if (request.Target.StartsWith("//", StringComparison.Ordinal)) return ProxyResponse.Text(400, "the request target must be a path");
        var url = new Uri(upstream.Upstream.GetLeftPart(UriPartial.Authority) + upstream.Upstream.AbsolutePath.TrimEnd('/') + request.Target);
        if (!string.Equals(url.Authority, upstream.Upstream.Authority, StringComparison.OrdinalIgnoreCase))
            return ProxyResponse.Text(400, "the request target must be a path");
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
            if (!NotForwarded.Contains(header.Key)) headers.Add(header);
        foreach (var (name, value) in Attribution())
            if (!headers.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))) headers.Add(new(name, value));

        var contentType = request.Header("Content-Type");
        var toSign = new List<KeyValuePair<string, string>>(headers);
        if (contentType is not null) toSign.Add(new("Content-Type", contentType));
        IReadOnlyList<KeyValuePair<string, string>> signature;
        try
        {
            signature = SigV4Signer.SignHeaders("POST", url, toSign, SigV4Signer.PayloadHash(request.Body), credentials, upstream.Region, "monitoring",
                clock.GetUtcNow());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            log($"cannot sign the request: {e.Message}");
            return ProxyResponse.Text(500, "failed to sign the request");
        }

        HttpResponse answer;
        try
        {
            answer = upstream.Http.Send(new HttpRequest("POST", url, request.Body, contentType, [.. headers, .. signature]), UpstreamTimeout);
        }
        catch (HttpTransportException e)
        {
            Warn("upstream", $"{url.Host} did not answer: {e.Message}");
            return ProxyResponse.Text(502, "upstream request failed");
        }
        return new ProxyResponse(answer.StatusCode, answer.Header("Content-Type"), answer.Body);
    }

    // The attribution headers, without the bearer (SigV4 signs these requests). Without them, telemetry still flows,
    // and the user is told once and then every five minutes.
    private IEnumerable<KeyValuePair<string, string>> Attribution()
    {
        var cached = upstream.AttributionHeaders();
        if (cached is { Count: > 0 })
            return cached.Where(h => !string.Equals(h.Key, Ccwb.Credentials.Otel.AttributionHeaders.Authorization, StringComparison.OrdinalIgnoreCase));
        Warn("headers", "no attribution headers are cached for this profile; telemetry is forwarded without user attribution until the user signs in");
        return [];
    }

    // Each kind of problem is reported once and then at most every five minutes: exporters retry every few seconds.
    private void Warn(string kind, string message)
    {
        lock (lastWarnings)
        {
            var now = clock.GetUtcNow();
            if (lastWarnings.TryGetValue(kind, out var last) && now - last < WarnEvery)
            {
                log(message);
                return;
            }
            lastWarnings[kind] = now;
        }
        warn(message);
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener?.Stop();
        stopping.Dispose();
        slots.Dispose();
    }
}

/// <summary>An answer to a proxy client; always the last on its connection.</summary>
internal sealed record ProxyResponse(int Status, string? ContentType, byte[] Body)
{
    public static ProxyResponse Text(int status, string text) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text + "\n"));

    public async Task WriteAsync(Stream stream, CancellationToken cancellation)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(Status).Append(' ').Append(Reason(Status)).Append("\r\n")
            .Append("Content-Length: ").Append(Body.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        if (ContentType is not null) head.Append("Content-Type: ").Append(ContentType.ReplaceLineEndings("")).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellation).ConfigureAwait(false);
        await stream.WriteAsync(Body, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        _ => "Status",
    };
}
