using Ccwb.Packaging.Deb;

namespace Ccwb.Packaging.Windows;

public enum InstallScope
{
    /// <summary>Installs for the current user without administrator rights (the default).</summary>
    PerUser,

    /// <summary>Installs for every user, with managed settings; what MDM systems deploy.</summary>
    PerMachine,
}

/// <summary>What goes into one MSI.</summary>
public sealed record MsiSpec
{
    public required string Rid { get; init; }
    public required InstallScope Scope { get; init; }
    public required string Version { get; init; }
    public required string ProfileName { get; init; }
    public required string Manufacturer { get; init; }
    public required string CredentialProcessPath { get; init; }

    /// <summary>
    /// credential-process-full.exe, published beside the helper (the credential-process front) by the Publish target:
    /// the front runs it for every call but the cached one.
    /// </summary>
    public string FullHelperPath => Path.Combine(Path.GetDirectoryName(CredentialProcessPath)!, FullHelperFileName);

    public const string FullHelperFileName = "credential-process-full.exe";

    /// <summary>The user setup program, published beside the helper (bin/&lt;rid&gt;/) by the Publish target.</summary>
    public string UserSetupPath => Path.Combine(Path.GetDirectoryName(CredentialProcessPath)!, UserSetupFileName);

    public const string UserSetupFileName = "ccwb-user-setup.exe";

    /// <summary>Claude Code's otelHeadersHelper, published beside the helper by the Publish target.</summary>
    public string OtelHelperPath => Path.Combine(Path.GetDirectoryName(CredentialProcessPath)!, OtelHelperFileName);

    public const string OtelHelperFileName = "otel-helper.exe";

    /// <summary>
    /// otel-helper-full.exe, published beside otel-helper (the front) by the Publish target: the front runs it for
    /// every call but the warm header call. Installed whenever otel-helper is.
    /// </summary>
    public string OtelHelperFullPath => Path.Combine(Path.GetDirectoryName(CredentialProcessPath)!, OtelHelperFullFileName);

    public const string OtelHelperFullFileName = "otel-helper-full.exe";
    public string? ConfigJsonPath { get; init; }
    public string? SettingsPath { get; init; }
    public required IReadOnlyList<AwsProfile> AwsProfiles { get; init; }

    /// <summary>installers/windows: the WiX source.</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>The time wixl and msibuild stamp into the summary information (else they use the current time).</summary>
    public required long SourceDateEpoch { get; init; }

    public string ScopeName => Scope == InstallScope.PerUser ? "perUser" : "perMachine";

    public string FileName => Scope == InstallScope.PerUser
        ? $"{ReleaseRequest.PackageName}-{Version}-{Rid}.msi"
        : $"{ReleaseRequest.PackageName}-{Version}-{Rid}-machine.msi";
}
