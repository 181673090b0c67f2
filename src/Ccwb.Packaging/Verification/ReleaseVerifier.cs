using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Verification;

/// <summary>How one released artifact compares with the rebuild.</summary>
public enum Verdict
{
    Equal,
    Different,
    /// <summary>Listed in the release but not produced by the rebuild, or the other way round.</summary>
    Missing,
    /// <summary>Not rebuilt by nature: detached signatures and the signed apt repository.</summary>
    NotCompared,
}

/// <param name="Details">What differs: the inner files of an archive, a hash that no longer matches the manifest...</param>
public sealed record ArtifactVerdict(string Path, Verdict Verdict, IReadOnlyList<string> Details)
{
    public override string ToString() =>
        $"{Verdict.ToString().ToLowerInvariant(),-12} {Path}" + (Details.Count == 0 ? "" : "\n" + string.Concat(Details.Select(d => $"             {d}\n")).TrimEnd('\n'));
}

public sealed record VerificationReport(IReadOnlyList<ArtifactVerdict> Artifacts)
{
    public bool AllEqual => Artifacts.All(a => a.Verdict is Verdict.Equal or Verdict.NotCompared);

    public string Summary =>
        $"Verify: {Artifacts.Count(a => a.Verdict == Verdict.Equal)} equal, {Artifacts.Count(a => a.Verdict == Verdict.Different)} different, " +
        $"{Artifacts.Count(a => a.Verdict == Verdict.Missing)} missing, {Artifacts.Count(a => a.Verdict == Verdict.NotCompared)} not compared";

    public string ToText() => string.Concat(Artifacts.Select(a => a + "\n")) + Summary + "\n";
}

/// <summary>
/// Compares a released manifest.json (and, where they sit beside it, the released files) with a rebuild of the same
/// commit and profile, artifact by artifact. A released file is compared by its bytes when present, else by the
/// SHA-256 its manifest lists. Signed files are compared with their signature removed; for an archive that differs,
/// the inner files that differ are named, and diffoscope's report is written beside the verdicts when it is installed.
/// </summary>
public sealed class ReleaseVerifier(string workDirectory, ExternalTool? diffoscope = null)
{
    private readonly SignatureStripper _stripper = new();
    private readonly InnerFiles _inner = new(Path.Combine(workDirectory, "inner"));
    private readonly ExternalTool _diffoscope = diffoscope ?? KnownTools.Diffoscope();

    /// <summary>Where diffoscope reports go (one text file per different artifact); null when diffoscope is not installed.</summary>
    public string? DiffoscopeDirectory => _diffoscope.IsAvailable() ? Path.Combine(workDirectory, "diffoscope") : null;

    /// <param name="installersAroundSignedExecutables">
    /// For a release signed by the Sign target, which rebuilds the installers around the signed executables: makes a
    /// folder whose installers/ holds installers built the same way (null when no released executable is signed). A
    /// released MSI or zip that differs from the rebuild's is compared with that one too; called once, when first needed.
    /// </param>
    public VerificationReport Verify(string releasedManifestFile, string rebuildDirectory, Func<string?>? installersAroundSignedExecutables = null)
    {
        var signedInstallers = new Lazy<string?>(() => installersAroundSignedExecutables?.Invoke());
        var released = ManifestJson.Read(releasedManifestFile);
        var releaseDirectory = Path.GetDirectoryName(Path.GetFullPath(releasedManifestFile))!;
        var rebuilt = ManifestJson.Read(Path.Combine(rebuildDirectory, ManifestJson.FileName));
        var rebuiltByPath = rebuilt.Artifacts.ToDictionary(a => a.Path, StringComparer.Ordinal);
        var verdicts = new List<ArtifactVerdict>();

        foreach (var artifact in released.Artifacts.OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            if (artifact.Type is ArtifactTypes.Signature or ArtifactTypes.AptRepository)
            {
                verdicts.Add(new(artifact.Path, Verdict.NotCompared, ["a signature or signed index: made by the Sign target, not by a build"]));
                continue;
            }
            if (!rebuiltByPath.TryGetValue(artifact.Path, out var rebuiltArtifact))
            {
                verdicts.Add(new(artifact.Path, Verdict.Missing, ["not produced by the rebuild"]));
                continue;
            }
            var verdict = Compare(artifact, releaseDirectory, rebuiltArtifact, rebuildDirectory);
            if (verdict.Verdict != Verdict.Equal && artifact.Type is ArtifactTypes.Msi or ArtifactTypes.Zip && signedInstallers.Value is { } around)
            {
                var aroundSigned = Compare(artifact, releaseDirectory, rebuiltArtifact, around);
                if (aroundSigned.Verdict == Verdict.Equal)
                    verdict = aroundSigned with { Details = [.. aroundSigned.Details, "built around the released signed executables, as the Sign target does"] };
            }
            verdicts.Add(verdict);
        }
        var releasedPaths = released.Artifacts.Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        verdicts.AddRange(rebuilt.Artifacts.Where(a => !releasedPaths.Contains(a.Path))
            .Select(a => new ArtifactVerdict(a.Path, Verdict.Missing, ["produced by the rebuild but not listed in the release"])));
        return new VerificationReport(verdicts);
    }

    private ArtifactVerdict Compare(ArtifactEntry artifact, string releaseDirectory, ArtifactEntry rebuiltArtifact, string rebuildDirectory)
    {
        var releasedFile = Path.Combine(releaseDirectory, artifact.Path);
        var rebuiltFile = Path.Combine(rebuildDirectory, artifact.Path);
        if (!File.Exists(releasedFile))
        {
            // Only the manifest was given: its hash is all there is to compare (a signed file needs its bytes).
            if (artifact.Sha256 == rebuiltArtifact.Sha256) return new(artifact.Path, Verdict.Equal, []);
            return new(artifact.Path, Verdict.Different, artifact.IsSigned
                ? ["signed in the release: put the released file beside manifest.json to compare it with its signature removed"]
                : [$"SHA-256 {artifact.Sha256} in the release, {rebuiltArtifact.Sha256} rebuilt"]);
        }

        var details = new List<string>();
        if (ManifestBuilder.Sha256Of(releasedFile) != artifact.Sha256)
            details.Add("the released file does not match its own manifest entry (changed after the release was made)");
        var compared = releasedFile;
        if (SignatureStripper.CanCarrySignature(releasedFile))
        {
            var stripped = Path.Combine(workDirectory, "unsigned", artifact.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(stripped)!);
            if (_stripper.Strip(releasedFile, stripped))
            {
                compared = stripped;
                details.Add("compared with its signature removed");
            }
        }
        if (ManifestBuilder.Sha256Of(compared) == ManifestBuilder.Sha256Of(rebuiltFile))
            return new(artifact.Path, Verdict.Equal, details.Where(d => d.StartsWith("compared", StringComparison.Ordinal)).ToList());

        if (InnerFiles.IsArchive(compared))
        {
            var inner = _inner.Differences(compared, rebuiltFile);
            details.AddRange(inner.Count == 0
                ? ["the same inner files: the archive's own layout or metadata differs"]
                : inner.Select(name => "differs: " + name));
        }
        else details.Add($"{new FileInfo(compared).Length} bytes in the release, {new FileInfo(rebuiltFile).Length} rebuilt");
        if (DiffoscopeDirectory is { } reports)
        {
            var report = Path.Combine(reports, artifact.Path.Replace('/', '_') + ".txt");
            Directory.CreateDirectory(reports);
            _diffoscope.Run(["--text", report, "--max-report-size", "2000000", compared, rebuiltFile]);
            details.Add($"diffoscope: {report}");
        }
        return new(artifact.Path, Verdict.Different, details);
    }
}
