using System.Globalization;
using Ccwb.Credentials.Federation;
using Ccwb.Http;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// This computer's clock agrees with AWS: STS and Bedrock refuse signed requests more than five minutes off. The
/// reference is the Date header of the profile region's STS endpoint (or <c>--clock-endpoint</c>), fetched through
/// the helper's own HTTP client so proxy and CA settings apply as they do at sign-in. Skipped when offline.
/// </summary>
internal sealed class ClockSkewCheck(TimeProvider clock) : IDiagnostic
{
    /// <summary>AWS's limit for a request's signature time.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public string Name => "clock";

    public DiagnosticResult Run(DoctorContext context)
    {
        Uri endpoint;
        try
        {
            endpoint = context.ClockEndpoint ?? AwsEndpoints.Sts(context.Profile?.AwsRegion ?? "us-east-1", context.Environment);
        }
        catch (FederationException e)
        {
            return DiagnosticResult.Fail(e.Message, "Correct the endpoint variable (AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL) or unset it.");
        }
        HttpResponse response;
        var sent = clock.GetUtcNow();
        try
        {
            response = HttpTransport.FromEnvironment(context.Environment, "ccwb-doctor").Send(HttpRequest.Get(endpoint), Timeout);
        }
        catch (HttpTransportException e)
        {
            return DiagnosticResult.Skipped($"{endpoint} could not be reached, so the clock was not compared (offline?): {e.Message}");
        }
        var received = clock.GetUtcNow();
        if (!DateTimeOffset.TryParseExact(response.Header("Date"), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var serverTime))
            return DiagnosticResult.Skipped($"{endpoint} sent no usable Date header");
        // The server stamped its Date somewhere during the round trip; its middle is the best estimate of that moment.
        var local = sent + (received - sent) / 2;
        var skew = local - serverTime;
        var seconds = Math.Abs(skew.TotalSeconds).ToString("0", CultureInfo.InvariantCulture);
        var direction = skew > TimeSpan.Zero ? "ahead of" : "behind";
        const string fix = "Set the date and time automatically (Linux: 'timedatectl set-ntp true'; macOS and Windows: Date & Time settings).";
        if (skew.Duration() > Limit)
            return DiagnosticResult.Fail($"this computer's clock is {seconds} s {direction} {endpoint.Host}; AWS refuses requests more than 5 minutes off", fix);
        if (skew.Duration() > Tolerance)
            return DiagnosticResult.Warn($"this computer's clock is {seconds} s {direction} {endpoint.Host}", fix);
        return DiagnosticResult.Pass($"the clock agrees with {endpoint.Host} (within {Tolerance.TotalSeconds:0} s)");
    }
}
