using System.Globalization;
using Ccwb.CloudFormation;
using Ccwb.Packaging;
using Ccwb.Profiles;
using Microsoft.Build.Framework;

namespace Ccwb.Build.Tasks;

/// <summary>
/// The Package target's work: load the deployment profile, render its files and CloudFormation parameters, build the
/// installers and write manifest.json (<see cref="ReleasePackager"/>). Errors are one line each; nothing is left
/// half-written in the output folder.
/// </summary>
public sealed class PackageRelease : Microsoft.Build.Utilities.Task
{
    [Required] public string OutputDirectory { get; set; } = "";
    [Required] public string ProfileFile { get; set; } = "";
    [Required] public string Version { get; set; } = "";
    [Required] public string Commit { get; set; } = "";
    [Required] public string PublishPlanFile { get; set; } = "";
    [Required] public string InstallersDirectory { get; set; } = "";
    [Required] public string SourceDateEpoch { get; set; } = "";
    public string? WixlPath { get; set; }
    public ITaskItem[] FunctionZips { get; set; } = [];

    public override bool Execute()
    {
        // The ValidateProfile step has shown the findings already; here only what stops the package is repeated.
        var loaded = ProfileLoader.LoadFile(ProfileFile);
        if (!loaded.Succeeded) return BuildFindings.Report(Log, loaded.Errors, ProfileFile);
        var profile = loaded.Profile!;
        try
        {
            var manifest = ReleasePackager.Run(new ReleaseRequest
            {
                OutputDirectory = OutputDirectory,
                Version = Version,
                Commit = Commit,
                ProfileName = profile.Name,
                Binaries = PlannedBinary.ReadPlan(PublishPlanFile),
                WriteProfileFiles = dir => PackageProfileFiles.Write(profile, dir),
                WriteCloudFormation = dir => CloudFormationArtifacts.Write(profile, dir),
                InstallersDirectory = InstallersDirectory,
                SourceDateEpoch = long.Parse(SourceDateEpoch, CultureInfo.InvariantCulture),
                WixlPath = WixlPath,
                FunctionZips = [.. FunctionZips.Select(z => z.ItemSpec)],
                Log = line => Log.LogMessage(MessageImportance.High, line),
            });
            Log.LogMessage(MessageImportance.High,
                $"Package: {manifest.Artifacts.Count} artifacts for profile '{profile.Name}' listed in {Path.Combine(OutputDirectory, Packaging.Manifest.ManifestJson.FileName)}");
            return true;
        }
        catch (ProfileFindingsException e)
        {
            return BuildFindings.Report(Log, e.Errors, ProfileFile);
        }
        catch (PackagingException e)
        {
            return BuildFindings.Fail(Log, "package", e.Message);
        }
    }
}
