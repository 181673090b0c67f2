using System.Globalization;
using Ccwb.CredentialProcess;
using Ccwb.CredentialProcess.Front;
using Ccwb.Credentials.Storage;

// First: the full helper learns when the call started (FailedSignInRecord), should it be handed over.
var started = DateTime.UtcNow;
// The cached path answered here, or nothing at all: any doubt, any failure, hands the call over unchanged.
string? answer;
try
{
    answer = CachedPath.TryAnswer(args);
}
catch (Exception)
{
    answer = null;
}
if (answer is null)
{
    var handOver = new HandOver("credential-process", "credential-process-full");
    return handOver.Run(args, (FailedSignInRecord.CallStartedVariable, started.Ticks.ToString(CultureInfo.InvariantCulture)), handOver.ReportMissing);
}
StandardOutput.Create().WriteLine(answer);
return 0;
