using Ccwb.Packaging.Manifest;

namespace Ccwb.Packaging.Signing;

/// <summary>
/// Signs what manifest.json lists: Authenticode for Windows binaries and MSIs, detached GPG signatures for debs plus a
/// signed apt repository. Keys are checked before any file is touched; signed copies are written beside the originals
/// and swapped in only once every signature verified; the manifest is rewritten with the new hashes.
/// </summary>
public static class ReleaseSigner
{
    public const string SkipMessage = "Sign: no signing key given (--sign-pfx, --sign-cert/--sign-key or --gpg-key); skipping.";

    /// <param name="binariesOnly">Sign only the Windows binaries (before the MSIs that carry them are rebuilt).</param>
    public static ReleaseManifest Sign(string outputDirectory, SigningOptions options, Action<string> log, bool binariesOnly = false)
    {
        var output = Path.GetFullPath(outputDirectory);
        var manifestPath = Path.Combine(output, ManifestJson.FileName);
        if (!File.Exists(manifestPath)) throw new PackagingException($"{manifestPath} not found: run the Package target first");
        var manifest = ManifestJson.Read(manifestPath);
        if (!options.HasAuthenticode && !options.HasGpg)
        {
            log(SkipMessage);
            return manifest;
        }
        using var staging = new StagingArea(output);
        var work = staging.Combine(".work");
        var authenticode = options.HasAuthenticode ? new AuthenticodeSigner(options, work) : null;
        var gpg = options.HasGpg && !binariesOnly ? new GpgSigner(options.GpgKey!, options.GpgHomeDirectory) : null;

        var replacements = new List<(string Staged, string Final)>();
        var artifacts = new List<ArtifactEntry>();
        var newFiles = new List<(string Relative, string Type)>();
        foreach (var artifact in manifest.Artifacts)
        {
            var file = Path.Combine(output, artifact.Path);
            var windows = artifact.Type == ArtifactTypes.Msi && !binariesOnly ||
                          artifact.Type == ArtifactTypes.Binary && artifact.Rid?.StartsWith("win-", StringComparison.Ordinal) == true;
            if (authenticode is not null && windows)
            {
                if (authenticode.IsSigned(file))
                {
                    authenticode.Verify(file);
                    log($"Sign: {artifact.Path} is already signed; left as it is.");
                }
                else
                {
                    var staged = staging.Combine("signed", artifact.Path);
                    Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
                    authenticode.Sign(file, staged, "Claude Code with Amazon Bedrock");
                    replacements.Add((staged, file));
                }
                artifacts.Add(artifact with { IsSigned = true });
                continue;
            }
            if (gpg is not null && artifact.Type == ArtifactTypes.Deb)
            {
                var signatureRelative = artifact.Path + ".asc";
                var staged = staging.Combine("signed", signatureRelative);
                Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
                gpg.DetachSign(file, staged);
                replacements.Add((staged, Path.Combine(output, signatureRelative)));
                newFiles.Add((signatureRelative, ArtifactTypes.Signature));
                artifacts.Add(artifact with { IsSigned = true });
                continue;
            }
            if (artifact.Type is ArtifactTypes.Signature or ArtifactTypes.AptRepository) continue; // rewritten below
            artifacts.Add(artifact);
        }

        if (gpg is not null)
        {
            var debs = manifest.Artifacts.Where(a => a.Type == ArtifactTypes.Deb).Select(a => Path.Combine(output, a.Path)).ToList();
            if (debs.Count > 0)
            {
                var repository = staging.Combine(AptRepository.Folder);
                foreach (var name in AptRepository.Build(repository, debs, gpg, manifest.Product))
                    newFiles.Add(($"{AptRepository.Folder}/{name}", ArtifactTypes.AptRepository));
            }
        }

        // Every signature verified: swap the signed files in, then the repository, then the manifest.
        foreach (var (staged, final) in replacements) File.Move(staged, final, overwrite: true);
        foreach (var scratch in new[] { staging.Combine("signed"), work })
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        staging.Commit();
        var described = artifacts.Select(a => a.IsSigned ? ManifestBuilder.Describe(output, a.Path, a.Type, a.Rid, a.Kind) with { IsSigned = true } : a)
            .Concat(newFiles.Select(f => ManifestBuilder.Describe(output, f.Relative, f.Type) with { IsSigned = f.Type == ArtifactTypes.Signature }))
            .ToList();
        var signed = manifest with { Artifacts = described };
        ManifestJson.Write(signed, manifestPath);
        log($"Sign: {replacements.Count} signature(s) written; manifest.json updated.");
        return signed;
    }
}
