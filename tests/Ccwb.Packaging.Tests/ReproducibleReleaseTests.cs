using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Signing;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Packaging.Verification;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// Reproducible releases: the same commit and profile give the same bytes wherever they are built (two clone paths,
/// two output folders, a second machine's package cache path), the Verify target proves it for a release and names what
/// differs, and signatures strip back to the unsigned build's bytes.
/// </summary>
public sealed class ReproducibleReleaseTests(PackageFixture package, SecondCloneBuild second, ITestOutputHelper output)
    : IClassFixture<SecondCloneBuild>, IDisposable
{
    private readonly TempDirectory _release = new("ccwb-release");
    private readonly Lazy<TestKeys> _lazyKeys = new(() => new TestKeys());

    private TestKeys Keys => _lazyKeys.Value;

    [Fact]
    public void Two_clones_packaging_into_two_output_folders_give_byte_identical_artifacts_for_every_rid()
    {
        output.WriteLine($"second clone's Package: {second.Duration.TotalSeconds:F0} s");
        Assert.Equal(6, second.Manifest.Binaries.Count(b => b.Kind != BinaryKinds.Unavailable));
        var first = package.Manifest.Artifacts.ToDictionary(a => a.Path, StringComparer.Ordinal);
        var other = second.Manifest.Artifacts.ToDictionary(a => a.Path, StringComparer.Ordinal);
        var differences = first.Keys.Union(other.Keys).Order(StringComparer.Ordinal)
            .Where(path => !first.TryGetValue(path, out var a) || !other.TryGetValue(path, out var b) || a != b)
            .ToList();
        Assert.True(differences.Count == 0, "differ between the two builds: " + string.Join(", ", differences));
        Assert.Equal(File.ReadAllBytes(package.PathOf(ManifestJson.FileName)), File.ReadAllBytes(Path.Combine(second.OutputDirectory, ManifestJson.FileName)));
    }

    [Fact]
    public void Verify_reports_every_artifact_of_an_untouched_release_equal()
    {
        CopyRelease();
        var result = Verify();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Verify: {package.Manifest.Artifacts.Count} equal, 0 different, 0 missing, 0 not compared", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_names_a_tampered_binary_and_the_file_changed_inside_a_tampered_deb()
    {
        CopyRelease();
        var binary = _release.Combine("bin/linux-x64/credential-process");
        var bytes = File.ReadAllBytes(binary);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(binary, bytes);
        var deb = _release.Combine("installers/claude-code-with-bedrock_1.0.0_amd64.deb");
        var unpacked = _release.Combine("unpacked");
        Run.Checked("dpkg-deb", "-R", deb, unpacked);
        File.AppendAllText(Path.Combine(unpacked, "etc/claude-code/managed-settings.json"), "\n");
        Run.Checked("dpkg-deb", "--root-owner-group", "-Zxz", "--build", unpacked, deb);
        Directory.Delete(unpacked, recursive: true);

        var result = Verify();

        Assert.True(result.ExitCode != 0, result.ToString());
        var report = File.ReadAllText(Path.Combine(second.OutputDirectory, "verify-report", "verify-report.txt"));
        Assert.Contains("different    bin/linux-x64/credential-process\n", report, StringComparison.Ordinal);
        Assert.Contains("different    installers/claude-code-with-bedrock_1.0.0_amd64.deb\n", report, StringComparison.Ordinal);
        Assert.Contains("differs: data.tar: ./etc/claude-code/managed-settings.json\n", report, StringComparison.Ordinal);
        Assert.Contains("the released file does not match its own manifest entry", report, StringComparison.Ordinal);
        Assert.Contains("equal        installers/claude-code-with-bedrock_1.0.0_arm64.deb\n", report, StringComparison.Ordinal);
        Assert.Contains($"Verify: {package.Manifest.Artifacts.Count - 2} equal, 2 different", report, StringComparison.Ordinal);
        Assert.Contains("error", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_of_another_commit_fails_before_building_and_names_the_commit()
    {
        CopyRelease();
        var manifest = ManifestJson.Read(_release.Combine(ManifestJson.FileName));
        ManifestJson.Write(manifest with { Commit = "0123456789ab" }, _release.Combine(ManifestJson.FileName));
        var result = Verify();
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("commit: the release was built from commit 0123456789ab", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Verify: rebuilding", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticode_signed_exe_and_msi_with_the_signature_removed_are_byte_identical_to_the_unsigned_build()
    {
        foreach (var path in new[] { "bin/win-x64/credential-process.exe", "bin/win-x64/ccwb-user-setup.exe", "installers/claude-code-with-bedrock-1.0.0-win-x64.msi" })
        {
            var signed = _release.Combine("signed-" + Path.GetFileName(path));
            Run.Checked("osslsigncode", "sign", "-h", "sha256", "-pkcs12", Keys.Pfx, "-pass", TestKeys.PfxPassword, "-n", "test",
                "-in", package.PathOf(path), "-out", signed);
            Assert.True(Run.Tool("osslsigncode", ["verify", "-CAfile", Keys.CertificatePem, "-in", signed]).ExitCode == 0);
            var unsigned = _release.Combine("unsigned-" + Path.GetFileName(path));
            Run.Checked("osslsigncode", "remove-signature", "-in", signed, "-out", unsigned);
            Assert.True(ManifestBuilder.Sha256Of(unsigned) == ManifestBuilder.Sha256Of(package.PathOf(path)), path + " with its signature removed differs from the unsigned build");
        }
    }

    [Fact]
    public void Gpg_signed_deb_keeps_its_bytes_and_an_embedded_dpkg_sig_signature_strips_to_the_unsigned_deb()
    {
        CopyRelease();
        var signed = ReleaseSigner.Sign(_release.Path, new SigningOptions { GpgKey = TestKeys.GpgUid, GpgHomeDirectory = Keys.GnupgHome }, _ => { }).Manifest;
        const string Deb = "installers/claude-code-with-bedrock_1.0.0_amd64.deb";
        Assert.True(signed.Artifacts.Single(a => a.Path == Deb).IsSigned);
        Assert.Equal(ManifestBuilder.Sha256Of(package.PathOf(Deb)), ManifestBuilder.Sha256Of(_release.Combine(Deb)));
        Run.Checked("gpg", "--homedir", Keys.GnupgHome, "--verify", _release.Combine(Deb + ".asc"), _release.Combine(Deb));

        // dpkg-sig's form: a clear-signed list of the members' digests appended to the ar archive as _gpgbuilder.
        var digests = _release.Combine("_gpgbuilder.txt");
        File.WriteAllText(digests, "Version: 4\nSigner: test\nFiles:\n" + string.Concat(ArArchive.Read(_release.Combine(Deb))
            .Select(m => $"\t{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(m.Content))} {m.Content.Length} {m.Name}\n")));
        var member = _release.Combine("_gpgbuilder");
        Run.Checked("gpg", "--homedir", Keys.GnupgHome, "--batch", "--clearsign", "--output", member, digests);
        // Appended as dpkg-sig does, leaving the members before it untouched (binutils' ar rewrites their headers).
        var embedded = _release.Combine("embedded.deb");
        var signature = File.ReadAllBytes(member);
        var header = System.Text.Encoding.ASCII.GetBytes(
            $"{"_gpgbuilder",-16}{"0",-12}{"0",-6}{"0",-6}{"100644",-8}{signature.Length,-10}`\n");
        ArArchive.Write(embedded, [.. ArArchive.Read(_release.Combine(Deb)), new ArArchive.Member("_gpgbuilder", header, signature)]);
        Assert.Contains(ArArchive.Read(embedded), m => m.Name == "_gpgbuilder");

        var stripped = _release.Combine("stripped.deb");
        Assert.True(new SignatureStripper().Strip(embedded, stripped));
        Assert.Equal(ManifestBuilder.Sha256Of(package.PathOf(Deb)), ManifestBuilder.Sha256Of(stripped));
    }

    [Fact]
    public void A_release_signed_with_authenticode_and_gpg_verifies_equal_to_the_unsigned_build()
    {
        CopyRelease();
        ReleaseSigner.Sign(_release.Path, new SigningOptions
        {
            PfxFile = Keys.Pfx, Password = TestKeys.PfxPassword, GpgKey = TestKeys.GpgUid, GpgHomeDirectory = Keys.GnupgHome,
        }, _ => { });
        var report = new ReleaseVerifier(_release.Combine("verify-work")).Verify(_release.Combine(ManifestJson.FileName), package.OutputDirectory);
        Assert.True(report.AllEqual, report.ToText());
        Assert.Contains(report.Artifacts, a => a.Path == "installers/claude-code-with-bedrock-1.0.0-win-x64.msi" && a.Details.Contains("compared with its signature removed"));
        Assert.Contains(report.Artifacts, a => a.Verdict == Verdict.NotCompared && a.Path.EndsWith(".deb.asc", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_of_a_release_signed_by_the_sign_target_reports_every_built_artifact_equal()
    {
        // The fixture's whole output, obj/ included and all at one time, so that Sign's Package dependency is up to date.
        var stamp = DateTime.UtcNow;
        foreach (var file in Directory.EnumerateFiles(package.OutputDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(package.OutputDirectory, file);
            if (relative.StartsWith("obj/artifacts/", StringComparison.Ordinal)) continue;
            var target = _release.Combine(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, stamp);
        }
        const string PasswordVariable = "CCWB_TEST_SIGN_PASSWORD";
        var sign = Run.Tool(Repo.PathOf("build.sh"),
            ["Sign", "--skip-prerequisites", "--output", _release.Path, "--version", PackageFixture.Version, "--sign-pfx", Keys.Pfx,
             "--sign-password-env", PasswordVariable, "--gpg-key", TestKeys.GpgUid, "--gpg-homedir", Keys.GnupgHome],
            workingDirectory: Repo.Root, environment: new Dictionary<string, string?>(package.Environment) { [PasswordVariable] = TestKeys.PfxPassword },
            timeoutSeconds: 900);
        Assert.True(sign.ExitCode == 0, sign.ToString());

        var result = Verify();

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = File.ReadAllText(Path.Combine(second.OutputDirectory, "verify-report", "verify-report.txt"));
        Assert.Contains($"Verify: {package.Manifest.Artifacts.Count} equal, 0 different, 0 missing", report, StringComparison.Ordinal);
        Assert.Contains("built around the released signed executables", report, StringComparison.Ordinal);
    }

    private Run.Result Verify() =>
        second.BuildScript("Verify", "--skip-prerequisites", "--manifest", _release.Combine(ManifestJson.FileName), "--output", second.OutputDirectory);

    /// <summary>The fixture's release as a release engineer receives it: the manifest and the files it lists.</summary>
    private void CopyRelease()
    {
        foreach (var artifact in package.Manifest.Artifacts.Select(a => a.Path).Append(ManifestJson.FileName))
        {
            var target = _release.Combine(artifact);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(package.PathOf(artifact), target);
        }
    }

    public void Dispose()
    {
        if (_lazyKeys.IsValueCreated) Keys.Dispose();
        _release.Dispose();
    }
}
