using System.Globalization;
using System.Text;

namespace Ccwb.Http;

/// <summary>HTTP/1.1 framing (RFC 9112): writing one request and reading one response from a connection.</summary>
internal static class HttpMessage
{
    private const int MaxHeadBytes = 64 * 1024;

    public static void WriteRequest(Stream connection, HttpRequest request, string requestTarget, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var head = new StringBuilder();
        head.Append(request.Method).Append(' ').Append(requestTarget).Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in headers) AppendHeader(head, name, value);
        if (request.Headers is not null)
            foreach (var (name, value) in request.Headers) AppendHeader(head, name, value);
        if (request.ContentType is not null) AppendHeader(head, "Content-Type", request.ContentType);
        if (request.Body is not null || request.Method is "POST" or "PUT")
            AppendHeader(head, "Content-Length", (request.Body?.Length ?? 0).ToString(CultureInfo.InvariantCulture));
        head.Append("\r\n");
        var bytes = Encoding.ASCII.GetBytes(head.ToString());
        connection.Write(request.Body is null ? bytes : [.. bytes, .. request.Body]);
    }

    private static void AppendHeader(StringBuilder head, string name, string value)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAny(" :\r\n") >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0 || !Ascii.IsValid(value))
            throw new ArgumentException($"'{name}' is not a valid HTTP header (names are tokens; values are one line of ASCII).");
        head.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    /// <summary>Reads the response to a request (interim 1xx answers skipped), body included.</summary>
    public static HttpResponse ReadResponse(Stream connection, string method, int maxBodyBytes)
    {
        var reader = new MessageReader(connection);
        while (true)
        {
            var (status, reason, headers) = ReadHead(reader.ReadLine);
            if (status is >= 100 and < 200) continue;
            var body = method == "HEAD" || status is 204 or 304 ? [] : ReadBody(connection, reader, headers, maxBodyBytes);
            return new HttpResponse(status, reason, headers, body);
        }
    }

    /// <summary>Reads a status line and header fields; <paramref name="readLine"/> yields lines without CRLF.</summary>
    public static (int Status, string Reason, List<KeyValuePair<string, string>> Headers) ReadHead(Func<int, string> readLine)
    {
        var budget = MaxHeadBytes;
        var statusLine = readLine(budget);
        budget -= statusLine.Length;
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length != 3 ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            throw new HttpTransportException($"the server's answer is not HTTP/1.1: '{Printable(statusLine)}'.");
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = readLine(budget);
            budget -= line.Length + 2;
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new HttpTransportException($"the server sent a malformed header line: '{Printable(line)}'.");
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        // The reason phrase reaches messages the user sees (a proxy refusing CONNECT): no terminal control characters.
        return (status, parts.Length > 2 ? Printable(parts[2]) : "", headers);
    }

    private static byte[] ReadBody(Stream connection, MessageReader reader, List<KeyValuePair<string, string>> headers, int maxBodyBytes)
    {
        // The request asks for identity; a compressed body would reach JSON and XML parsers as garbage.
        var contentEncoding = Find(headers, "Content-Encoding");
        if (contentEncoding is not null && !contentEncoding.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase))
            throw new HttpTransportException($"the server sent its answer in the Content-Encoding '{Printable(contentEncoding)}', which this client does not decode.");
        var transferEncoding = FindAll(headers, "Transfer-Encoding");
        if (transferEncoding is not null)
        {
            // Only chunked is decoded: any other coding in the list ("gzip, chunked") would leave the body encoded.
            if (!transferEncoding.Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
                throw new HttpTransportException($"the server used an unsupported Transfer-Encoding '{Printable(transferEncoding)}'.");
            return ReadChunked(reader, maxBodyBytes);
        }
        var contentLength = Find(headers, "Content-Length");
        if (contentLength is null)
        {
            var body = reader.ReadToEnd(maxBodyBytes);
            if (connection is ConnectionStream { EndedCleanly: false })
                throw new HttpTransportException("the server's answer has no length and its TLS connection ended without close_notify, so it may be cut short.");
            return body;
        }
        if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw new HttpTransportException($"the server sent an invalid Content-Length '{Printable(contentLength)}'.");
        if (length > maxBodyBytes) throw TooLarge(maxBodyBytes);
        return reader.ReadExactly((int)length);
    }

    private static byte[] ReadChunked(MessageReader reader, int maxBodyBytes)
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeText = reader.ReadLine(1024).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                throw new HttpTransportException($"the server sent a malformed chunk size '{Printable(sizeText)}'.");
            if (size == 0) break;
            if (body.Length + size > maxBodyBytes) throw TooLarge(maxBodyBytes);
            body.Write(reader.ReadExactly(size));
            if (reader.ReadLine(2).Length != 0) throw new HttpTransportException("the server sent a chunk longer than its declared size.");
        }
        while (reader.ReadLine(MaxHeadBytes).Length != 0) { } // trailer fields, unused
        return body.ToArray();
    }

    private static string? Find(List<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var (key, value) in headers)
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    /// <summary>Every field named <paramref name="name"/> as one comma-separated list (RFC 9110 §5.3), or null.</summary>
    private static string? FindAll(List<KeyValuePair<string, string>> headers, string name)
    {
        string? joined = null;
        foreach (var (key, value) in headers)
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)) joined = joined is null ? value : joined + ", " + value;
        return joined;
    }

    private static HttpTransportException TooLarge(int maxBodyBytes) =>
        new($"the server's answer is larger than {maxBodyBytes / (1024 * 1024)} MiB, far more than any expected answer.");

    private static string Printable(string text) => Printable(text, 80);

    internal static string Printable(string text, int maxLength) => TerminalText.Clean(text, maxLength);

    /// <summary>Buffered reading of lines and byte counts from a connection.</summary>
    private sealed class MessageReader(Stream connection)
    {
        private readonly byte[] buffer = new byte[16 * 1024];
        private int start;
        private int end;

        public string ReadLine(int maxLength)
        {
            var line = new List<byte>();
            while (true)
            {
                if (start == end && !Fill()) throw new HttpTransportException("the connection closed in the middle of the server's answer.");
                var b = buffer[start++];
                if (b == '\n')
                {
                    if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
                    return Encoding.Latin1.GetString([.. line]);
                }
                line.Add(b);
                if (line.Count > maxLength + 1) throw new HttpTransportException("the server sent an over-long line in its answer.");
            }
        }

        public byte[] ReadExactly(int count)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (start == end && !Fill()) throw new HttpTransportException("the connection closed before the whole answer arrived.");
                var take = Math.Min(count - filled, end - start);
                buffer.AsSpan(start, take).CopyTo(result.AsSpan(filled));
                start += take;
                filled += take;
            }
            return result;
        }

        public byte[] ReadToEnd(int maxBytes)
        {
            var body = new MemoryStream();
            while (start < end || Fill())
            {
                if (body.Length + (end - start) > maxBytes) throw TooLarge(maxBytes);
                body.Write(buffer, start, end - start);
                start = end;
            }
            return body.ToArray();
        }

        private bool Fill()
        {
            start = 0;
            end = connection.Read(buffer);
            return end > 0;
        }
    }
}
