using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Ccwb.Testing.Peers;

/// <summary>
/// Verifies an AWS Signature Version 4 Authorization header the way AWS does: rebuild the canonical request from the
/// received request, derive the signing key from the secret the peer issued, compare signatures.
/// </summary>
public static class SigV4
{
    public sealed record Result(bool Valid, string AccessKeyId, string Reason);

    public static Result Verify(HttpListenerRequest request, byte[] body, Func<string, string?> secretFor)
    {
        var authorization = request.Headers["Authorization"];
        if (authorization is null || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
            return new(false, "", "MissingAuthenticationToken");
        var fields = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        var scope = fields["Credential"].Split('/');
        var accessKey = scope[0];
        var secret = secretFor(accessKey);
        if (secret is null) return new(false, accessKey, "InvalidClientTokenId");
        var signedHeaders = fields["SignedHeaders"].Split(';');
        var amzDate = request.Headers["X-Amz-Date"] ?? "";

        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            var value = name == "host" ? request.Headers["Host"] : request.Headers[name];
            canonicalHeaders.Append(name).Append(':').Append(string.Join(' ', (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }
        var query = request.Url!.Query.TrimStart('?');
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal).Select(p => p.Item1 + "=" + p.Item2));
        var canonicalRequest = string.Join('\n', request.HttpMethod, request.Url.AbsolutePath, canonicalQuery, canonicalHeaders.ToString(),
            fields["SignedHeaders"], Hex(SHA256.HashData(body)));
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, string.Join('/', scope[1..]), Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), scope[1]);
        key = Hmac(key, scope[2]);
        key = Hmac(key, scope[3]);
        key = Hmac(key, scope[4]);
        var expected = Hex(Hmac(key, stringToSign));
        return expected == fields["Signature"]
            ? new(true, accessKey, "")
            : new(false, accessKey, "SignatureDoesNotMatch");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);
}
