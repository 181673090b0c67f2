using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Signing;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>Signing a copy of the real build's output with keys the test makes; verification by osslsigncode and gpg.</summary>
public sealed class SigningTests(PackageFixture package) : IDisposable
{
    private readonly TestKeys _keys = new();
    private readonly TempDirectory _output = new("ccwb-sign");
    private readonly List<string> _log = [];

    private SigningOptions PfxAndGpg => new()
    {
        PfxFile = _keys.Pfx,
        Password = TestKeys.PfxPassword,
        GpgKey = TestKeys.GpgUid,
        GpgHomeDirectory = _keys.GnupgHome,
    };

    [Fact]
    public void Signs_every_windows_binary_and_msi_and_a_tampered_copy_fails_verification()
    {
        CopyRelease();
        var signed = ReleaseSigner.Sign(_output.Path, PfxAndGpg, _log.Add).Manifest;

        var windows = signed.Artifacts.Where(a => a.Type == ArtifactTypes.Msi || a.Rid?.StartsWith("win-", StringComparison.Ordinal) == true && a.Type == ArtifactTypes.Binary).ToList();
        Assert.Equal(14, windows.Count); // two helper fronts, two full helpers, two otel-helper fronts, two otel-helper-fulls, two user setup programs, four MSIs
        foreach (var artifact in windows)
        {
            Assert.True(artifact.IsSigned);
            var file = _output.Combine(artifact.Path);
            Assert.Equal(ManifestBuilder.Sha256Of(file), artifact.Sha256);
            var verify = Run.Tool("osslsigncode", ["verify", "-CAfile", _keys.CertificatePem, "-in", file]);
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }

        foreach (var path in new[] { "bin/win-x64/credential-process.exe", "installers/claude-code-with-bedrock-1.0.0-win-x64.msi" })
        {
            var tampered = _output.Combine("tampered-" + Path.GetFileName(path));
            var bytes = File.ReadAllBytes(_output.Combine(path));
            bytes[bytes.Length / 3] ^= 0xFF;
            File.WriteAllBytes(tampered, bytes);
            var verify = Run.Tool("osslsigncode", ["verify", "-CAfile", _keys.CertificatePem, "-in", tampered]);
            Assert.True(verify.ExitCode != 0, "tampered copy verified: " + verify);
        }
    }

    [Fact]
    public void Pem_key_and_chain_sign_like_a_pfx()
    {
        CopyRelease();
        var signed = ReleaseSigner.Sign(_output.Path, new SigningOptions { CertificateFile = _keys.CertificatePem, KeyFile = _keys.KeyPem }, _log.Add).Manifest;
        var exe = _output.Combine("bin/win-x64/credential-process.exe");
        Assert.True(Run.Tool("osslsigncode", ["verify", "-CAfile", _keys.CertificatePem, "-in", exe]).ExitCode == 0);
        Assert.True(signed.Artifacts.Single(a => a.Path == "bin/win-x64/credential-process.exe").IsSigned);
    }

    [Fact]
    public void Already_signed_files_are_not_signed_twice()
    {
        CopyRelease();
        var first = ReleaseSigner.Sign(_output.Path, PfxAndGpg with { GpgKey = null }, _log.Add).Manifest;
        _log.Clear();
        var second = ReleaseSigner.Sign(_output.Path, PfxAndGpg with { GpgKey = null }, _log.Add).Manifest;
        Assert.Equal(first.Artifacts.Select(a => a.Sha256), second.Artifacts.Select(a => a.Sha256));
        Assert.Contains("Sign: bin/win-x64/credential-process.exe is already signed; left as it is.", _log);
        Assert.Contains("Sign: 0 file(s) signed; manifest.json updated.", _log);
    }

    [Fact]
    public void The_binaries_pass_signs_the_windows_programs_in_place_and_touches_nothing_else()
    {
        CopyRelease();
        var pfxOnly = PfxAndGpg with { GpgKey = null };
        // What Publish wrote (Package copies them into the package folder afterwards).
        var programs = package.Manifest.Artifacts.Where(a => a.Path.StartsWith("bin/win-", StringComparison.Ordinal) && a.Path.EndsWith(".exe", StringComparison.Ordinal))
            .Select(a => _output.Combine(a.Path)).ToList();
        Assert.Equal(10, programs.Count); // credential-process and otel-helper (front and full each) and ccwb-user-setup of win-x64 and win-arm64
        var programPaths = programs.Select(p => Path.GetRelativePath(_output.Path, p)).ToHashSet();
        var others = FolderState.Of(_output.Path).Where(f => !programPaths.Contains(f.Key)).ToList();

        Assert.Equal(10, ReleaseSigner.SignBinaries(_output.Path, programs, pfxOnly, _log.Add));

        foreach (var program in programs)
            Assert.True(Run.Tool("osslsigncode", ["verify", "-CAfile", _keys.CertificatePem, "-in", program]).ExitCode == 0, program);
        // The MSIs, the package folder's copies and the manifest wait for Package, which makes them from the signed programs.
        Assert.Equal(others, FolderState.Of(_output.Path).Where(f => !programPaths.Contains(f.Key)).ToList());
        _log.Clear();
        Assert.Equal(0, ReleaseSigner.SignBinaries(_output.Path, programs, pfxOnly, _log.Add));
        Assert.Contains("Sign: bin/win-x64/credential-process.exe is already signed; left as it is.", _log);
    }

    [Fact]
    public void Any_exe_the_manifest_lists_is_signed_whatever_its_type()
    {
        CopyRelease();
        const string helper = "tools/installer-helper.exe";
        Directory.CreateDirectory(_output.Combine("tools"));
        File.Copy(_output.Combine("bin/win-x64/credential-process.exe"), _output.Combine(helper));
        var manifest = ManifestJson.Read(_output.Combine(ManifestJson.FileName));
        ManifestJson.Write(manifest with { Artifacts = [.. manifest.Artifacts, ManifestBuilder.Describe(_output.Path, helper, "helper")] },
            _output.Combine(ManifestJson.FileName));

        var signed = ReleaseSigner.Sign(_output.Path, PfxAndGpg with { GpgKey = null }, _log.Add).Manifest;

        var entry = signed.Artifacts.Single(a => a.Path == helper);
        Assert.True(entry.IsSigned);
        Assert.Equal(ManifestBuilder.Sha256Of(_output.Combine(helper)), entry.Sha256);
        Assert.True(Run.Tool("osslsigncode", ["verify", "-CAfile", _keys.CertificatePem, "-in", _output.Combine(helper)]).ExitCode == 0);
    }

    [Fact]
    public void Signatures_by_another_key_in_the_keyring_are_replaced_not_kept_as_already_signed()
    {
        CopyRelease();
        const string other = "Other Key <other@example.com>";
        Run.Checked("gpg", "--homedir", _keys.GnupgHome, "--batch", "--passphrase", "", "--quick-gen-key", other, "rsa2048", "sign", "never");
        var gpgOnly = PfxAndGpg with { PfxFile = null, Password = null };
        ReleaseSigner.Sign(_output.Path, gpgOnly with { GpgKey = other }, _log.Add);
        _log.Clear();

        var result = ReleaseSigner.Sign(_output.Path, gpgOnly, _log.Add);

        Assert.Equal(3, result.SignaturesWritten); // two deb signatures and the repository
        var ours = new GpgSigner(TestKeys.GpgUid, _keys.GnupgHome);
        foreach (var deb in result.Manifest.Artifacts.Where(a => a.Type == ArtifactTypes.Deb))
            Assert.True(ours.HasValidSignature(_output.Combine(deb.Path + ".asc"), _output.Combine(deb.Path)), deb.Path);
        var apt = _output.Combine(AptRepository.Folder);
        Assert.True(ours.HasValidInlineSignature(Path.Combine(apt, "InRelease"), Path.Combine(apt, "Release")));
        Assert.True(ours.HasValidSignature(Path.Combine(apt, "Release.gpg"), Path.Combine(apt, "Release")));
        Assert.Equal(ours.ExportPublicKey(), File.ReadAllText(Path.Combine(apt, AptRepository.PublicKeyFile)));
    }

    [Fact]
    public void Debs_get_detached_signatures_and_the_apt_repository_verifies_with_gpg()
    {
        CopyRelease();
        var signed = ReleaseSigner.Sign(_output.Path, PfxAndGpg with { PfxFile = null, Password = null }, _log.Add).Manifest;
        foreach (var deb in signed.Artifacts.Where(a => a.Type == ArtifactTypes.Deb))
        {
            var signature = signed.Artifacts.Single(a => a.Path == deb.Path + ".asc");
            Assert.Equal(ArtifactTypes.Signature, signature.Type);
            Gpg("--verify", _output.Combine(signature.Path), _output.Combine(deb.Path));
        }

        var apt = _output.Combine(AptRepository.Folder);
        Gpg("--verify", Path.Combine(apt, "InRelease"));
        Gpg("--verify", Path.Combine(apt, "Release.gpg"), Path.Combine(apt, "Release"));
        // Release vouches for Packages by hash, and Packages for each deb: the chain apt follows.
        var release = File.ReadAllText(Path.Combine(apt, "Release"));
        Assert.Contains($" {ManifestBuilder.Sha256Of(Path.Combine(apt, "Packages"))} ", release, StringComparison.Ordinal);
        var packages = File.ReadAllText(Path.Combine(apt, "Packages"));
        foreach (var deb in signed.Artifacts.Where(a => a.Type == ArtifactTypes.Deb))
            Assert.Contains($"SHA256: {deb.Sha256}\n", packages, StringComparison.Ordinal);
        Assert.Contains("Architecture: arm64", packages, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64", packages, StringComparison.Ordinal);

        // A changed Release no longer verifies.
        File.AppendAllText(Path.Combine(apt, "Release"), "Suite: unstable\n");
        Assert.NotEqual(0, Run.Tool("gpg", ["--homedir", _keys.GnupgHome, "--verify", Path.Combine(apt, "Release.gpg"), Path.Combine(apt, "Release")]).ExitCode);
        Assert.Contains(signed.Artifacts, a => a.Path == "apt/InRelease" && a.Type == ArtifactTypes.AptRepository);
    }

    [Fact]
    public void No_key_skips_signing_with_one_line_and_changes_nothing()
    {
        CopyRelease();
        var before = Snapshot();
        ReleaseSigner.Sign(_output.Path, new SigningOptions(), _log.Add);
        Assert.Equal([ReleaseSigner.SkipMessage], _log);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData("missing-pfx")]
    [InlineData("wrong-password")]
    [InlineData("missing-pem-key")]
    [InlineData("unknown-gpg-key")]
    public void Bad_signing_input_fails_with_one_clear_message_and_writes_nothing(string scenario)
    {
        CopyRelease();
        var before = Snapshot();
        var (options, expected) = scenario switch
        {
            "missing-pfx" => (PfxAndGpg with { PfxFile = _output.Combine("nope.pfx") }, $"Signing key file not found: {_output.Combine("nope.pfx")} (--sign-pfx)"),
            "wrong-password" => (PfxAndGpg with { Password = "wrong" }, $"Cannot open {_keys.Pfx}: wrong password, or not a PKCS#12 file (--sign-pfx, --sign-password-env)"),
            "missing-pem-key" => (new SigningOptions { CertificateFile = _keys.CertificatePem, KeyFile = _output.Combine("nope.pem") }, $"Signing key file not found: {_output.Combine("nope.pem")} (--sign-key)"),
            _ => (PfxAndGpg with { GpgKey = "nobody@example.com" }, $"GPG key 'nobody@example.com' has no secret key in {_keys.GnupgHome} (--gpg-key, --gpg-homedir)"),
        };
        var error = Assert.Throws<PackagingException>(() => ReleaseSigner.Sign(_output.Path, options, _log.Add));
        Assert.Equal(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_key_without_a_manifest_names_the_package_target_and_writes_nothing()
    {
        var error = Assert.Throws<PackagingException>(() => ReleaseSigner.Sign(_output.Path, PfxAndGpg, _log.Add));
        Assert.Equal($"{_output.Combine(ManifestJson.FileName)} not found: run the Package target first", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_output.Path));
    }

    private void Gpg(params string[] arguments)
    {
        var result = Run.Tool("gpg", ["--homedir", _keys.GnupgHome, .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>The release files the signer works on (Windows binaries, installers, manifest) into a private folder.</summary>
    private void CopyRelease()
    {
        var manifest = package.Manifest with
        {
            Artifacts = [.. package.Manifest.Artifacts.Where(a => a.Type is ArtifactTypes.Msi or ArtifactTypes.Deb ||
                                                                  a.Type == ArtifactTypes.Binary && a.Rid!.StartsWith("win-", StringComparison.Ordinal))],
        };
        foreach (var artifact in manifest.Artifacts)
        {
            var target = _output.Combine(artifact.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(package.PathOf(artifact.Path), target);
        }
        ManifestJson.Write(manifest, _output.Combine(ManifestJson.FileName));
    }

    /// <summary>Every file under the output folder with its hash: what "nothing was written" is checked against.</summary>
    private SortedDictionary<string, string> Snapshot() =>
        new(Directory.EnumerateFiles(_output.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_output.Path, f), ManifestBuilder.Sha256Of), StringComparer.Ordinal);

    public void Dispose()
    {
        _output.Dispose();
        _keys.Dispose();
    }
}
