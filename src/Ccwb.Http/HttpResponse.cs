using System.Text;

namespace Ccwb.Http;

/// <summary>A complete HTTP response: status, headers (names compared case-insensitively) and the whole body.</summary>
public sealed class HttpResponse(int statusCode, string reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
{
    public int StatusCode { get; } = statusCode;
    public string ReasonPhrase { get; } = reasonPhrase;
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;
    public byte[] Body { get; } = body;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The body as text. Every service this client talks to answers in UTF-8 (JSON, or XML declared UTF-8).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The media type of Content-Type without parameters, or null.</summary>
    public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim();

    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }
}
