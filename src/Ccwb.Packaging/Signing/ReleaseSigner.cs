using Ccwb.Packaging.MacOS;
using Ccwb.Packaging.Manifest;

namespace Ccwb.Packaging.Signing;

/// <summary>What one signing pass did.</summary>
/// <param name="Manifest">The manifest as written: every signed file with its new hash, signatures and the apt repository listed.</param>
/// <param name="SignaturesWritten">Files signed in this pass (0 when everything already carried a good signature).</param>
public sealed record SigningResult(ReleaseManifest Manifest, int SignaturesWritten);

/// <summary>
/// Signs a release in two passes around the Package target. <see cref="SignBinaries"/> signs the Windows programs
/// where Publish put them, before Package builds the MSIs that carry them; <see cref="Sign"/> then signs what
/// manifest.json lists: Authenticode for the MSIs (and any Windows program still unsigned), a productsign-style
/// signature for the macOS package, detached GPG signatures for debs plus a signed apt repository. In each pass every
/// key is checked before any file is touched, signed copies are written into a staging folder and swapped in only
/// once every signature verified, and a file that already carries a good signature by the given key is left byte for
/// byte as it is.
/// </summary>
public static class ReleaseSigner
{
    public const string SkipMessage = "Sign: no signing key given (--sign-pfx, --sign-cert/--sign-key, --pkg-sign-pfx, --pkg-sign-cert/--pkg-sign-key or --gpg-key); skipping.";
    private const string Description = "Claude Code with Amazon Bedrock";
    private const string WorkFolder = ".work";

    /// <summary>
    /// Signs the Windows <paramref name="binaries"/> (files under <paramref name="outputDirectory"/>) in place; returns
    /// how many were signed. The GPG and macOS package keys are checked too, so that a bad key fails before any
    /// binary changes (and so before Package rebuilds the installers around them).
    /// </summary>
    public static int SignBinaries(string outputDirectory, IReadOnlyList<string> binaries, SigningOptions options, Action<string> log)
    {
        if (!options.HasAnyKey) return 0;
        var output = Path.GetFullPath(outputDirectory);
        using var staging = new StagingArea(output);
        var (authenticode, _, _) = CreateSigners(options, staging);
        if (authenticode is null) return 0;

        var replacements = new List<(string Staged, string Final)>();
        foreach (var file in binaries.Select(Path.GetFullPath))
            SignOrKeep(authenticode, file, Path.GetRelativePath(output, file).Replace('\\', '/'), staging, replacements, log);
        // Every signature verified: swap the signed files in.
        foreach (var (staged, final) in replacements) File.Move(staged, final, overwrite: true);
        log($"Sign: {replacements.Count} program(s) signed before packaging.");
        return replacements.Count;
    }

    public static SigningResult Sign(string outputDirectory, SigningOptions options, Action<string> log)
    {
        var output = Path.GetFullPath(outputDirectory);
        var manifestPath = Path.Combine(output, ManifestJson.FileName);
        if (!File.Exists(manifestPath)) throw new PackagingException($"{manifestPath} not found: run the Package target first");
        var manifest = ManifestJson.Read(manifestPath);
        if (!options.HasAnyKey)
        {
            log(SkipMessage);
            return new SigningResult(manifest, 0);
        }
        using var staging = new StagingArea(output);
        var (authenticode, gpg, pkgSigner) = CreateSigners(options, staging);

        var replacements = new List<(string Staged, string Final)>();
        var artifacts = new List<ArtifactEntry>();
        var newFiles = new List<(string Relative, string Type)>();
        foreach (var artifact in manifest.Artifacts)
        {
            var file = Path.Combine(output, artifact.Path);
            var windows = artifact.Type == ArtifactTypes.Msi || IsWindowsExecutable(artifact);
            if (authenticode is not null && windows)
            {
                SignOrKeep(authenticode, file, artifact.Path, staging, replacements, log);
                artifacts.Add(artifact with { IsSigned = true });
                continue;
            }
            if (gpg is not null && artifact.Type == ArtifactTypes.Deb)
            {
                var signatureRelative = artifact.Path + ".asc";
                if (gpg.HasValidSignature(Path.Combine(output, signatureRelative), file))
                {
                    log($"Sign: {signatureRelative} is a good signature already; left as it is.");
                }
                else
                {
                    var staged = staging.Combine("signed", signatureRelative);
                    Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
                    gpg.DetachSign(file, staged);
                    replacements.Add((staged, Path.Combine(output, signatureRelative)));
                }
                newFiles.Add((signatureRelative, ArtifactTypes.Signature));
                artifacts.Add(artifact with { IsSigned = true });
                continue;
            }
            if (pkgSigner is not null && artifact.Type == ArtifactTypes.Pkg)
            {
                PkgSigning.Sign(pkgSigner, file, staging.Combine("signed", artifact.Path), replacements, log, artifact.Path);
                artifacts.Add(artifact with { IsSigned = true });
                continue;
            }
            // Without a GPG key in this pass, signatures and the repository stay listed as they are; with one, they
            // are listed afresh below.
            if (gpg is not null && artifact.Type is (ArtifactTypes.Signature or ArtifactTypes.AptRepository)) continue;
            artifacts.Add(artifact);
        }

        var repositoryWritten = gpg is not null && StageAptRepository(output, manifest, options, gpg, staging, newFiles, log);

        // Every signature verified: swap the signed files in, then the repository, then the manifest.
        foreach (var (staged, final) in replacements) File.Move(staged, final, overwrite: true);
        foreach (var scratch in new[] { staging.Combine("signed"), staging.Combine(WorkFolder) })
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        staging.Commit();
        var described = artifacts.Select(a => a.IsSigned ? ManifestBuilder.Describe(output, a.Path, a.Type, a.Rid, a.Kind) with { IsSigned = true } : a)
            .Concat(newFiles.Select(f => ManifestBuilder.Describe(output, f.Relative, f.Type) with { IsSigned = f.Type == ArtifactTypes.Signature }))
            .ToList();
        var signed = manifest with { Artifacts = described };
        ManifestJson.Write(signed, manifestPath);
        var written = replacements.Count + (repositoryWritten ? 1 : 0);
        log($"Sign: {written} file(s) signed; manifest.json updated.");
        return new SigningResult(signed, written);
    }

    /// <summary>Every signer the options ask for: each key is loaded and checked here, before any file is touched.</summary>
    private static (AuthenticodeSigner? Authenticode, GpgSigner? Gpg, PkgSigner? Pkg) CreateSigners(SigningOptions options, StagingArea staging) => (
        options.HasAuthenticode ? new AuthenticodeSigner(options, staging.Combine(WorkFolder)) : null,
        options.HasGpg ? new GpgSigner(options.GpgKey!, options.GpgHomeDirectory) : null,
        options.HasPkgIdentity ? PkgSigning.Create(options) : null);

    /// <summary>
    /// Keeps a file that already carries a good Authenticode signature by this key; else signs it into the staging
    /// folder and queues the signed copy to replace it.
    /// </summary>
    private static void SignOrKeep(AuthenticodeSigner authenticode, string file, string relative, StagingArea staging,
        List<(string Staged, string Final)> replacements, Action<string> log)
    {
        if (authenticode.IsSigned(file))
        {
            authenticode.Verify(file);
            log($"Sign: {relative} is already signed; left as it is.");
            return;
        }
        var staged = staging.Combine("signed", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        authenticode.Sign(file, staged, Description);
        replacements.Add((staged, file));
    }

    /// <summary>
    /// A Windows program the manifest lists: the helper of a win-* RID, or any other .exe (an installer's helper), so a
    /// program added to the release later is signed without a rule of its own.
    /// </summary>
    private static bool IsWindowsExecutable(ArtifactEntry artifact) =>
        artifact.Type == ArtifactTypes.Binary && artifact.Rid?.StartsWith("win-", StringComparison.Ordinal) == true ||
        artifact.Path.EndsWith(".exe", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Indexes the debs into a staged apt/ folder and signs it, unless the apt/ folder in the output already holds the
    /// same index with good signatures (then the staged copy is dropped). Returns whether a new repository was staged.
    /// </summary>
    private static bool StageAptRepository(string output, ReleaseManifest manifest, SigningOptions options, GpgSigner gpg,
        StagingArea staging, List<(string Relative, string Type)> newFiles, Action<string> log)
    {
        var debs = manifest.Artifacts.Where(a => a.Type == ArtifactTypes.Deb).Select(a => Path.Combine(output, a.Path)).ToList();
        if (debs.Count == 0) return false;
        var staged = staging.Combine(AptRepository.Folder);
        var current = Path.Combine(output, AptRepository.Folder);
        AptRepository.WriteIndex(staged, debs, manifest.Product, options.RepositoryDate, gpg.ExportPublicKey());
        var unchanged = AptRepository.IsSignedCopyOf(current, staged, gpg);
        if (unchanged)
        {
            Directory.Delete(staged, recursive: true);
            log($"Sign: {AptRepository.Folder}/ holds this index with good signatures already; left as it is.");
        }
        else
        {
            AptRepository.Sign(staged, gpg);
        }
        foreach (var name in AptRepository.Names(unchanged ? current : staged))
            newFiles.Add(($"{AptRepository.Folder}/{name}", ArtifactTypes.AptRepository));
        return !unchanged;
    }
}
