using System.Text.Json;
using Amazon.Runtime;
using Ccwb.Lambda.Runtime;
using Ccwb.Quota;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>
/// <c>GET /check</c>: reads the caller from the event, resolves their policy, reads their usage and any unblock, and
/// answers whether new credentials may be issued (Ccwb.Quota decides; this is the HTTP side). A store that cannot be
/// read gives HTTP 503, so the helper's <c>quota_fail_mode</c> decides, as it does for any check that fails.
/// </summary>
public sealed class QuotaCheckFunction(QuotaStore store, QuotaCheckSettings settings, Func<DateTimeOffset> clock)
{
    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, CancellationToken cancel)
    {
        CallerIdentity? caller;
        try
        {
            caller = HttpApiEvent.ReadCaller(invocation.Payload);
        }
        catch (MalformedEventException e)
        {
            // Not a request API Gateway would send: Lambda reports the error (API Gateway answers 500).
            throw new LambdaFunctionException("MalformedEvent", e.Message);
        }
        if (caller is null)
        {
            var allow = settings.AllowMissingIdentity;
            return Respond(200, new CheckResponse(allow, "missing_identity", allow
                ? "The request names no user (no email claim, no IAM Identity Center session); quota check skipped."
                : "The request names no user (no email claim, no IAM Identity Center session); access denied.", false, null, null));
        }
        // Answer before Lambda's deadline: a store that hangs gets the same 503 as one that refuses, not a timeout
        // API Gateway would report without a body.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(Clamp(invocation.Deadline - clock() - AnswerMargin));
        try
        {
            return Respond(200, CheckResponse.From(await DecideAsync(caller, deadline.Token)));
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
                                     || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            Console.Error.WriteLine($"error: quota store: {e.GetType().Name}: {e.Message}");
            return Respond(503, new CheckResponse(false, "check_failed", "The quota service could not read its tables; try again later.", false, null, null));
        }
    }

    /// <summary>Time kept back from the invocation's deadline to post the answer.</summary>
    public static readonly TimeSpan AnswerMargin = TimeSpan.FromMilliseconds(500);

    private static TimeSpan Clamp(TimeSpan left) => left < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : left;

    private async Task<QuotaDecision> DecideAsync(CallerIdentity caller, CancellationToken cancel)
    {
        var now = clock();
        if (settings.EnvironmentPolicy is not { } policy) return await store.CheckAsync(caller.User, caller.Groups, now, cancel);
        var month = await store.GetUsageAsync(caller.User, UsagePeriod.Month, UsageRecord.MonthKey(now), cancel);
        var day = await store.GetUsageAsync(caller.User, UsagePeriod.Day, UsageRecord.DayKey(now), cancel);
        var unblock = await store.GetActiveUnblockAsync(caller.User, now, cancel);
        return QuotaDecision.Evaluate(policy, month, day, unblock, now);
    }

    private static byte[] Respond(int status, CheckResponse answer) =>
        JsonSerializer.SerializeToUtf8Bytes(new HttpApiResponse(status,
            new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Cache-Control"] = "no-store" },
            JsonSerializer.Serialize(answer, QuotaJsonContext.Default.CheckResponse), false), QuotaCheckJson.Default.HttpApiResponse);
}
