using System.Globalization;
using Ccwb.Packaging;
using Ccwb.Packaging.Signing;
using Microsoft.Build.Framework;

namespace Ccwb.Build.Tasks;

/// <summary>
/// The Sign target's two passes (<see cref="ReleaseSigner"/>): with <see cref="Binaries"/>, the Windows programs before
/// Package; otherwise what manifest.json lists after it: Authenticode with osslsigncode, the macOS package's Developer
/// ID Installer signature, GPG for debs and the apt repository. Without any key the second pass logs one line and succeeds.
/// </summary>
public sealed class SignRelease : Microsoft.Build.Utilities.Task
{
    [Required] public string OutputDirectory { get; set; } = "";
    public string? PfxFile { get; set; }

    /// <summary>Name of the environment variable holding the password (the password itself never passes through MSBuild).</summary>
    public string? PasswordVariable { get; set; }

    public string? CertificateFile { get; set; }
    public string? KeyFile { get; set; }
    public string? TimestampUrl { get; set; }
    public string? PkgPfxFile { get; set; }
    public string? PkgCertificateFile { get; set; }
    public string? PkgKeyFile { get; set; }
    public string? GpgKey { get; set; }
    public string? GpgHomeDirectory { get; set; }

    /// <summary>The binaries pass: the Windows programs Publish wrote, signed in place.</summary>
    public bool BinariesOnly { get; set; }

    public ITaskItem[] Binaries { get; set; } = [];

    /// <summary>The build's SOURCE_DATE_EPOCH: the apt Release's Date, so the repository index is reproducible.</summary>
    public string? SourceDateEpoch { get; set; }

    public override bool Execute()
    {
        string? password = null;
        if (!string.IsNullOrEmpty(PasswordVariable))
        {
            password = Environment.GetEnvironmentVariable(PasswordVariable);
            if (password is null)
                return BuildFindings.Fail(Log, "--sign-password-env", $"environment variable {PasswordVariable} is not set");
        }
        var options = new SigningOptions
        {
            PfxFile = Blank(PfxFile),
            Password = password,
            CertificateFile = Blank(CertificateFile),
            KeyFile = Blank(KeyFile),
            TimestampUrl = Blank(TimestampUrl),
            PkgPfxFile = Blank(PkgPfxFile),
            PkgCertificateFile = Blank(PkgCertificateFile),
            PkgKeyFile = Blank(PkgKeyFile),
            GpgKey = Blank(GpgKey),
            GpgHomeDirectory = Blank(GpgHomeDirectory),
            RepositoryDate = long.TryParse(SourceDateEpoch, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                ? DateTimeOffset.FromUnixTimeSeconds(epoch) : DateTimeOffset.UnixEpoch,
        };
        void Report(string line) => Log.LogMessage(MessageImportance.High, line);
        try
        {
            if (BinariesOnly) ReleaseSigner.SignBinaries(OutputDirectory, [.. Binaries.Select(b => b.ItemSpec)], options, Report);
            else ReleaseSigner.Sign(OutputDirectory, options, Report);
            return true;
        }
        catch (PackagingException e)
        {
            return BuildFindings.Fail(Log, "sign", e.Message);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
