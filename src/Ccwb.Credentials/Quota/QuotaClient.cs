using System.Text.Json;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Quota;

/// <summary>
/// <c>GET &lt;quota_api_endpoint&gt;/check</c>: with the id token as a bearer (OIDC profiles) or SigV4-signed for
/// <c>execute-api</c> with the AWS credentials about to be handed out (IAM Identity Center, passthrough). Never throws
/// for a failed call: every failure comes back as a <see cref="QuotaResult"/> with <see cref="QuotaResult.Failed"/> set,
/// and <c>quota_fail_mode</c> decides what it means.
/// </summary>
public sealed class QuotaClient(HttpTransport http, string endpoint, TimeSpan timeout)
{
    public QuotaResult CheckWithBearer(string idToken)
    {
        if (CheckUrl() is not { } url) return NotAnEndpoint();
        return Send(new HttpRequest("GET", url, Headers: [new("Authorization", "Bearer " + idToken)]), signed: false);
    }

    public QuotaResult CheckWithSigV4(AwsCredentials credentials, string region, DateTimeOffset now)
    {
        if (CheckUrl() is not { } url) return NotAnEndpoint();
        var headers = SigV4Signer.SignHeaders("GET", url, [], SigV4Signer.EmptyPayloadHash, credentials, region, "execute-api", now);
        return Send(new HttpRequest("GET", url, Headers: [.. headers]), signed: true);
    }

    /// <summary><c>&lt;endpoint&gt;/check</c>; null unless it is https (or http to this computer: tokens never cross a network in clear text).</summary>
    public Uri? CheckUrl()
    {
        if (!Uri.TryCreate(endpoint.TrimEnd('/') + "/check", UriKind.Absolute, out var url)) return null;
        return url.Scheme == "https" || (url.Scheme == "http" && url.IsLoopback) ? url : null;
    }

    private QuotaResult NotAnEndpoint() =>
        QuotaResult.Failure("config_error", $"quota_api_endpoint '{TerminalText.Clean(endpoint, 200)}' in config.json is not an https URL.");

    private QuotaResult Send(HttpRequest request, bool signed)
    {
        HttpResponse response;
        try
        {
            response = http.Send(request, timeout);
        }
        catch (HttpTimeoutException)
        {
            return QuotaResult.Failure("timeout", $"The quota service did not answer within {timeout.TotalSeconds:0} s.");
        }
        catch (HttpTransportException e)
        {
            return QuotaResult.Failure("connection_error", $"Could not connect to quota service: {TerminalText.Clean(e.Message, 300)}");
        }
        switch (response.StatusCode)
        {
            case 200:
                break;
            case 401:
                // Upstream's reason either way; the message names what was actually sent.
                return QuotaResult.Failure("jwt_invalid", signed
                    ? "The quota service did not accept the signed request (HTTP 401)."
                    : "The quota service did not accept the identity token (HTTP 401).");
            case 403 when signed:
                return QuotaResult.Failure("iam_forbidden", "The quota service refused the signed request (HTTP 403): the role may not call it.");
            default:
                return QuotaResult.Failure("api_error", $"Quota check failed with status {response.StatusCode}");
        }
        QuotaCheckResponse? answer;
        try
        {
            answer = JsonSerializer.Deserialize(response.Body, CredentialJson.Default.QuotaCheckResponse);
        }
        catch (JsonException)
        {
            answer = null;
        }
        if (answer?.Allowed is not { } allowed)
            return QuotaResult.Failure("parse_error", "The quota service answered with something that is not a quota decision.");
        return new QuotaResult(allowed, false, Clean(answer.Reason) ?? (allowed ? "within_quota" : "quota_exceeded"), Clean(answer.Message) ?? "",
            answer.Usage, answer.Policy is { } p ? new QuotaPolicy(Clean(p.Type) ?? "", Clean(p.Identifier) ?? "") : null);
    }

    // The answer reaches the terminal and the status page: no control characters, bounded length.
    private static string? Clean(string? text) => text is null ? null : TerminalText.Clean(text, 500);
}

/// <summary>The outcome of one check.</summary>
/// <param name="Failed">The check itself failed (no usable answer); <c>quota_fail_mode</c> decides.</param>
public sealed record QuotaResult(bool Allowed, bool Failed, string Reason, string Message, QuotaUsage? Usage, QuotaPolicy? Policy)
{
    public static QuotaResult Failure(string reason, string message) => new(false, true, reason, message, null, null);

    /// <summary>At or above 80 % of the monthly or the daily limit.</summary>
    public bool NearLimit => Usage is { } u && (u.MonthlyPercent >= 80 || u.DailyPercent >= 80);
}

public sealed record QuotaPolicy(string Type, string Identifier);
