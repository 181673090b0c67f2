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

    /// <summary>
    /// <c>bedrock-api-key-</c> + base64 of <c>bedrock.amazonaws.com/?&lt;presigned query&gt;&amp;Version=1</c> (no scheme;
    /// <c>Version</c> is appended after signing and is not part of the signature).
    /// </summary>
    public static string Create(AwsCredentials credentials, string region, DateTimeOffset now)
    {
        var query = SigV4Signer.PresignQuery("POST", Endpoint, [new("Action", "CallWithBearerToken")], credentials, region,
            "bedrock", now, LifetimeSeconds, SigV4Signer.UnsignedPayload);
        var url = $"{Endpoint.Host}/?{query}&Version=1";
        return Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(url));
    }

    /// <summary>
    /// Claude Desktop's <c>inferenceCredentialHelper</c> answer, <c>{"token":"…","headers":{}}</c>. The token is
    /// base64 with an ASCII prefix, so it needs no JSON escaping.
    /// </summary>
    public static string DesktopJson(string token) => "{\"token\":\"" + token + "\",\"headers\":{}}";
}
