namespace Ccwb.Packaging;

/// <summary>Everything one packaging run needs; the build's Package target (Ccwb.Build.Tasks.PackageRelease) fills it.</summary>
public sealed record ReleaseRequest
{
    public const string PackageName = "claude-code-with-bedrock";

    public required string OutputDirectory { get; init; }
    public required string Version { get; init; }
    public required string Commit { get; init; }
    public required string ProfileName { get; init; }

    public required IReadOnlyList<PlannedBinary> Binaries { get; init; }

    /// <summary>Writes the profile's files (config.json, settings, MDM files...) into a folder and says what it wrote.</summary>
    public required Func<string, RenderedProfile> WriteProfileFiles { get; init; }

    /// <summary>Writes the CloudFormation files (under their own cloudformation/ folder) into a folder; returns relative paths.</summary>
    public required Func<string, IReadOnlyList<string>> WriteCloudFormation { get; init; }

    /// <summary>The quota service's Lambda zips the build wrote into the output folder (listed in the manifest only).</summary>
    public IReadOnlyList<string> FunctionZips { get; init; } = [];

    /// <summary>The repository's installers/ folder (WiX sources, deb templates).</summary>
    public required string InstallersDirectory { get; init; }

    public required long SourceDateEpoch { get; init; }
    public string Maintainer { get; init; } = "Claude Code on Bedrock toolkit <noreply@example.com>";
    public string? WixlPath { get; init; }

    /// <summary>Called with one line per notable event (skipped installers, missing inputs).</summary>
    public Action<string> Log { get; init; } = _ => { };
}
