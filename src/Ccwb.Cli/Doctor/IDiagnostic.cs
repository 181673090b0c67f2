namespace Ccwb.Cli.Doctor;

/// <summary>
/// One check of an end user's installation. Each is its own small class that looks at one thing and says what to
/// do about it (git-credential-manager's diagnostics work the same way); <see cref="DoctorCommand"/> runs them all.
/// </summary>
internal interface IDiagnostic
{
    /// <summary>Short name shown in the report and used as the subject of its findings.</summary>
    string Name { get; }

    /// <summary>True for checks that sign in or call AWS, run only with <c>--live</c>.</summary>
    bool IsLive => false;

    DiagnosticResult Run(DoctorContext context);
}

internal enum DiagnosticStatus
{
    Pass,
    Warn,
    Fail,
    Skipped,
}

/// <summary>What a check found and, when it is not a pass, what to do about it.</summary>
internal sealed record DiagnosticResult(DiagnosticStatus Status, string Summary, string? Fix = null)
{
    public static DiagnosticResult Pass(string summary) => new(DiagnosticStatus.Pass, summary);

    public static DiagnosticResult Warn(string summary, string fix) => new(DiagnosticStatus.Warn, summary, fix);

    public static DiagnosticResult Fail(string summary, string fix) => new(DiagnosticStatus.Fail, summary, fix);

    public static DiagnosticResult Skipped(string summary) => new(DiagnosticStatus.Skipped, summary);
}
