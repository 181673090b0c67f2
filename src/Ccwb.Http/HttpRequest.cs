using System.Text;

namespace Ccwb.Http;

/// <summary>One HTTP request. Bodies are small (forms and JSON), so they are held in memory.</summary>
public sealed record HttpRequest(string Method, Uri Url, byte[]? Body = null, string? ContentType = null,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    public static HttpRequest Get(Uri url) => new("GET", url);

    /// <summary>An <c>application/x-www-form-urlencoded</c> POST, encoded as HTML forms and OAuth 2.0 require.</summary>
    public static HttpRequest PostForm(Uri url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var form = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (form.Length > 0) form.Append('&');
            form.Append(FormEncode(name)).Append('=').Append(FormEncode(value));
        }
        return new HttpRequest("POST", url, Encoding.UTF8.GetBytes(form.ToString()), "application/x-www-form-urlencoded");
    }

    // Uri.EscapeDataString encodes everything but the RFC 3986 unreserved set; forms write a space as '+'.
    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
