using System.Globalization;
using System.Text.Json;
using Ccwb.Lambda.Runtime;

namespace Ccwb.Functions.QuotaCheck;

/// <summary>
/// <c>GET /check</c>: resolves the caller's policy, reads their usage and any unblock, and answers whether new
/// credentials may be issued. A store that cannot be read gives HTTP 503, so the helper's <c>quota_fail_mode</c>
/// decides, as it does for any check that fails.
/// </summary>
public sealed class QuotaCheckFunction(IQuotaStore store, QuotaCheckSettings settings, Func<DateTimeOffset> clock)
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
        try
        {
            var answer = caller is null ? QuotaDecision.MissingIdentity(settings.AllowMissingIdentity) : await CheckAsync(caller, cancel);
            return Respond(200, answer);
        }
        catch (QuotaStoreException e)
        {
            Console.Error.WriteLine($"error: quota store: {e.Message}");
            return Respond(503, new CheckAnswer(false, "check_failed", "The quota service could not read its tables; try again later."));
        }
    }

    private async Task<CheckAnswer> CheckAsync(CallerIdentity caller, CancellationToken cancel)
    {
        var policy = settings.EnvironmentPolicy ?? await PolicyResolver.ResolveAsync(store, caller, cancel);
        if (policy is null) return QuotaDecision.NoPolicy();
        var now = clock();
        var month = now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var unblock = await store.GetUnblockAsync(caller.User, cancel);
        var usage = await store.GetUsageAsync(caller.User, month, cancel) ?? MonthlyUsage.None;
        return QuotaDecision.Decide(policy, usage, unblock, now);
    }

    private static byte[] Respond(int status, CheckAnswer answer) =>
        JsonSerializer.SerializeToUtf8Bytes(new HttpApiResponse(status,
            new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Cache-Control"] = "no-store" },
            JsonSerializer.Serialize(answer, QuotaCheckJson.Default.CheckAnswer), false), QuotaCheckJson.Default.HttpApiResponse);
}
