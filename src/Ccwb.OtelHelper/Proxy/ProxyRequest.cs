using System.Globalization;
using System.Text;

namespace Ccwb.OtelHelper.Proxy;

/// <summary>One HTTP/1.1 request as a client sent it to the signing proxy, body included.</summary>
internal sealed record ProxyRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>The request cannot be served; <see cref="Status"/> is the answer (400, 413, 431, 501).</summary>
internal sealed class ProxyRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Reads one request from a client connection: the head (request line and headers), then a body framed by
/// <c>Content-Length</c> or <c>Transfer-Encoding: chunked</c> (the OpenTelemetry JS exporters Claude Code uses send
/// chunked bodies), answering <c>Expect: 100-continue</c>. Sizes are bounded so a client cannot exhaust memory.
/// </summary>
/// <remarks>
/// Hand-written over the socket, as the sign-in callback server is, rather than HttpListener: the proxy needs a hard
/// deadline for slow clients and a body limit checked before the body is read, which HttpListener does not offer off
/// Windows.
/// </remarks>
internal sealed class ProxyRequestReader(Stream stream)
{
    /// <summary>The OpenTelemetry Collector's default limit for an OTLP/HTTP request body.</summary>
    public const int MaxBodyBytes = 20 * 1024 * 1024;
    public const int MaxHeadBytes = 32 * 1024;

    private readonly byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    /// <returns>The request, or null when the client closed the connection before sending one.</returns>
    public async Task<ProxyRequest?> ReadAsync(CancellationToken cancellation)
    {
        var headBytes = 0;
        var requestLine = await ReadLineAsync(cancellation).ConfigureAwait(false);
        if (requestLine is null) return null;
        headBytes += requestLine.Length + 2;
        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[0].Length == 0 || !parts[1].StartsWith('/'))
            throw new ProxyRequestException(400, "malformed request line");

        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = await ReadLineAsync(cancellation).ConfigureAwait(false)
                       ?? throw new ProxyRequestException(400, "the connection closed inside the request headers");
            headBytes += line.Length + 2;
            if (headBytes > MaxHeadBytes) throw new ProxyRequestException(431, "request headers larger than 32 KiB");
            if (line.Length == 0) break;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new ProxyRequestException(400, "malformed header line");
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        var request = new ProxyRequest(parts[0], parts[1], headers, []);

        var transferEncoding = request.Header("Transfer-Encoding");
        if (transferEncoding is not null && !string.Equals(transferEncoding, "chunked", StringComparison.OrdinalIgnoreCase))
            throw new ProxyRequestException(501, "only the chunked transfer encoding is supported");
        var chunked = transferEncoding is not null;
        long length = 0;
        if (!chunked && request.Header("Content-Length") is { } declared &&
            (!long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out length)))
            throw new ProxyRequestException(400, "malformed Content-Length");
        if (length > MaxBodyBytes) throw new ProxyRequestException(413, $"request body larger than {MaxBodyBytes / 1024 / 1024} MiB");

        // The client waits for this before it sends a large body.
        if (string.Equals(request.Header("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase) && (chunked || length > 0))
        {
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellation).ConfigureAwait(false);
            await stream.FlushAsync(cancellation).ConfigureAwait(false);
        }
        var body = chunked ? await ReadChunkedAsync(cancellation).ConfigureAwait(false) : await ReadExactAsync((int)length, cancellation).ConfigureAwait(false);
        return request with { Body = body };
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellation)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellation).ConfigureAwait(false) ?? throw new ProxyRequestException(400, "the connection closed inside the body");
            var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            var hex = (semicolon < 0 ? sizeLine : sizeLine[..semicolon]).Trim();
            if (hex.Length is 0 or > 8 || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                throw new ProxyRequestException(400, "malformed chunk size");
            if (size == 0) break;
            if (body.Length + size > MaxBodyBytes) throw new ProxyRequestException(413, $"request body larger than {MaxBodyBytes / 1024 / 1024} MiB");
            body.Write(await ReadExactAsync(size, cancellation).ConfigureAwait(false));
            if (await ReadLineAsync(cancellation).ConfigureAwait(false) is not "") throw new ProxyRequestException(400, "malformed chunk");
        }
        // Trailers are read and dropped.
        while (await ReadLineAsync(cancellation).ConfigureAwait(false) is { Length: > 0 }) { }
        return body.ToArray();
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellation)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (start == end && !await FillAsync(cancellation).ConfigureAwait(false))
                throw new ProxyRequestException(400, "the connection closed inside the body");
            var take = Math.Min(count - filled, end - start);
            buffer.AsSpan(start, take).CopyTo(result.AsSpan(filled));
            start += take;
            filled += take;
        }
        return result;
    }

    /// <returns>A line without its CRLF; null at the end of the stream before any byte of a line.</returns>
    private async Task<string?> ReadLineAsync(CancellationToken cancellation)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (start == end && !await FillAsync(cancellation).ConfigureAwait(false))
                return line.Length == 0 ? null : throw new ProxyRequestException(400, "the connection closed inside a line");
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            var take = newline < 0 ? end - start : newline;
            line.Append(Encoding.Latin1.GetString(buffer, start, take));
            if (line.Length > MaxHeadBytes) throw new ProxyRequestException(431, "request line or header larger than 32 KiB");
            start += take;
            if (newline < 0) continue;
            start++; // the '\n'
            if (line.Length > 0 && line[^1] == '\r') line.Length--;
            return line.ToString();
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellation)
    {
        start = 0;
        end = await stream.ReadAsync(buffer, cancellation).ConfigureAwait(false);
        return end > 0;
    }
}
