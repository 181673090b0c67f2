using System.ComponentModel;

namespace Ccwb.Cli.Doctor;

/// <summary>A shipped program is installed where the installers put it and runs (<c>--version</c>).</summary>
internal abstract class InstalledProgramCheck(string program) : IDiagnostic
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public string Name => program;

    /// <summary>Whether this profile needs the program; a missing optional one is not a failure.</summary>
    protected abstract bool IsRequired(DoctorContext context, out string why);

    public DiagnosticResult Run(DoctorContext context)
    {
        var path = context.ProgramPath(program);
        if (path is null)
        {
            var looked = $"{program} is not installed (looked in {string.Join(" and ", context.ProgramFolders)})";
            return IsRequired(context, out var why)
                ? DiagnosticResult.Fail(looked, $"Install the package your administrator gave you (install.sh, install.bat, the .deb, .pkg or .msi); {why}.")
                : DiagnosticResult.Skipped($"{looked}; {why}");
        }
        ProgramRun outcome;
        try
        {
            outcome = ProgramRunner.Run(path, ["--version"], Timeout);
        }
        catch (Win32Exception e)
        {
            return DiagnosticResult.Fail($"{path} cannot be started: {e.Message}",
                "Reinstall the package; on Linux and macOS the file must be executable (chmod 755).");
        }
        if (outcome.TimedOut)
            return DiagnosticResult.Fail($"{path} --version did not finish within {Timeout.TotalSeconds:0} s", "Reinstall the package for this computer.");
        if (outcome.ExitCode != 0)
            return DiagnosticResult.Fail($"{path} --version failed (exit {outcome.ExitCode}): {outcome.FirstLine}",
                "Reinstall the package built for this computer's operating system and processor (x64 or arm64).");
        return DiagnosticResult.Pass($"{path}: {outcome.FirstLine}");
    }
}

internal sealed class CredentialProcessCheck() : InstalledProgramCheck("credential-process")
{
    protected override bool IsRequired(DoctorContext context, out string why)
    {
        why = "Claude Code gets its AWS credentials from it";
        return true;
    }
}

internal sealed class OtelHelperCheck() : InstalledProgramCheck("otel-helper")
{
    protected override bool IsRequired(DoctorContext context, out string why)
    {
        // Upstream's rule: only a profile that sends telemetry to a collector needs the headers helper.
        var required = context.Profile is { OtelCollectorEndpoint.Length: > 0 };
        why = required ? "the profile sends telemetry, which needs it" : "not needed: the profile sends no telemetry";
        return required;
    }
}
