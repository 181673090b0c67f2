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
        // Services other than S3 encode each path segment of the request as sent once more ("%3A" is signed as "%253A").
        var sentPath = request.RawUrl!.Split('?', 2)[0];
        if (sentPath.StartsWith("http://", StringComparison.Ordinal) || sentPath.StartsWith("https://", StringComparison.Ordinal))
            sentPath = "/" + sentPath.Split('/', 4).ElementAtOrDefault(3); // absolute form, as sent to a proxy
        var canonicalPath = string.Join('/', sentPath.Split('/').Select(Uri.EscapeDataString));
        var canonicalRequest = string.Join('\n', request.HttpMethod, canonicalPath, canonicalQuery, canonicalHeaders.ToString(),
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

/// <summary>
/// Verifies a SigV4 presigned URL (query authentication) as the receiving AWS service does: every <c>X-Amz-*</c>
/// parameter is checked, the canonical request is rebuilt from the URL with only <c>host</c> signed and an unsigned
/// payload, and the signature is recomputed with the secret key issued for the access key.
/// </summary>
public static class SigV4Query
{
    public sealed record Result(bool Valid, string Reason, IReadOnlyDictionary<string, string> Parameters);

    /// <param name="url">The URL with scheme, as sent.</param>
    /// <param name="issued">The secret key and session token issued with an access key id, or null.</param>
    /// <param name="unsignedParameters">Parameters appended after signing (not part of the canonical request).</param>
    public static Result Verify(Uri url, string method, string service, Func<string, (string Secret, string SessionToken)?> issued,
        DateTimeOffset now, params string[] unsignedParameters)
    {
        var pairs = url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (Name: Uri.UnescapeDataString(p[0]), Value: Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))).ToList();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
            if (!parameters.TryAdd(name, value)) return Fail("duplicate parameter " + name);
        Result Fail(string reason) => new(false, reason, parameters);

        string Get(string name) => parameters.GetValueOrDefault(name) ?? "";
        if (Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256") return Fail("X-Amz-Algorithm");
        if (Get("X-Amz-SignedHeaders") != "host") return Fail("X-Amz-SignedHeaders");
        var scope = Get("X-Amz-Credential").Split('/');
        if (scope.Length != 5 || scope[3] != service || scope[4] != "aws4_request") return Fail("X-Amz-Credential scope");
        if (!DateTimeOffset.TryParseExact(Get("X-Amz-Date"), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt)) return Fail("X-Amz-Date");
        if (scope[1] != signedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)) return Fail("scope date differs from X-Amz-Date");
        if (!int.TryParse(Get("X-Amz-Expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires is < 1 or > 604800)
            return Fail("X-Amz-Expires");
        if (now > signedAt.AddSeconds(expires)) return Fail("expired");
        if (signedAt > now.AddMinutes(5)) return Fail("signed in the future");
        var credentials = issued(scope[0]);
        if (credentials is null) return Fail("unknown access key");
        if (credentials.Value.SessionToken.Length > 0 && Get("X-Amz-Security-Token") != credentials.Value.SessionToken)
            return Fail("X-Amz-Security-Token");

        var signed = pairs.Where(p => p.Name != "X-Amz-Signature" && !unsignedParameters.Contains(p.Name))
            .Select(p => (Name: Uri.EscapeDataString(p.Name), Value: Uri.EscapeDataString(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value);
        var host = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
        var canonicalRequest = string.Join('\n', method, url.AbsolutePath, string.Join('&', signed), $"host:{host}\n", "host", "UNSIGNED-PAYLOAD");
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", Get("X-Amz-Date"), string.Join('/', scope[1..]),
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.Value.Secret), scope[1]);
        key = Hmac(key, scope[2]);
        key = Hmac(key, scope[3]);
        key = Hmac(key, scope[4]);
        return Hex(Hmac(key, stringToSign)) == Get("X-Amz-Signature") ? new(true, "", parameters) : Fail("SignatureDoesNotMatch");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);
}
