using System.Globalization;
using System.Text;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Windows;

/// <summary>
/// Builds an MSI from installers/windows/claude-code-with-bedrock.wxs with wixl, then adds what wixl cannot express
/// (the IniFile table that writes the AWS profiles) with msibuild from the same msitools.
/// </summary>
public sealed class MsiBuilder(ExternalTool wixl)
{
    public const string WxsFileName = "claude-code-with-bedrock.wxs";
    public const string ProgramFilesInstallDir = "C:/Program Files/claude-code-with-bedrock";

    public string Build(MsiSpec spec, string workDirectory, string outputDirectory)
    {
        var wixlPath = wixl.Resolve();
        var msibuild = KnownTools.Msibuild(Path.Combine(Path.GetDirectoryName(wixlPath)!, "msibuild"));
        var source = Path.Combine(workDirectory, $"msi-{spec.Rid}-{spec.ScopeName}");
        if (Directory.Exists(source)) Directory.Delete(source, recursive: true);
        Directory.CreateDirectory(source);

        File.Copy(spec.CredentialProcessPath, Path.Combine(source, "credential-process.exe"));
        if (spec.ConfigJsonPath is not null) File.Copy(spec.ConfigJsonPath, Path.Combine(source, "config.json"));
        if (spec.SettingsPath is not null)
        {
            var settings = File.ReadAllText(spec.SettingsPath);
            if (spec.Scope == InstallScope.PerMachine)
                File.WriteAllText(Path.Combine(source, "managed-settings.json"), ResolvePlaceholders(settings, ProgramFilesInstallDir));
            else
                // Upstream's install.bat resolves these against %USERPROFILE% when it runs; the copy beside the helper
                // keeps the same form so that the user (or a logon script) can merge it.
                File.WriteAllText(Path.Combine(source, "claude-settings.json"), ResolvePlaceholders(settings, "%USERPROFILE%/claude-code-with-bedrock"));
        }

        Directory.CreateDirectory(outputDirectory);
        var output = Path.Combine(outputDirectory, spec.FileName);
        var defines = Defines(spec);
        var arguments = new List<string> { "-a", "x64", "-o", output };
        foreach (var (name, value) in defines) arguments.AddRange(["-D", $"{name}={value}"]);
        arguments.Add(Path.Combine(spec.SourceDirectory, WxsFileName));
        // wixl takes File/@Source relative to its working directory (absolute paths are rejected).
        wixl.RunChecked($"Building {spec.FileName}", arguments, workingDirectory: source);

        if (spec.Scope == InstallScope.PerUser)
        {
            var idt = Path.Combine(source, "IniFile.idt");
            File.WriteAllText(idt, IniFileTable(spec), Encoding.ASCII);
            msibuild.RunChecked($"Adding the AWS profiles to {spec.FileName}", [output, "-i", idt]);
            // wixl leaves the INI actions out of the sequence when it has no IniFile table; their standard positions.
            msibuild.RunChecked($"Sequencing the AWS profiles in {spec.FileName}",
            [
                output,
                "-q", "INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) VALUES ('RemoveIniValues', 3400)",
                "-q", "INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) VALUES ('WriteIniValues', 5100)",
            ]);
        }
        return output;
    }

    internal static string ResolvePlaceholders(string settings, string installDir) => settings
        .Replace("__CREDENTIAL_PROCESS_PATH__", $"{installDir}/credential-process.exe", StringComparison.Ordinal)
        .Replace("__OTEL_HELPER_PATH__", $"{installDir}/otel-helper.cmd", StringComparison.Ordinal);

    internal static IReadOnlyList<(string Name, string Value)> Defines(MsiSpec spec)
    {
        // Per-user and per-machine are different products (they may be installed side by side); x64 and the Windows on
        // Arm package are too. The UpgradeCode never changes between versions, so each version upgrades the last.
        var product = $"{ReleaseRequest.PackageName}/{spec.ScopeName}/{spec.Rid}";
        var component = $"{product}/component";
        return
        [
            ("Version", MsiVersion(spec.Version)),
            ("Scope", spec.ScopeName),
            ("Platform", "x64"),
            ("UpgradeCode", StableGuid.Msi($"{product}/upgrade")),
            ("ProductCode", StableGuid.Msi($"{product}/product/{spec.Version}")),
            ("PackageCode", StableGuid.Msi($"{product}/package/{spec.Version}")),
            ("ProductName", spec.Scope == InstallScope.PerUser
                ? $"Claude Code with Amazon Bedrock ({spec.ProfileName})"
                : $"Claude Code with Amazon Bedrock ({spec.ProfileName}, all users)"),
            ("Manufacturer", spec.Manufacturer.Split('<')[0].Trim()),
            ("SourceDir", "."),
            ("HasConfig", spec.ConfigJsonPath is null ? "no" : "yes"),
            ("HasSettings", spec.SettingsPath is null ? "no" : "yes"),
            ("AwsProfileNames", string.Join(",", spec.AwsProfiles.Select(p => p.Name))),
            ("GuidCredentialProcess", StableGuid.Msi($"{component}/credential-process")),
            ("GuidConfigJson", StableGuid.Msi($"{component}/config-json")),
            ("GuidSettingsCopy", StableGuid.Msi($"{component}/settings-copy")),
            ("GuidManagedSettings", StableGuid.Msi($"{component}/managed-settings")),
            ("GuidAwsProfiles", StableGuid.Msi($"{component}/aws-profiles")),
        ];
    }

    /// <summary>MSI ProductVersion is major.minor.build with numbers only; a pre-release suffix is dropped.</summary>
    internal static string MsiVersion(string version)
    {
        var core = version.Split('-', '+')[0];
        var parts = core.Split('.');
        if (parts.Length is < 1 or > 4 || parts.Any(p => !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new PackagingException($"Version '{version}' cannot be an MSI ProductVersion (expected numbers like 1.2.3)");
        return string.Join('.', parts.Take(3));
    }

    /// <summary>
    /// IniFile rows (msidbIniFileActionAddLine) writing, for each profile, the section upstream's install.bat appends:
    /// region and credential_process. WriteIniValues adds them; RemoveIniValues takes them out on uninstall.
    /// </summary>
    internal static string IniFileTable(MsiSpec spec)
    {
        var rows = new StringBuilder();
        rows.Append("IniFile\tFileName\tDirProperty\tSection\tKey\tValue\tAction\tComponent_\r\n");
        rows.Append("s72\tl255\tS72\tl96\tl128\tl255\ti2\ts72\r\n");
        rows.Append("IniFile\tIniFile\r\n");
        var i = 0;
        foreach (var profile in spec.AwsProfiles)
        {
            var section = $"profile {profile.Name}";
            var command = $"\"[INSTALLDIR]credential-process.exe\" --profile {profile.Name}";
            rows.Append(CultureInfo.InvariantCulture, $"AwsRegion{i}\tconfig\tAWSDIR\t{section}\tregion\t{profile.Region}\t0\tAwsProfiles\r\n");
            rows.Append(CultureInfo.InvariantCulture, $"AwsCredentialProcess{i}\tconfig\tAWSDIR\t{section}\tcredential_process\t{command}\t0\tAwsProfiles\r\n");
            i++;
        }
        return rows.ToString();
    }
}
