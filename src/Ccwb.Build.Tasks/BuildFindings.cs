using Ccwb.Profiles;
using Microsoft.Build.Utilities;

namespace Ccwb.Build.Tasks;

/// <summary>
/// The build's side of the one output format. Findings are logged as plain high-importance messages, so the user
/// sees exactly <c>error: field: message</c> (MSBuild would decorate an error with the project file and a code);
/// then one summary error with code <see cref="SummaryCode"/> fails the target, which build.sh leaves out of its
/// output and turns the finding lines into stderr.
/// </summary>
internal static class BuildFindings
{
    public const string SummaryCode = "CCWB003";

    /// <summary>Logs every finding; when one is an error, logs the summary and returns false.</summary>
    public static bool Report(TaskLoggingHelper log, IEnumerable<ProfileMessage> findings, string what)
    {
        var errors = 0;
        foreach (var finding in findings)
        {
            log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, finding.ToLine());
            if (finding.Severity == Severity.Error) errors++;
        }
        if (errors == 0) return true;
        log.LogError(null, SummaryCode, null, null, 0, 0, 0, 0, $"{what}: {errors} error{(errors == 1 ? "" : "s")} (listed above)");
        return false;
    }

    /// <summary>Logs <c>error: subject: message</c> and the summary; returns false.</summary>
    public static bool Fail(TaskLoggingHelper log, string subject, string message) =>
        Report(log, [new ProfileMessage(subject, message)], subject);
}
