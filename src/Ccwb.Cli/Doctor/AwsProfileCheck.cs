using Ccwb.Contract.Files;

namespace Ccwb.Cli.Doctor;

/// <summary>The AWS profile in <c>~/.aws/config</c> runs credential-process from a file that exists.</summary>
internal sealed class AwsProfileCheck : IDiagnostic
{
    private const string Reconfigure =
        "Run the installer again, or on Linux and macOS 'ccwb-configure-aws-profile', to point the profile at the installed credential-process.";

    public string Name => "aws profile";

    public DiagnosticResult Run(DoctorContext context)
    {
        var path = context.AwsConfigPath;
        var section = AwsIniText.ProfileSection(context.ProfileName);
        if (!File.Exists(path)) return DiagnosticResult.Fail($"{path} does not exist", Reconfigure);
        AwsIniText ini;
        try
        {
            ini = AwsIniFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DiagnosticResult.Fail($"{path} cannot be read: {e.Message}", "Make the file readable by you (chmod 600).");
        }
        if (ini.Entries(section) is not { } entries)
            return DiagnosticResult.Fail($"{path} has no [{section}]", Reconfigure);
        var command = entries.LastOrDefault(e => e.Key == "credential_process").Value;
        if (string.IsNullOrWhiteSpace(command))
            return DiagnosticResult.Fail($"[{section}] in {path} has no credential_process", Reconfigure);
        var program = CommandLineWords.Program(command);
        if (!File.Exists(program))
            return DiagnosticResult.Fail($"[{section}] runs {program}, which does not exist", Reconfigure);
        return DiagnosticResult.Pass($"[{section}] in {path} runs {program}");
    }
}
