using System.Globalization;
using Ccwb.Http;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Federation;

/// <summary>
/// STS <c>AssumeRoleWithWebIdentity</c> over the Query API (form POST, XML answer). The call is unsigned: the id token
/// is the proof. A direct call rather than AWSSDK.SecurityToken because the SDK makes the native binary five times larger
/// and doubles the time of the call (figures in benchmarks/sts-client/README.md).
/// </summary>
public sealed class StsClient(HttpTransport http, Uri endpoint)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public AwsCredentials AssumeRoleWithWebIdentity(string roleArn, string sessionName, string webIdentityToken, int durationSeconds)
    {
        var form = new Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithWebIdentity",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = roleArn,
            ["RoleSessionName"] = sessionName,
            ["WebIdentityToken"] = webIdentityToken,
            ["DurationSeconds"] = durationSeconds.ToString(CultureInfo.InvariantCulture),
        };
        HttpResponse response;
        try
        {
            response = http.Send(HttpRequest.PostForm(endpoint, form), Timeout);
        }
        catch (HttpTransportException e)
        {
            throw new FederationException($"AssumeRoleWithWebIdentity failed: cannot reach STS at {endpoint}: {e.Message}", inner: e);
        }
        var status = response.StatusCode;
        var values = ParseXml(response.BodyText);
        string? accessKey = null;
        if (status != 200 || values is null || !values.TryGetValue("AccessKeyId", out accessKey))
        {
            if (values is not null && values.TryGetValue("Code", out var code))
                throw new FederationException($"AssumeRoleWithWebIdentity failed: {ErrorText(values)} (HTTP {status})", code);
            throw new FederationException($"AssumeRoleWithWebIdentity failed: STS answered HTTP {status} with a body that is not an STS response.");
        }
        if (!values.TryGetValue("SecretAccessKey", out var secret) || !values.TryGetValue("SessionToken", out var token) ||
            !values.TryGetValue("Expiration", out var expiration) || !Rfc3339.TryParse(expiration, out var expires))
            throw new FederationException("AssumeRoleWithWebIdentity failed: the STS response lacks SecretAccessKey, SessionToken or a valid Expiration.");
        return new AwsCredentials(accessKey, secret, token, expires);
    }

    /// <summary>
    /// <c>GetCallerIdentity</c> signed with <paramref name="credentials"/>: the ARN they act as. Signed explicitly with
    /// the credentials at hand, never through the default chain, which could lead back to this program.
    /// </summary>
    public string GetCallerIdentityArn(AwsCredentials credentials, string region, DateTimeOffset now, TimeSpan? timeout = null)
    {
        var form = HttpRequest.PostForm(endpoint, [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", form.ContentType!) };
        headers.AddRange(Signing.SigV4Signer.SignHeaders("POST", endpoint, headers, Signing.SigV4Signer.PayloadHash(form.Body), credentials,
            region, "sts", now));
        HttpResponse response;
        try
        {
            response = http.Send(form with { Headers = headers[1..] }, timeout ?? Timeout);
        }
        catch (HttpTransportException e)
        {
            throw new FederationException($"GetCallerIdentity failed: cannot reach STS at {endpoint}: {e.Message}", inner: e);
        }
        var values = ParseXml(response.BodyText);
        if (response.StatusCode == 200 && values is not null && values.TryGetValue("Arn", out var arn)) return arn;
        if (values is not null && values.TryGetValue("Code", out var code))
            throw new FederationException($"GetCallerIdentity failed: {ErrorText(values)} (HTTP {response.StatusCode})", code);
        throw new FederationException($"GetCallerIdentity failed: STS answered HTTP {response.StatusCode} with a body that is not an STS response.");
    }

    /// <summary>An STS error's code and message as printed: the server's text, without control characters.</summary>
    private static string ErrorText(Dictionary<string, string> values) =>
        $"{TerminalText.Clean(values["Code"], 100)}: {TerminalText.Clean(values.GetValueOrDefault("Message"), 300)}";

    /// <summary>
    /// Leaf element values by name (Credentials/* on success, Error/* on failure); null when the body is not an STS
    /// XML document.
    /// </summary>
    /// <remarks>
    /// A small scanner instead of XmlReader: System.Xml adds about a megabyte to the native binary, and STS answers are
    /// flat, namespace-default, entity-free documents apart from the five predefined entities decoded here.
    /// </remarks>
    internal static Dictionary<string, string>? ParseXml(string body)
    {
        var text = body.TrimStart();
        if (text.StartsWith("<?xml", StringComparison.Ordinal))
        {
            var end = text.IndexOf("?>", StringComparison.Ordinal);
            if (end < 0) return null;
            text = text[(end + 2)..].TrimStart();
        }
        var rootName = Array.Find(["AssumeRoleWithWebIdentityResponse", "GetCallerIdentityResponse", "ErrorResponse"],
            root => text.StartsWith("<" + root, StringComparison.Ordinal));
        if (rootName is null) return null;
        if (!text.TrimEnd().EndsWith($"</{rootName}>", StringComparison.Ordinal)) return null;

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while ((position = text.IndexOf('<', position)) >= 0)
        {
            var close = text.IndexOf('>', position);
            if (close < 0) return null;
            var tag = text[(position + 1)..close];
            position = close + 1;
            if (tag.Length == 0 || tag[0] is '/' or '?' or '!' || tag.EndsWith('/')) continue;
            var name = tag.Split(' ', 2)[0];
            var next = text.IndexOf('<', position);
            if (next < 0) return null;
            if (string.CompareOrdinal(text, next, "</" + name + ">", 0, name.Length + 3) != 0) continue;
            values.TryAdd(name, System.Net.WebUtility.HtmlDecode(text[position..next]).Trim());
        }
        return values;
    }
}
