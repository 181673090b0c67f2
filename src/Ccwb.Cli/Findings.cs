using Ccwb.Profiles;

namespace Ccwb.Cli;

/// <summary>
/// The one output format of every command: <c>error: field: message</c> / <c>warning: field: message</c> on stderr,
/// exit 1 when there is an error. Problems that are not about a profile field name their subject instead
/// (<c>error: profile: 'x' not found</c>).
/// </summary>
internal static class Findings
{
    /// <summary>Prints every finding (warnings too) and returns true when one is an error.</summary>
    public static bool Print(TextWriter error, IEnumerable<ProfileMessage> findings)
    {
        var failed = false;
        foreach (var finding in findings)
        {
            error.WriteLine(finding.ToLine());
            failed |= finding.Severity == Severity.Error;
        }
        return failed;
    }

    /// <summary>Prints <c>error: subject: message</c> and returns the exit code 1.</summary>
    public static int Fail(TextWriter error, string subject, string message)
    {
        error.WriteLine(new ProfileMessage(subject, message).ToLine());
        return 1;
    }

    public static void Warn(TextWriter error, string subject, string message) =>
        error.WriteLine(new ProfileMessage(subject, message, Severity.Warning).ToLine());
}
