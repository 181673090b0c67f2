using System.Globalization;
using Ccwb.Packaging;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Verification;
using Ccwb.Profiles;
using Microsoft.Build.Framework;

namespace Ccwb.Build.Tasks;

/// <summary>
/// The Verify target's first step: what the release names (version, commit, RIDs, source date), checked against the
/// checkout and the profile file given, so that a mismatch costs nothing and rebuilds nothing.
/// </summary>
public sealed class ReadReleasedManifest : Microsoft.Build.Utilities.Task
{
    [Required] public string ManifestFile { get; set; } = "";
    [Required] public string ProfileFile { get; set; } = "";
    [Required] public string CheckoutCommit { get; set; } = "";
    [Required] public string KnownRids { get; set; } = "";

    [Output] public string Version { get; private set; } = "";
    [Output] public string Commit { get; private set; } = "";
    /// <summary>In the build's own RID order, so that a rebuild into an existing output folder stays incremental.</summary>
    [Output] public string Rids { get; private set; } = "";
    [Output] public string SourceDateEpoch { get; private set; } = "";

    public override bool Execute()
    {
        if (!File.Exists(ManifestFile))
        {
            Log.LogError($"--manifest: file not found: {ManifestFile}");
            return false;
        }
        ReleaseManifest manifest;
        try { manifest = ManifestJson.Read(ManifestFile); }
        catch (PackagingException e)
        {
            Log.LogError($"--manifest: {e.Message}");
            return false;
        }
        if (!CheckoutCommit.StartsWith(manifest.Commit, StringComparison.OrdinalIgnoreCase) || manifest.Commit == "unknown")
        {
            Log.LogError($"commit: the release was built from commit {manifest.Commit}, this checkout is at {CheckoutCommit}: check out {manifest.Commit} first");
            return false;
        }
        var loaded = ProfileLoader.LoadFile(ProfileFile);
        if (!loaded.Succeeded)
        {
            Log.LogError($"{ProfileFile}: {string.Join("; ", loaded.Errors)}");
            return false;
        }
        if (loaded.Profile!.Name != manifest.Profile)
        {
            Log.LogError($"--profile-file: the release was built from profile '{manifest.Profile}', {ProfileFile} is profile '{loaded.Profile.Name}'");
            return false;
        }
        var released = manifest.Binaries.Select(b => b.Rid).ToHashSet(StringComparer.Ordinal);
        Version = manifest.Version;
        Commit = manifest.Commit;
        Rids = string.Join(';', KnownRids.Split(';').Where(released.Contains));
        SourceDateEpoch = manifest.SourceDateEpoch?.ToString(CultureInfo.InvariantCulture) ?? "";
        Log.LogMessage(MessageImportance.High,
            $"Verify: rebuilding {manifest.Product} {Version} (commit {Commit}, profile '{manifest.Profile}', {Rids.Replace(";", ", ", StringComparison.Ordinal)})");
        return true;
    }
}

/// <summary>The Verify target's last step: the released artifacts against the rebuild (<see cref="ReleaseVerifier"/>).</summary>
public sealed class VerifyRelease : Microsoft.Build.Utilities.Task
{
    [Required] public string ManifestFile { get; set; } = "";
    [Required] public string RebuildDirectory { get; set; } = "";
    [Required] public string ReportDirectory { get; set; } = "";
    [Required] public string ProfileFile { get; set; } = "";
    [Required] public string InstallersDirectory { get; set; } = "";
    public string? WixlPath { get; set; }

    public override bool Execute()
    {
        try
        {
            if (Directory.Exists(ReportDirectory)) Directory.Delete(ReportDirectory, recursive: true);
            var work = Path.Combine(ReportDirectory, "work");
            var report = new ReleaseVerifier(work).Verify(ManifestFile, RebuildDirectory,
                () => InstallersAroundSignedBinaries(Path.Combine(work, "signed-installers")));
            Directory.Delete(work, recursive: true);
            var text = report.ToText();
            File.WriteAllText(Path.Combine(ReportDirectory, "verify-report.txt"), text);
            foreach (var line in text.TrimEnd('\n').Split('\n')) Log.LogMessage(MessageImportance.High, line);
            foreach (var different in report.Artifacts.Where(a => a.Verdict is Verdict.Different or Verdict.Missing))
                Log.LogError($"{different.Path}: {different.Verdict.ToString().ToLowerInvariant()} ({string.Join("; ", different.Details)})");
            return report.AllEqual;
        }
        catch (PackagingException e)
        {
            Log.LogError(e.Message);
            return false;
        }
    }

    /// <summary>
    /// The Sign target rebuilds the installers around the signed executables (the MSIs and the zip carry them), so a
    /// signed release's installers are compared with installers built the same way: the rebuild's rendered files and
    /// binaries, with the released (signed) Windows executables in place of the rebuild's, packaged again. The
    /// executables themselves are compared with the rebuild on their own. Null when no released executable is signed.
    /// </summary>
    private string? InstallersAroundSignedBinaries(string output)
    {
        var releaseDirectory = Path.GetDirectoryName(Path.GetFullPath(ManifestFile))!;
        var released = ManifestJson.Read(ManifestFile);
        var rebuilt = ManifestJson.Read(Path.Combine(RebuildDirectory, ManifestJson.FileName));
        var signed = released.Artifacts.Where(a => a.IsSigned && a.Type == ArtifactTypes.Binary && File.Exists(Path.Combine(releaseDirectory, a.Path)))
            .Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        if (signed.Count == 0) return null;

        foreach (var file in rebuilt.Artifacts.Where(a => a.Type == ArtifactTypes.Binary))
        {
            var target = Path.Combine(output, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(signed.Contains(file.Path) ? releaseDirectory : RebuildDirectory, file.Path), target, overwrite: true);
        }
        var profile = ProfileLoader.LoadFile(ProfileFile).Profile!;
        var rendered = rebuilt.Artifacts.Where(a => a.Type == ArtifactTypes.ProfileFile && a.Rid is null) // the programs are copied in by the packager
            .Select(a => a.Path[(ReleasePackager.ProfileFolder.Length + 1)..]).ToList();
        ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = output,
            Version = rebuilt.Version,
            Commit = rebuilt.Commit,
            ProfileName = rebuilt.Profile,
            Binaries = [.. rebuilt.Binaries.Select(b => new PlannedBinary(b.Rid, b.Kind, b.Path ?? "", b.Note))],
            WriteProfileFiles = dir =>
            {
                foreach (var file in rendered)
                {
                    var target = Path.Combine(dir, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(Path.Combine(RebuildDirectory, ReleasePackager.ProfileFolder, file), target);
                }
                return PackageProfileFiles.Describe(profile, rendered);
            },
            WriteCloudFormation = _ => [],
            InstallersDirectory = InstallersDirectory,
            SourceDateEpoch = rebuilt.SourceDateEpoch ?? 0,
            WixlPath = WixlPath,
        });
        return output;
    }
}
