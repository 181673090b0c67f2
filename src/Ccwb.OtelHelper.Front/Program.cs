using Ccwb.CredentialProcess;
using Ccwb.CredentialProcess.Front;
using Ccwb.OtelHelper.Front;

// The warm header call answered here, or nothing at all: any doubt, any failure, hands the call over unchanged.
string? answer;
try
{
    answer = WarmHeaders.TryAnswer(args);
}
catch (Exception)
{
    answer = null;
}
if (answer is not null)
{
    StandardOutput.Create().WriteLine(answer);
    return 0;
}
var handOver = new HandOver("otel-helper", "otel-helper-full");
return handOver.Run(args, variable: null, (full, reason) =>
{
    var exitCode = handOver.ReportMissing(full, reason);
    if (!WarmHeaders.IsHeaderMode(args)) return exitCode;
    // Header mode keeps its contract even so (Claude Code drops the batch on any other answer): {} and exit 0.
    StandardOutput.Create().WriteLine("{}");
    return 0;
});
