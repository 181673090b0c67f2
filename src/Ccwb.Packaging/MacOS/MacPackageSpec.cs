using Ccwb.Packaging.Deb;

namespace Ccwb.Packaging.MacOS;

/// <summary>A program the macOS package installs, with its build for each architecture (Mach-O files).</summary>
public sealed record MacProgram(string Name, string X64Path, string Arm64Path);

/// <summary>What goes into the macOS installer package. Inputs are plain paths, so any packaging flow can fill it.</summary>
public sealed record MacPackageSpec
{
    public required string PackageName { get; init; }
    public required string Version { get; init; }
    public required string ProfileName { get; init; }

    /// <summary>
    /// The programs (credential-process, credential-process-full, otel-helper, otel-helper-full): installed, and linked
    /// on the PATH but for the full programs, which only their fronts run.
    /// </summary>
    public required IReadOnlyList<MacProgram> Programs { get; init; }

    /// <summary>config.json rendered for the profile; installed beside the programs, where the helper looks first.</summary>
    public string? ConfigJsonPath { get; init; }

    /// <summary>Claude Code settings with path placeholders; installed as the machine's managed settings.</summary>
    public string? SettingsPath { get; init; }

    /// <summary>
    /// The Cowork configuration profile, installed beside the settings for admins who push it separately, with its
    /// per-user placeholder paths turned into the package's install folder.
    /// </summary>
    public string? CoworkMobileconfigPath { get; init; }

    /// <summary>cowork-credential-helper.sh, the wrapper the Cowork profile names; installed beside the programs.</summary>
    public string? CoworkCredentialHelperPath { get; init; }

    public required IReadOnlyList<AwsProfile> AwsProfiles { get; init; }
    public required long SourceDateEpoch { get; init; }

    /// <summary>installers/macos: postinstall, configure-aws-profile, uninstall, the LaunchAgent.</summary>
    public required string TemplateDirectory { get; init; }

    public string FileName => $"{PackageName}-{Version}.pkg";

    /// <summary>The package identifier Installer records the receipt under (pkgutil --pkgs).</summary>
    public string Identifier => $"com.{PackageName.Replace("-", "", StringComparison.Ordinal)}.pkg";

    public string LaunchAgentLabel => $"com.{PackageName.Replace("-", "", StringComparison.Ordinal)}.aws-profile";
}
