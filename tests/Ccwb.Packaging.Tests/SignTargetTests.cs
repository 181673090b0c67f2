using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Signing;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// The release engineer's path end to end: <c>./build.sh Sign</c> with its documented options and real keys (openssl,
/// gpg), run on a copy of the package the fixture built (the fixture itself stays unsigned). The result is checked
/// with the tools a user or a deployment system would use: osslsigncode, gpg, gpgv, msiextract and apt-get.
/// </summary>
public sealed class SignTargetTests(PackageFixture package) : IDisposable
{
    private const string PasswordVariable = "CCWB_TEST_SIGN_PASSWORD";
    private readonly TestKeys _keys = new();
    private readonly TempDirectory _output = new("ccwb-sign-target");

    private string[] PfxAndGpg =>
        ["--sign-pfx", _keys.Pfx, "--sign-password-env", PasswordVariable, "--gpg-key", TestKeys.GpgUid, "--gpg-homedir", _keys.GnupgHome];

    [Fact]
    public void Pfx_and_gpg_key_sign_every_exe_msi_deb_and_the_apt_repository_and_a_second_run_changes_nothing()
    {
        CopyPackage();
        var first = BuildSign(TestKeys.PfxPassword, PfxAndGpg);
        Assert.True(first.ExitCode == 0, first.ToString());
        SignedRelease.AssertVerifies(_output.Path, _keys.CertificatePem, _keys.GnupgHome);

        var signed = FolderState.Of(_output.Path);
        var second = BuildSign(TestKeys.PfxPassword, PfxAndGpg);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(signed, FolderState.Of(_output.Path));
        Assert.Contains("Sign: 0 file(s) signed; manifest.json updated.", second.Output, StringComparison.Ordinal);
        Assert.Contains("Sign: installers/claude-code-with-bedrock-1.0.0-win-x64.msi is already signed; left as it is.", second.Output, StringComparison.Ordinal);
        Assert.Contains("Sign: installers/claude-code-with-bedrock_1.0.0_amd64.deb.asc is a good signature already; left as it is.", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Pem_key_with_its_ca_chain_and_a_passphrase_protected_gpg_key_unlocked_in_gpg_agent_sign_end_to_end()
    {
        CopyPackage();
        using var chain = new CertificateChain();
        using var gpg = new PassphraseGpgHome();
        gpg.PresetPassphrase();
        var result = BuildSign(null, "--sign-cert", chain.LeafAndCa, "--sign-key", chain.LeafKey,
            "--gpg-key", PassphraseGpgHome.Uid, "--gpg-homedir", gpg.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        // Verified against the CA alone: the signature must carry the leaf certificate that chains up to it.
        SignedRelease.AssertVerifies(_output.Path, chain.CaCertificate, gpg.Path);
    }

    [Theory]
    [InlineData("wrong-pfx-password")]
    [InlineData("missing-pfx")]
    [InlineData("missing-pem-key")]
    [InlineData("unset-password-variable")]
    [InlineData("gpg-key-passphrase-not-unlocked")]
    public void Bad_signing_input_fails_with_one_clear_line_and_leaves_the_output_exactly_as_it_was(string scenario)
    {
        CopyPackage();
        using var lockedGpg = new PassphraseGpgHome();
        var missing = _output.Combine("missing", "key-file");
        var (password, arguments, expected) = scenario switch
        {
            "wrong-pfx-password" => ("not the password", PfxAndGpg,
                _keys.Pfx),
            "missing-pfx" => (TestKeys.PfxPassword, ["--sign-pfx", missing, "--sign-password-env", PasswordVariable],
                missing),
            "missing-pem-key" => (null, ["--sign-cert", _keys.CertificatePem, "--sign-key", missing],
                missing),
            "unset-password-variable" => (null, PfxAndGpg,
                PasswordVariable),
            // A valid PFX as well: the GPG key is checked before the Windows binaries are signed.
            _ => (TestKeys.PfxPassword, ["--sign-pfx", _keys.Pfx, "--sign-password-env", PasswordVariable,
                    "--gpg-key", PassphraseGpgHome.Uid, "--gpg-homedir", lockedGpg.Path],
                PassphraseGpgHome.Uid),
        };
        var before = FolderState.Of(_output.Path);

        var result = BuildSign(password, arguments);

        Assert.NotEqual(0, result.ExitCode);
        // One finding line in the toolkit's format, on stderr, naming what is wrong.
        var error = Assert.Single((result.Output + "\n" + result.Error).Split('\n'), l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        if (password is not null) Assert.DoesNotContain(password, result.Output, StringComparison.Ordinal);
        Assert.Equal(before, FolderState.Of(_output.Path));
    }

    /// <summary>./build.sh Sign against the copy, with the fixture's SOURCE_DATE_EPOCH and commit, so Package is up to date.</summary>
    private Run.Result BuildSign(string? password, params string[] signingArguments)
    {
        var environment = new Dictionary<string, string?>(package.Environment) { [PasswordVariable] = password };
        return Run.Tool(Repo.PathOf("build.sh"),
            ["Sign", "--skip-prerequisites", "--output", _output.Path, "--version", PackageFixture.Version, .. signingArguments],
            workingDirectory: Repo.Root, environment: environment, timeoutSeconds: 900);
    }

    /// <summary>
    /// The fixture's output (without the publish intermediates under obj/artifacts) into the test's folder. Every copy
    /// gets one and the same time: the copy is then as up to date as the fixture's build, and a source edited since
    /// cannot make the Sign target's Package dependency republish six RIDs inside this test.
    /// </summary>
    private void CopyPackage()
    {
        var stamp = DateTime.UtcNow;
        foreach (var file in Directory.EnumerateFiles(package.OutputDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(package.OutputDirectory, file);
            if (relative.StartsWith("obj/artifacts/", StringComparison.Ordinal)) continue;
            var target = _output.Combine(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, stamp);
        }
        Assert.False(package.Manifest.Artifacts.Any(a => a.IsSigned), "the fixture's package must be unsigned");
    }

    public void Dispose()
    {
        _output.Dispose();
        _keys.Dispose();
    }
}

/// <summary>What a signed release must satisfy, checked with the tools its users have.</summary>
internal static class SignedRelease
{
    public static void AssertVerifies(string output, string trustedCertificate, string gnupgHome)
    {
        var manifest = ManifestJson.Read(Path.Combine(output, ManifestJson.FileName));
        var files = ReleaseFiles(output);

        // Authenticode: every .exe and .msi in the folder, whether or not the manifest names it.
        var windows = files.Where(f => f.EndsWith(".exe", StringComparison.Ordinal) || f.EndsWith(".msi", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, windows.Count(f => f.EndsWith(".msi", StringComparison.Ordinal))); // per-user and per-machine, two RIDs
        Assert.Contains("bin/win-x64/credential-process.exe", windows);
        Assert.Contains("bin/win-arm64/credential-process.exe", windows);
        foreach (var file in windows) AssertAuthenticode(Path.Combine(output, file), trustedCertificate);
        AssertMsiCarriesSignedHelper(output, "installers/claude-code-with-bedrock-1.0.0-win-x64.msi", trustedCertificate);

        // Each deb's detached signature.
        var debs = files.Where(f => f.StartsWith("installers/", StringComparison.Ordinal) && f.EndsWith(".deb", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, debs.Count);
        foreach (var deb in debs)
        {
            var verify = Run.Tool("gpg", ["--homedir", gnupgHome, "--verify", Path.Combine(output, deb + ".asc"), Path.Combine(output, deb)]);
            Assert.True(verify.ExitCode == 0, $"{deb}: {verify}");
        }

        AssertAptRepository(Path.Combine(output, AptRepository.Folder), debs.Select(d => Path.Combine(output, d)));
        AssertManifestMatchesFolder(output, manifest, files);
    }

    private static void AssertAuthenticode(string file, string trustedCertificate)
    {
        var verify = Run.Tool("osslsigncode", ["verify", "-CAfile", trustedCertificate, "-in", file]);
        Assert.True(verify.ExitCode == 0, $"{file}: {verify}");
    }

    /// <summary>The MSI was rebuilt around the signed binaries: every .exe it installs verifies too.</summary>
    private static void AssertMsiCarriesSignedHelper(string output, string msi, string trustedCertificate)
    {
        using var extracted = new TempDirectory("ccwb-msiextract");
        var result = Run.Tool("msiextract", ["-C", extracted.Path, Path.Combine(output, msi)]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var executables = Directory.GetFiles(extracted.Path, "*.exe", SearchOption.AllDirectories);
        Assert.Contains(executables, e => Path.GetFileName(e) == "credential-process.exe");
        foreach (var executable in executables) AssertAuthenticode(executable, trustedCertificate);
    }

    /// <summary>
    /// gpgv with nothing but the repository's own archive-key.asc checks both Release signatures; Release's hashes
    /// match its index files; then the real apt-get accepts the repository and fetches every deb with matching bytes.
    /// </summary>
    private static void AssertAptRepository(string apt, IEnumerable<string> debs)
    {
        using var scratch = new TempDirectory("ccwb-gpgv");
        var keyring = scratch.Combine("archive-keyring.gpg");
        Run.Checked("gpg", "--homedir", scratch.Path, "--batch", "--dearmor", "--output", keyring, Path.Combine(apt, AptRepository.PublicKeyFile));
        Run.Checked("gpgv", "--keyring", keyring, Path.Combine(apt, "InRelease"));
        Run.Checked("gpgv", "--keyring", keyring, Path.Combine(apt, "Release.gpg"), Path.Combine(apt, "Release"));

        var listed = AptIndex.Sha256Entries(File.ReadAllText(Path.Combine(apt, "Release")));
        Assert.Equal(["Packages", "Packages.gz"], listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (sha256, size)) in listed)
        {
            Assert.Equal(ManifestBuilder.Sha256Of(Path.Combine(apt, name)), sha256);
            Assert.Equal(new FileInfo(Path.Combine(apt, name)).Length, size);
        }

        using var client = new AptClient(apt, Path.Combine(apt, AptRepository.PublicKeyFile));
        var update = client.Update();
        Assert.True(update.ExitCode == 0, update.ToString());
        foreach (var deb in debs)
        {
            var arch = Path.GetFileNameWithoutExtension(deb).Split('_')[^1];
            var downloaded = client.Download($"{ReleaseRequest.PackageName}:{arch}");
            Assert.Equal(ManifestBuilder.Sha256Of(deb), ManifestBuilder.Sha256Of(downloaded));
        }
    }

    /// <summary>manifest.json lists exactly the release's files, with their hashes after signing and what is signed.</summary>
    private static void AssertManifestMatchesFolder(string output, ReleaseManifest manifest, IReadOnlyList<string> files)
    {
        Assert.Equal(files, manifest.Artifacts.Select(a => a.Path).Order(StringComparer.Ordinal));
        foreach (var artifact in manifest.Artifacts)
        {
            var file = Path.Combine(output, artifact.Path);
            Assert.True(ManifestBuilder.Sha256Of(file) == artifact.Sha256, $"{artifact.Path}: manifest hash is not the file's");
            Assert.Equal(new FileInfo(file).Length, artifact.Size);
            // Windows programs are signed wherever they sit: bin/<rid>/ and their copies in the package folder.
            var mustBeSigned = artifact.Type is ArtifactTypes.Msi or ArtifactTypes.Deb or ArtifactTypes.Signature ||
                               artifact.Type is ArtifactTypes.Binary or ArtifactTypes.ProfileFile && artifact.Rid?.StartsWith("win-", StringComparison.Ordinal) == true;
            Assert.True(mustBeSigned == artifact.IsSigned, $"{artifact.Path}: is_signed is {artifact.IsSigned}");
        }
        Assert.Contains(manifest.Artifacts, a => a.Path == "apt/InRelease" && a.Type == ArtifactTypes.AptRepository);
    }

    /// <summary>The release's files, relative and sorted: everything but manifest.json itself and the build state in obj/.</summary>
    private static List<string> ReleaseFiles(string output) =>
        [.. Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, f).Replace('\\', '/'))
            .Where(f => f != ManifestJson.FileName && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}

/// <summary>Every file and folder under a folder with its SHA-256: what "left exactly as it was" is compared against.</summary>
internal static class FolderState
{
    public static SortedDictionary<string, string> Of(string directory) =>
        new(Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).ToDictionary(
            e => Path.GetRelativePath(directory, e),
            e => Directory.Exists(e) ? "folder" : ManifestBuilder.Sha256Of(e)), StringComparer.Ordinal);
}

/// <summary>A CA and a code-signing leaf it issued (openssl): the PEM chain case, leaf first as osslsigncode expects.</summary>
internal sealed class CertificateChain : IDisposable
{
    private readonly TempDirectory _directory = new("ccwb-chain");

    public CertificateChain()
    {
        CaCertificate = _directory.Combine("ca.pem");
        LeafKey = _directory.Combine("leaf-key.pem");
        LeafAndCa = _directory.Combine("leaf-and-ca.pem");
        var caKey = _directory.Combine("ca-key.pem");
        var request = _directory.Combine("leaf.csr");
        var leaf = _directory.Combine("leaf.pem");
        var extensions = _directory.Combine("leaf.ext");
        File.WriteAllText(extensions, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=codeSigning\n");
        Run.Checked("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Release Test Root CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout", caKey, "-out", CaCertificate);
        Run.Checked("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Release Test Code Signing", "-keyout", LeafKey, "-out", request);
        Run.Checked("openssl", "x509", "-req", "-in", request, "-CA", CaCertificate, "-CAkey", caKey, "-CAcreateserial", "-days", "2",
            "-extfile", extensions, "-out", leaf);
        File.WriteAllText(LeafAndCa, File.ReadAllText(leaf) + File.ReadAllText(CaCertificate));
    }

    public string CaCertificate { get; }
    public string LeafKey { get; }
    public string LeafAndCa { get; }

    public void Dispose() => _directory.Dispose();
}

/// <summary>
/// A GnuPG home whose signing key has a passphrase. gpg-agent allows presetting it, as a CI job does with
/// gpg-preset-passphrase before signing; until then the key cannot sign in batch mode.
/// </summary>
internal sealed class PassphraseGpgHome : IDisposable
{
    public const string Uid = "Release Passphrase Test <passphrase@example.com>";
    private const string Passphrase = "apt repository passphrase";
    private readonly TempDirectory _directory = new("ccwb-gpg-passphrase");

    public PassphraseGpgHome()
    {
        Path = _directory.Combine("gnupg");
        Directory.CreateDirectory(Path);
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(System.IO.Path.Combine(Path, "gpg-agent.conf"), "allow-preset-passphrase\n");
        Run.Checked("gpg", "--homedir", Path, "--batch", "--pinentry-mode", "loopback", "--passphrase", Passphrase,
            "--quick-gen-key", Uid, "rsa2048", "sign", "never");
    }

    public string Path { get; }

    /// <summary>Puts the passphrase into gpg-agent's cache for the key's keygrip.</summary>
    public void PresetPassphrase()
    {
        var listing = Run.Checked("gpg", "--homedir", Path, "--with-colons", "--with-keygrip", "--list-secret-keys", Uid).Output;
        var keygrip = listing.Split('\n').First(l => l.StartsWith("grp:", StringComparison.Ordinal)).Split(':')[9];
        Run.Checked("gpg-connect-agent", "--homedir", Path, "/bye");
        var preset = Run.Tool("/usr/lib/gnupg/gpg-preset-passphrase", ["--preset", keygrip], standardInput: Passphrase,
            environment: new Dictionary<string, string?> { ["GNUPGHOME"] = Path });
        Assert.True(preset.ExitCode == 0, preset.ToString());
    }

    public void Dispose()
    {
        Run.Tool("gpgconf", ["--homedir", Path, "--kill", "all"]);
        _directory.Dispose();
    }
}
