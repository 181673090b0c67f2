using Ccwb.CredentialProcess;
using Ccwb.CredentialProcess.Front;

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
if (answer is null) return HandOver.Run(args, started);
StandardOutput.Create().WriteLine(answer);
return 0;
