using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Install;
using Ccwb.Packaging.Zip;

namespace Ccwb.Packaging.MacOS;

/// <summary>What the macOS package and the zip are made from: plain paths, so any packaging flow can call them.</summary>
/// <param name="BinaryFolderByRid">Each RID's published binaries folder (bin/&lt;rid&gt;/), for the RIDs that have a build.</param>
/// <param name="ProfileDirectory">The rendered profile folder (install.sh, config.json, claude-settings/...).</param>
/// <param name="Rendered">What was rendered into it, and which files the package installs.</param>
public sealed record MacReleaseInputs(
    string Version,
    string ProfileName,
    IReadOnlyDictionary<string, string> BinaryFolderByRid,
    string ProfileDirectory,
    RenderedProfile Rendered,
    long SourceDateEpoch,
    string InstallersDirectory);

/// <summary>The two release steps for macOS users and for upstream-style installs: the .pkg and claude-code-package.zip.</summary>
public static class MacReleaseSteps
{
    /// <summary>
    /// The programs the macOS package ships, in this order. A program is shipped for the platforms it was built for, so a new
    /// one (otel-helper) ships as soon as Publish puts it beside credential-process. credential-process-full comes with
    /// the credential-process front, which hands it every call but the cached one; otel-helper-full with the otel-helper
    /// front, which hands it every call but the warm header call.
    /// </summary>
    public static readonly IReadOnlyList<string> ProgramNames =
        ["credential-process", ShippedPrograms.CredentialProcessFull, "otel-helper", ShippedPrograms.OtelHelperFull];

    /// <summary>Builds the .pkg into <paramref name="outputDirectory"/>, or returns null (with a log line) without both macOS builds.</summary>
    public static string? BuildPkg(MacReleaseInputs inputs, string outputDirectory, Action<string> log)
    {
        if (!inputs.BinaryFolderByRid.TryGetValue("osx-arm64", out var arm64) || !inputs.BinaryFolderByRid.TryGetValue("osx-x64", out var x64))
        {
            log("The macOS package needs both osx-arm64 and osx-x64 builds; skipping it.");
            return null;
        }
        var programs = ProgramNames
            .Select(name => new MacProgram(name, Path.Combine(x64, name), Path.Combine(arm64, name)))
            .Where(p => File.Exists(p.X64Path) && File.Exists(p.Arm64Path))
            .ToList();
        var spec = new MacPackageSpec
        {
            PackageName = ReleaseRequest.PackageName,
            Version = inputs.Version,
            ProfileName = inputs.ProfileName,
            Programs = programs,
            ConfigJsonPath = RenderedProfile.In(inputs.ProfileDirectory, inputs.Rendered.ConfigJson),
            SettingsPath = RenderedProfile.In(inputs.ProfileDirectory, inputs.Rendered.Settings),
            CoworkMobileconfigPath = RenderedProfile.In(inputs.ProfileDirectory, inputs.Rendered.CoworkMobileconfig),
            CoworkCredentialHelperPath = RenderedProfile.In(inputs.ProfileDirectory, inputs.Rendered.CoworkCredentialHelper),
            AwsProfiles = inputs.Rendered.AwsProfiles,
            SourceDateEpoch = inputs.SourceDateEpoch,
            TemplateDirectory = Path.Combine(inputs.InstallersDirectory, "macos"),
        };
        return MacPackageBuilder.Build(spec, outputDirectory);
    }

    /// <summary>Builds claude-code-package.zip into <paramref name="outputDirectory"/>.</summary>
    public static string BuildZip(MacReleaseInputs inputs, string outputDirectory)
    {
        // The zip is the package folder as one file: the same programs under the same names.
        var programs = PackageFolder.Programs.Select(name => new ZipProgram(name, inputs.BinaryFolderByRid
                .Select(kv => (Rid: kv.Key, Path: Path.Combine(kv.Value, kv.Key.StartsWith("win-", StringComparison.Ordinal) ? name + ".exe" : name)))
                .Where(b => File.Exists(b.Path))
                .ToDictionary(b => b.Rid, b => b.Path, StringComparer.Ordinal)))
            .Where(p => p.BinaryByRid.Count > 0)
            .ToList();
        return UserPackageZip.Build(inputs.ProfileDirectory, programs, inputs.SourceDateEpoch, outputDirectory).Path;
    }
}
