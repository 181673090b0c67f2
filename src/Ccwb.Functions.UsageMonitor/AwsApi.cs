using System.Text;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Functions.UsageMonitor;

/// <summary>
/// SigV4-signed form POSTs to the two AWS APIs the monitor calls without an SDK (no AWSSDK package for CloudWatch or
/// SNS is served to this build): the function role's credentials and region from the Lambda environment, the endpoint
/// from <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> when set (as the AWS SDKs do), else the regional one.
/// </summary>
public sealed class AwsApi(HttpTransport http, AwsCredentials credentials, string region, Func<DateTimeOffset> clock)
{
    public string Region { get; } = region;

    public static AwsApi FromEnvironment(Func<string, string?> env)
    {
        var region = env("AWS_REGION") is { Length: > 0 } r ? r : throw new InvalidOperationException("AWS_REGION is not set");
        var credentials = new AwsCredentials(env("AWS_ACCESS_KEY_ID") ?? throw new InvalidOperationException("AWS_ACCESS_KEY_ID is not set"),
            env("AWS_SECRET_ACCESS_KEY") ?? throw new InvalidOperationException("AWS_SECRET_ACCESS_KEY is not set"), env("AWS_SESSION_TOKEN") ?? "",
            DateTimeOffset.MaxValue);
        return new AwsApi(new HttpTransport(new ProxySelector(env), "ccwb-usage-monitor"), credentials, region, () => DateTimeOffset.UtcNow);
    }

    /// <summary>The endpoint for a service: <c>AWS_ENDPOINT_URL_{SERVICE}</c>, else <c>https://{host}.{region}.amazonaws.com</c>.</summary>
    public static Uri Endpoint(Func<string, string?> env, string serviceEnvName, string hostPrefix, string region) =>
        env("AWS_ENDPOINT_URL_" + serviceEnvName) is { Length: > 0 } given ? new Uri(given)
            : new Uri($"https://{hostPrefix}.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}");

    /// <summary>Posts a form, signed for <paramref name="service"/>; the answer's body, or an exception naming the status.</summary>
    public byte[] PostForm(Uri url, string service, IEnumerable<KeyValuePair<string, string>> fields, TimeSpan timeout)
    {
        var form = HttpRequest.PostForm(url, fields);
        var contentType = new KeyValuePair<string, string>("Content-Type", "application/x-www-form-urlencoded");
        var signed = SigV4Signer.SignHeaders("POST", url, [contentType], SigV4Signer.PayloadHash(form.Body), credentials, Region, service, clock());
        var response = http.Send(form with { Headers = [.. signed] }, timeout);
        if (response.StatusCode != 200)
            throw new AwsApiException($"{service} answered HTTP {response.StatusCode}: {TerminalText.Clean(Encoding.UTF8.GetString(response.Body), 300)}");
        return response.Body;
    }
}

public sealed class AwsApiException(string message) : Exception(message);
