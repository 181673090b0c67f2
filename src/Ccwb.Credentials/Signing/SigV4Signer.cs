using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Signing;

/// <summary>
/// AWS Signature Version 4: an <c>Authorization</c> header for a request, or a presigned query string. Used for the
/// Claude Desktop bearer token (a presigned <c>CallWithBearerToken</c>), the quota API under IAM and the OTLP proxy.
/// </summary>
/// <remarks>
/// Hand-written because the AWS SDK's signer comes with AWSSDK.Core, which makes the native binary several megabytes
/// larger; the algorithm is small and fully specified by AWS's "Signature Version 4 signing process".
/// </remarks>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    /// <summary>The payload hash of a presigned URL whose body is not known in advance.</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    /// <summary>SHA-256 of the empty string, the payload hash of a request without a body.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Lower-case hex SHA-256 of a body, the payload hash of a signed request that has one.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    /// <summary>
    /// The headers to add to a request so that AWS accepts it: <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> (with
    /// temporary credentials) and <c>Authorization</c>. <paramref name="headers"/> are the request's own headers to
    /// sign besides <c>host</c>; they must be sent unchanged.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SignHeaders(
        string method, Uri url, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash,
        AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        var amzDate = AmzDate(now);
        var added = new List<KeyValuePair<string, string>> { new("X-Amz-Date", amzDate) };
        if (credentials.SessionToken.Length > 0) added.Add(new("X-Amz-Security-Token", credentials.SessionToken));

        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = HostHeader(url) };
        foreach (var (name, value) in headers.Concat(added)) signed[name.ToLowerInvariant()] = CanonicalHeaderValue(value);
        var signedHeaders = string.Join(';', signed.Keys);
        var canonicalHeaders = new StringBuilder();
        foreach (var (name, value) in signed) canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');

        var scope = Scope(now, region, service);
        var canonicalRequest = string.Join('\n', method, CanonicalPath(url), CanonicalQuery(QueryParameters(url)),
            canonicalHeaders.ToString(), signedHeaders, payloadHash);
        var signature = Signature(credentials.SecretAccessKey, now, region, service, StringToSign(amzDate, scope, canonicalRequest));
        added.Add(new("Authorization",
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}"));
        return added;
    }

    /// <summary>
    /// The canonical query string of a presigned request (<paramref name="parameters"/>, the <c>X-Amz-*</c>
    /// authentication parameters and the signature), with only <c>host</c> signed.
    /// </summary>
    public static string PresignQuery(string method, Uri url, IEnumerable<KeyValuePair<string, string>> parameters,
        AwsCredentials credentials, string region, string service, DateTimeOffset now, int expiresSeconds, string payloadHash)
    {
        var amzDate = AmzDate(now);
        var scope = Scope(now, region, service);
        var query = PresignParameters(parameters, credentials, region, service, now, expiresSeconds);
        var canonicalRequest = string.Join('\n', method, CanonicalPath(url), CanonicalQuery(query),
            $"host:{HostHeader(url)}\n", "host", payloadHash);
        var signature = Signature(credentials.SecretAccessKey, now, region, service, StringToSign(amzDate, scope, canonicalRequest));
        query.Add(new("X-Amz-Signature", signature));
        return CanonicalQuery(query);
    }

    /// <summary>
    /// The query parameters of a presigned request before its signature: <paramref name="parameters"/> and the
    /// <c>X-Amz-*</c> authentication parameters (unsorted, unencoded).
    /// </summary>
    public static List<KeyValuePair<string, string>> PresignParameters(IEnumerable<KeyValuePair<string, string>> parameters,
        AwsCredentials credentials, string region, string service, DateTimeOffset now, int expiresSeconds)
    {
        var query = new List<KeyValuePair<string, string>>(parameters)
        {
            new("X-Amz-Algorithm", Algorithm),
            new("X-Amz-Credential", $"{credentials.AccessKeyId}/{Scope(now, region, service)}"),
            new("X-Amz-Date", AmzDate(now)),
            new("X-Amz-Expires", expiresSeconds.ToString(CultureInfo.InvariantCulture)),
            new("X-Amz-SignedHeaders", "host"),
        };
        if (credentials.SessionToken.Length > 0) query.Add(new("X-Amz-Security-Token", credentials.SessionToken));
        return query;
    }

    /// <summary>Query parameters sorted by encoded name, then value, each RFC 3986-encoded, joined with <c>&amp;</c>.</summary>
    /// <remarks>
    /// A plain sort rather than LINQ's OrderBy/ThenBy: the credential-process front links this (the desktop token
    /// check), and LINQ's generic sorting machinery made every cached call of the front measurably slower to start.
    /// </remarks>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var encoded = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in parameters) encoded.Add(new(Encode(name), Encode(value)));
        encoded.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var byName and not 0 ? byName : string.CompareOrdinal(a.Value, b.Value));
        var query = new StringBuilder();
        foreach (var (name, value) in encoded) query.Append(query.Length == 0 ? "" : "&").Append(name).Append('=').Append(value);
        return query.ToString();
    }

    /// <summary>RFC 3986 encoding: every byte but the unreserved characters as upper-case %XX.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);

    private static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

    private static string Signature(string secret, DateTimeOffset now, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), Date(now));
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    private static string Scope(DateTimeOffset now, string region, string service) => $"{Date(now)}/{region}/{service}/aws4_request";

    /// <summary>The <c>X-Amz-Date</c> format (ISO 8601 basic, UTC, whole seconds).</summary>
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    private static string AmzDate(DateTimeOffset now) => now.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string HostHeader(Uri url) => url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}";

    // Services other than S3 sign each path segment encoded once more (what the AWS SDKs do), so "%2F" in a path
    // is signed as "%252F"; an empty path is "/".
    private static string CanonicalPath(Uri url)
    {
        var path = url.AbsolutePath;
        if (path.Length == 0) return "/";
        return string.Join('/', path.Split('/').Select(Encode));
    }

    private static IEnumerable<KeyValuePair<string, string>> QueryParameters(Uri url)
    {
        var query = url.Query.TrimStart('?');
        if (query.Length == 0) yield break;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            yield return new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value));
        }
    }

    private static string CanonicalHeaderValue(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
