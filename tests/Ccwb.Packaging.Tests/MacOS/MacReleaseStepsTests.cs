using Ccwb.Contract.Install;
using Ccwb.Packaging.Deb;
using Ccwb.Packaging.MacOS;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Signing;
using Ccwb.Profiles;
using Ccwb.Rendering;
using Ccwb.Rendering.ClaudeCode;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>The release steps as ReleasePackager.Run calls them, with stand-in macOS binaries (no MSI or deb in the request).</summary>
public sealed class MacReleaseStepsTests : IDisposable
{
    private readonly TempDirectory _output = new("ccwb-macsteps");

    public void Dispose() => _output.Dispose();

    private ReleaseManifest Package(params string[] rids)
    {
        foreach (var rid in rids)
        {
            Directory.CreateDirectory(_output.Combine("bin", rid));
            File.WriteAllText(_output.Combine("bin", rid, "credential-process"), rid + " build\n");
            File.WriteAllText(_output.Combine("bin", rid, "credential-process-full"), rid + " full build\n");
            File.WriteAllText(_output.Combine("bin", rid, "otel-helper"), rid + " otel build\n");
            File.WriteAllText(_output.Combine("bin", rid, "otel-helper-full"), rid + " otel full build\n");
        }
        return ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = _output.Path,
            Version = "2.0.0",
            Commit = "0123456789ab",
            ProfileName = "example",
            Binaries = [.. rids.Select(r => new PlannedBinary(r, BinaryKinds.SingleFile, $"bin/{r}/credential-process", null))],
            WriteProfileFiles = dir =>
            {
                File.WriteAllText(Path.Combine(dir, "install.sh"), "#!/bin/bash\n");
                File.WriteAllText(Path.Combine(dir, "config.json"), """{"ClaudeCode":{"aws_region":"eu-central-1"}}""");
                return new RenderedProfile(["install.sh", "config.json"], [new AwsProfile("ClaudeCode", "eu-central-1")]) { ConfigJson = "config.json" };
            },
            WriteCloudFormation = _ => [],
            InstallersDirectory = Repo.PathOf("installers"),
            SourceDateEpoch = 1_700_000_000,
        });
    }

    [Fact]
    public void Package_writes_the_pkg_and_the_zip_and_lists_them_in_the_manifest()
    {
        var manifest = Package("osx-arm64", "osx-x64");
        Assert.Equal(["installers/claude-code-package.zip", "installers/claude-code-with-bedrock-2.0.0.pkg"],
            manifest.Artifacts.Where(a => a.Type is ArtifactTypes.Pkg or ArtifactTypes.Zip).Select(a => a.Path).Order(StringComparer.Ordinal));
        var listing = Run.Checked("unzip", "-Z1", _output.Combine("installers", "claude-code-package.zip")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["config.json", "credential-process-full-macos-arm64", "credential-process-full-macos-intel",
            "credential-process-macos-arm64", "credential-process-macos-intel", "install.sh",
            "otel-helper-full-macos-arm64", "otel-helper-full-macos-intel", "otel-helper-macos-arm64", "otel-helper-macos-intel"], listing);
        Assert.Equal(0, Run.Tool("bsdtar", ["-tf", _output.Combine("installers", "claude-code-with-bedrock-2.0.0.pkg")]).ExitCode);
        Assert.Empty(Directory.EnumerateDirectories(_output.Path, ".staging-*"));
    }

    [Fact]
    public void Without_both_macos_builds_there_is_no_pkg_but_still_the_zip()
    {
        var manifest = Package("osx-arm64");
        Assert.DoesNotContain(manifest.Artifacts, a => a.Type == ArtifactTypes.Pkg);
        Assert.Contains(manifest.Artifacts, a => a.Type == ArtifactTypes.Zip);
    }

    [Fact]
    public void Sign_signs_the_pkg_with_a_pem_installer_identity_and_a_second_pass_leaves_it_as_it_is()
    {
        Package("osx-arm64", "osx-x64");
        var key = _output.Combine("..", Path.GetFileName(_output.Path) + "-key.pem");
        var certificate = _output.Combine("..", Path.GetFileName(_output.Path) + "-cert.pem");
        Run.Checked("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Developer ID Installer: Example Corp (TEST123456)", "-keyout", key, "-out", certificate);
        try
        {
            var options = new SigningOptions { PkgCertificateFile = certificate, PkgKeyFile = key, RepositoryDate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) };
            var log = new List<string>();
            var result = ReleaseSigner.Sign(_output.Path, options, log.Add);
            var pkg = _output.Combine("installers", "claude-code-with-bedrock-2.0.0.pkg");
            PkgSigner.Verify(pkg);
            var entry = result.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Pkg);
            Assert.True(entry.IsSigned);
            Assert.Equal(entry.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(pkg))));

            var before = File.ReadAllBytes(pkg);
            ReleaseSigner.Sign(_output.Path, options, log.Add);
            Assert.Equal(before, File.ReadAllBytes(pkg));
            Assert.Contains(log, l => l.Contains("is already signed; left as it is", StringComparison.Ordinal));

            // A key that is not the certificate's fails before anything changes.
            Run.Checked("openssl", "genrsa", "-out", key, "2048");
            var error = Assert.Throws<PackagingException>(() => ReleaseSigner.Sign(_output.Path, options, log.Add));
            Assert.Contains("--pkg-sign-key", error.Message);
            Assert.Equal(before, File.ReadAllBytes(pkg));
        }
        finally
        {
            File.Delete(key);
            File.Delete(certificate);
        }
    }

    public static TheoryData<string> ExampleProfileNames =>
        [.. Directory.GetFiles(Repo.PathOf("profiles", "examples"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Package writes the pkg and the zip for every example profile: the release steps over the profile's rendered
    /// files and stand-in builds of every platform. The pkg installs that profile's config.json and managed settings;
    /// the zip holds its files and every platform's programs, install.bat only where the profile has one.
    /// </summary>
    [Theory, MemberData(nameof(ExampleProfileNames))]
    public void Every_example_profile_gets_a_pkg_and_a_zip(string name)
    {
        var loaded = ProfileLoader.LoadFile(Repo.PathOf("profiles", "examples", name + ".json"));
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Messages));
        var profile = loaded.Profile!;
        // Stand-ins for the platforms whose builds are taken as they are (Linux builds are read as ELF files for the manifest).
        string[] rids = ["osx-arm64", "osx-x64", "win-x64"];
        foreach (var rid in rids)
        {
            Directory.CreateDirectory(_output.Combine("bin", rid));
            foreach (var program in PackageFolder.Programs)
                File.WriteAllText(_output.Combine("bin", rid, program + (rid.StartsWith("win", StringComparison.Ordinal) ? ".exe" : "")), $"{rid} {program}\n");
        }
        IReadOnlyList<string> rendered = [];

        var manifest = ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = _output.Path,
            Version = "2.0.0",
            Commit = "0123456789ab",
            ProfileName = profile.Name,
            Binaries = [.. rids.Select(r => new PlannedBinary(r, BinaryKinds.SingleFile, $"bin/{r}/credential-process" + (r.StartsWith("win", StringComparison.Ordinal) ? ".exe" : ""), null))],
            WriteProfileFiles = dir =>
            {
                rendered = ProfileArtifacts.Write(profile, dir);
                string? Written(string relative) => rendered.Contains(relative) ? relative : null;
                return new RenderedProfile(rendered, [.. ConfigJsonBuilder.AwsProfiles(profile).Select(p => new AwsProfile(p.Name, p.Region))])
                {
                    ConfigJson = Written(PackageFiles.ConfigJson),
                    Settings = Written(PackageFiles.SettingsPath(profile)),
                    CoworkMobileconfig = Written(CoworkFiles.Mobileconfig),
                    CoworkCredentialHelper = Written(CoworkFiles.HelperSh),
                };
            },
            WriteCloudFormation = _ => [],
            InstallersDirectory = Repo.PathOf("installers"),
            SourceDateEpoch = 1_700_000_000,
        });

        Assert.Equal(["installers/claude-code-package.zip", "installers/claude-code-with-bedrock-2.0.0.pkg"],
            manifest.Artifacts.Where(a => a.Type is ArtifactTypes.Pkg or ArtifactTypes.Zip).Select(a => a.Path).Order(StringComparer.Ordinal));
        var zip = Run.Checked("unzip", "-Z1", _output.Combine("installers", "claude-code-package.zip")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = rendered.Select(f => f.Replace('\\', '/'))
            .Concat(rids.SelectMany(rid => PackageFolder.Programs.Select(program => PackageFolder.BinaryName(program, rid))).OfType<string>())
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, zip.Where(e => !e.EndsWith('/')).Order(StringComparer.Ordinal));
        Assert.Equal(rendered.Contains("install.bat"), !ProfileFacts.IsIdcZeroBinary(profile));

        var parts = _output.Combine("pkg-parts");
        Directory.CreateDirectory(parts);
        Run.Checked("bsdtar", "-xf", _output.Combine("installers", "claude-code-with-bedrock-2.0.0.pkg"), "-C", parts);
        var root = _output.Combine("pkg-root");
        Directory.CreateDirectory(root);
        var payload = Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload");
        Assert.Equal(0, Run.Tool("/bin/sh", ["-c", $"gzip -dc '{payload}' | (cd '{root}' && cpio -idm --quiet --no-preserve-owner)"]).ExitCode);
        Assert.Equal(File.ReadAllBytes(_output.Combine("package", PackageFiles.ConfigJson)),
            File.ReadAllBytes(Path.Combine(root, "usr/local/lib/claude-code-with-bedrock/config.json")));
        Assert.True(File.Exists(Path.Combine(root, "Library/Application Support/ClaudeCode/managed-settings.json")));
    }
}
