using System.ComponentModel;
using System.Text.Json;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// <c>--live</c>: asks the installed credential-process for credentials exactly as the AWS CLI does (which may open
/// the browser to sign in) and checks that they are well formed and not expired. The credentials themselves are
/// handed to <see cref="Redactor"/> and never shown.
/// </summary>
internal sealed class LiveCredentialCheck(TimeProvider clock, Redactor redactor) : IDiagnostic
{
    // Long enough to finish a browser sign-in.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public string Name => "credential call";

    public bool IsLive => true;

    public DiagnosticResult Run(DoctorContext context)
    {
        if (context.ProgramPath("credential-process") is not { } program)
            return DiagnosticResult.Skipped("credential-process is not installed (see above)");
        var profile = context.ProfileName;
        var fix = $"Run '{program} --profile {profile}' in a terminal to see the sign-in and its error; the checks above name the usual causes.";
        ProgramRun outcome;
        try
        {
            outcome = ProgramRunner.Run(program, ["--profile", profile], Timeout);
        }
        catch (Win32Exception e)
        {
            return DiagnosticResult.Fail($"{program} cannot be started: {e.Message}", fix);
        }
        CollectSecrets(outcome.Output);
        if (outcome.TimedOut) return DiagnosticResult.Fail($"no credentials within {Timeout.TotalMinutes:0} minutes (was the browser sign-in finished?)", fix);
        if (outcome.ExitCode != 0) return DiagnosticResult.Fail($"credential-process --profile {profile} failed (exit {outcome.ExitCode}): {outcome.FirstLine}", fix);
        if (CredentialProcessOutput.Parse(outcome.Output) is not ({ } credentials, _))
            return DiagnosticResult.Fail("credential-process printed something other than the credential JSON", fix);
        // Long-term keys (a passthrough profile) carry no Expiration: they do not expire.
        if (credentials.Expiration == DateTimeOffset.MaxValue)
            return DiagnosticResult.Pass($"credentials for '{profile}' obtained (long-term keys, no expiry)");
        var expires = credentials.Expiration;
        var left = expires - clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
            return DiagnosticResult.Fail($"credential-process returned credentials that expired at {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}",
                $"Run '{program} --clear-cache --profile {profile}' and try again; if it persists, check the clock.");
        return DiagnosticResult.Pass($"credentials for '{profile}' obtained, valid until {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} ({(int)left.TotalMinutes} min)");
    }

    private void CollectSecrets(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            foreach (var property in document.RootElement.EnumerateObject())
                if (property.Name is "AccessKeyId" or "SecretAccessKey" or "SessionToken" && property.Value.GetString() is { } value)
                    redactor.AddSecret(value);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not credential JSON: nothing to collect; the check reports it.
        }
    }
}
