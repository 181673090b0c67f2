using System.Globalization;
using System.Text;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Signing;

/// <summary>
/// The Bedrock API key Claude Desktop sends as a bearer token: a SigV4-presigned <c>CallWithBearerToken</c> request,
/// in the format of AWS's own short-term key generators, so that Bedrock accepts it like one of theirs.
/// </summary>
public static class BedrockBearerToken
{
    public const string Prefix = "bedrock-api-key-";
    /// <summary>How long the presigned request is valid (12 h, the longest AWS allows); the session token may end it sooner.</summary>
    public const int LifetimeSeconds = 43200;

    // The global host, without a region: the region travels in the credential scope.
    private static readonly Uri Endpoint = new("https://bedrock.amazonaws.com/");

    private const string Service = "bedrock";
    private const string VersionSuffix = "&Version=1";
    private static readonly KeyValuePair<string, string>[] Action = [new("Action", "CallWithBearerToken")];

    /// <summary>
    /// <c>bedrock-api-key-</c> + base64 of <c>bedrock.amazonaws.com/?&lt;presigned query&gt;&amp;Version=1</c> (no scheme;
    /// <c>Version</c> is appended after signing and is not part of the signature).
    /// </summary>
    public static string Create(AwsCredentials credentials, string region, DateTimeOffset now)
    {
        var query = SigV4Signer.PresignQuery("POST", Endpoint, Action, credentials, region, Service, now, LifetimeSeconds,
            SigV4Signer.UnsignedPayload);
        var url = $"{Endpoint.Host}/?{query}{VersionSuffix}";
        return Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(url));
    }

    /// <summary>
    /// Claude Desktop's <c>inferenceCredentialHelper</c> answer, <c>{"token":"…","headers":{}}</c>. The token is
    /// base64 with an ASCII prefix, so it needs no JSON escaping.
    /// </summary>
    public static string DesktopJson(string token) => "{\"token\":\"" + token + "\",\"headers\":{}}";

    /// <summary>
    /// Whether <paramref name="token"/> is one <see cref="Create"/> made from exactly these credentials for this
    /// region, no later than <paramref name="now"/>, and valid for as long as the credentials are: then handing it out
    /// again is as good as a new one (a token's life ends with its session token anyway). Checks every part but the
    /// signature itself, which needs the secret key and the platform's crypto; a token whose signature was altered is
    /// simply refused by Bedrock, as one signed with the wrong key would be.
    /// </summary>
    public static bool IsCurrentFor(string token, AwsCredentials credentials, string region, DateTimeOffset now)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var encoded = token.AsSpan(Prefix.Length);
        // The strict alphabet: Convert also skips white space, which the JSON answer would carry unescaped.
        foreach (var c in encoded)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '/' or '=')) return false;
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length)) return false;
        var url = Encoding.UTF8.GetString(bytes, 0, length);
        var head = Endpoint.Host + "/?";
        if (!url.StartsWith(head, StringComparison.Ordinal) || !url.EndsWith(VersionSuffix, StringComparison.Ordinal)) return false;

        string? signature = null, amzDate = null;
        var unsigned = new List<string>();
        foreach (var pair in url[head.Length..^VersionSuffix.Length].Split('&'))
        {
            if (pair.StartsWith("X-Amz-Signature=", StringComparison.Ordinal))
            {
                if (signature is not null) return false;
                signature = pair["X-Amz-Signature=".Length..];
                continue;
            }
            if (pair.StartsWith("X-Amz-Date=", StringComparison.Ordinal)) amzDate ??= pair["X-Amz-Date=".Length..];
            unsigned.Add(pair);
        }
        if (signature is not { Length: 64 } || !signature.All(char.IsAsciiHexDigitLower)) return false;
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4Signer.AmzDateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt)) return false;
        if (signedAt > now || signedAt.AddSeconds(LifetimeSeconds) < credentials.Expiration) return false;
        // Everything but the signature as Create would have written it at that moment: the same key, session token,
        // region, service, action, lifetime and encoding.
        var expected = SigV4Signer.CanonicalQuery(SigV4Signer.PresignParameters(Action, credentials, region, Service, signedAt, LifetimeSeconds));
        return string.Join('&', unsigned) == expected;
    }
}
