using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ccwb.Contract.Install;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Windows;

/// <summary>
/// Builds an MSI from installers/windows/claude-code-with-bedrock.wxs with wixl, then sets what wixl cannot express
/// (the rollback flag of a custom action) with msibuild from the same msitools.
/// </summary>
public sealed partial class MsiBuilder(ExternalTool wixl, ExternalTool? faketime = null)
{
    private readonly ExternalTool _faketime = faketime ?? KnownTools.Faketime();

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
        if (!File.Exists(spec.FullHelperPath))
            throw new PackagingException($"{MsiSpec.FullHelperFileName} not found at {spec.FullHelperPath} (run the Publish target)");
        File.Copy(spec.FullHelperPath, Path.Combine(source, MsiSpec.FullHelperFileName));
        if (!File.Exists(spec.UserSetupPath))
            throw new PackagingException($"{MsiSpec.UserSetupFileName} not found at {spec.UserSetupPath} (run the Publish target)");
        File.Copy(spec.UserSetupPath, Path.Combine(source, MsiSpec.UserSetupFileName));
        if (File.Exists(spec.OtelHelperPath))
        {
            File.Copy(spec.OtelHelperPath, Path.Combine(source, MsiSpec.OtelHelperFileName));
            if (!File.Exists(spec.OtelHelperFullPath))
                throw new PackagingException($"{MsiSpec.OtelHelperFullFileName} not found at {spec.OtelHelperFullPath} (run the Publish target)");
            File.Copy(spec.OtelHelperFullPath, Path.Combine(source, MsiSpec.OtelHelperFullFileName));
        }
        if (spec.ConfigJsonPath is not null) File.Copy(spec.ConfigJsonPath, Path.Combine(source, "config.json"));
        if (spec.SettingsPath is not null)
        {
            var settings = File.ReadAllText(spec.SettingsPath);
            if (spec.Scope == InstallScope.PerMachine)
                File.WriteAllText(Path.Combine(source, "managed-settings.json"), ResolvePlaceholders(settings, ProgramFilesInstallDir));
            else
                // As upstream's install.bat, the placeholders are resolved on the user's machine, against the folder the
                // helper was installed in: ccwb-user-setup.exe does it while merging.
                File.WriteAllText(Path.Combine(source, "claude-settings.json"), settings);
        }
        // The cabinet records each file's modification time, so the staged files are dated at the source date:
        // otherwise an MSI depends on when its inputs were copied. (A cabinet cannot date anything before 1980.)
        var sourceDate = DateTimeOffset.FromUnixTimeSeconds(Math.Max(spec.SourceDateEpoch, 315532800)).UtcDateTime;
        foreach (var staged in Directory.EnumerateFiles(source)) File.SetLastWriteTimeUtc(staged, sourceDate);

        Directory.CreateDirectory(outputDirectory);
        var output = Path.Combine(outputDirectory, spec.FileName);
        var defines = Defines(spec);
        var wxs = Path.Combine(spec.SourceDirectory, WxsFileName);
        var arguments = new List<string> { "-a", "x64", "-o", output };
        foreach (var (name, value) in defines) arguments.AddRange(["-D", $"{name}={value}"]);
        arguments.Add(wxs);
        // wixl stamps the summary information with the current time and ignores SOURCE_DATE_EPOCH, so it runs on a
        // clock frozen at the source date (libfaketime). TZ=UTC: the cabinet's DOS dates are local times, which must
        // not depend on the build machine's time zone.
        string[] frozenClock = ["-f", sourceDate.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)];
        var environment = new Dictionary<string, string?> { ["TZ"] = "UTC" };
        _faketime.RunChecked($"Building {spec.FileName}", [.. frozenClock, wixlPath, .. arguments], workingDirectory: source, environment: environment);

        if (spec.Scope == InstallScope.PerUser)
            _faketime.RunChecked($"Marking the rollback action in {spec.FileName}",
            [
                .. frozenClock, msibuild.Resolve(), output,
                // msidbCustomActionTypeExe + SourceFile (18), Continue (64), Rollback (256), InScript (1024).
                "-q", "UPDATE `CustomAction` SET `Type` = 1362 WHERE `Action` = 'UserSetupRollback'",
            ], environment: environment);
        // wixl gives every build a random package code. Windows Installer caches a package by that code, so it must
        // change whenever the package does and only then: it is derived from everything the MSI is built from.
        // msibuild -s rewrites the subject and author too: the same values wixl wrote from the defines.
        var named = defines.ToDictionary(d => d.Name, d => d.Value, StringComparer.Ordinal);
        msibuild.RunChecked($"Setting the package code of {spec.FileName}",
            [output, "-s", named["ProductName"], named["Manufacturer"], "x64;1033", PackageCode(spec, defines, source, wxs)], environment: environment);
        new MsiCanonicalForm(workDirectory).Apply(output);
        return output;
    }

    /// <summary>A GUID named by the product and a SHA-256 over the WiX source, the defines and every staged file.</summary>
    private static string PackageCode(MsiSpec spec, IReadOnlyList<(string Name, string Value)> defines, string source, string wxs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(wxs));
        foreach (var (name, value) in defines) hash.AppendData(Encoding.UTF8.GetBytes($"\n{name}={value}"));
        foreach (var file in Directory.GetFiles(source).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"\n{Path.GetFileName(file)}\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return StableGuid.Msi($"{ReleaseRequest.PackageName}/{spec.ScopeName}/{spec.Rid}/package/{Convert.ToHexStringLower(hash.GetHashAndReset())}");
    }

    internal static string ResolvePlaceholders(string settings, string installDir) =>
        InstallPlaceholders.ResolvePrograms(settings, program => $"{installDir}/{program}.exe");

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
            ("ProductName", spec.Scope == InstallScope.PerUser
                ? $"Claude Code with Amazon Bedrock ({spec.ProfileName})"
                : $"Claude Code with Amazon Bedrock ({spec.ProfileName}, all users)"),
            ("Manufacturer", spec.Manufacturer.Split('<')[0].Trim()),
            ("SourceDir", "."),
            ("HasConfig", spec.ConfigJsonPath is null ? "no" : "yes"),
            ("HasSettings", spec.SettingsPath is null ? "no" : "yes"),
            ("HasOtelHelper", File.Exists(spec.OtelHelperPath) ? "yes" : "no"),
            ("ProfileArguments", ProfileArguments(spec.AwsProfiles)),
            ("ActiveSetupId", StableGuid.Msi($"{product}/active-setup")),
            // Active Setup compares comma-separated numbers; a higher one makes each user's logon run StubPath again.
            ("ActiveSetupVersion", MsiVersion(spec.Version).Replace('.', ',')),
            ("GuidCredentialProcess", StableGuid.Msi($"{component}/credential-process")),
            ("GuidCredentialProcessFull", StableGuid.Msi($"{component}/credential-process-full")),
            ("GuidConfigJson", StableGuid.Msi($"{component}/config-json")),
            ("GuidSettingsCopy", StableGuid.Msi($"{component}/settings-copy")),
            ("GuidManagedSettings", StableGuid.Msi($"{component}/managed-settings")),
            ("GuidUserSetup", StableGuid.Msi($"{component}/user-setup")),
            ("GuidOtelHelper", StableGuid.Msi($"{component}/otel-helper")),
            ("GuidOtelHelperFull", StableGuid.Msi($"{component}/otel-helper-full")),
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
    /// The --profile NAME=REGION arguments of ccwb-user-setup. They go into command lines unquoted, so anything but the
    /// profile validator's names and region names is refused here rather than breaking the installation.
    /// </summary>
    internal static string ProfileArguments(IReadOnlyList<Deb.AwsProfile> profiles)
    {
        foreach (var profile in profiles)
        {
            if (!CommandLineSafe().IsMatch(profile.Name) || !CommandLineSafe().IsMatch(profile.Region))
                throw new PackagingException(
                    $"AWS profile '{profile.Name}' (region '{profile.Region}') cannot be installed: names and regions may hold only letters, digits and hyphens");
        }
        return string.Join(' ', profiles.Select(p => $"--profile {p.Name}={p.Region}"));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex CommandLineSafe();
}
