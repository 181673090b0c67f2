using Ccwb.Contract.CommandLine;

namespace Ccwb.Packaging.Deb;

/// <summary>An AWS CLI profile the installers create: its name (a config.json key) and region.</summary>
public sealed record AwsProfile(string Name, string Region);

/// <summary>What goes into one .deb.</summary>
public sealed record DebPackageSpec
{
    public required string PackageName { get; init; }
    public required string Version { get; init; }

    /// <summary>Debian architecture: amd64 or arm64.</summary>
    public required string Architecture { get; init; }

    public required string Maintainer { get; init; }
    public required string ProfileName { get; init; }

    /// <summary>The credential-process binary (the front) for this architecture.</summary>
    public required string CredentialProcessPath { get; init; }

    /// <summary>credential-process-full, published beside the front, which hands it every call but the cached one.</summary>
    public string FullHelperPath => Path.Combine(Path.GetDirectoryName(CredentialProcessPath)!, ShippedPrograms.CredentialProcessFull);

    /// <summary>otel-helper-full, published beside the otel-helper front, which hands it every call but the warm header call.</summary>
    public string OtelHelperFullPath => Path.Combine(Path.GetDirectoryName(CredentialProcessPath)!, ShippedPrograms.OtelHelperFull);

    /// <summary>config.json rendered for the profile; installed beside the helper, where it looks first.</summary>
    public string? ConfigJsonPath { get; init; }

    /// <summary>Claude Code settings with placeholders; installed as /etc/claude-code/managed-settings.json.</summary>
    public string? SettingsPath { get; init; }

    public required IReadOnlyList<AwsProfile> AwsProfiles { get; init; }

    /// <summary>Seconds since the epoch used for every timestamp in the package (SOURCE_DATE_EPOCH).</summary>
    public required long SourceDateEpoch { get; init; }

    /// <summary>installers/linux: maintainer scripts, the profile command, copyright, lintian overrides.</summary>
    public required string TemplateDirectory { get; init; }

    public static string DebianArchitecture(string rid) => rid switch
    {
        "linux-x64" => "amd64",
        "linux-arm64" => "arm64",
        _ => throw new PackagingException($"No Debian architecture for RID '{rid}' (deb packages are built for linux-x64 and linux-arm64)"),
    };

    public string FileName => $"{PackageName}_{Version}_{Architecture}.deb";
}
