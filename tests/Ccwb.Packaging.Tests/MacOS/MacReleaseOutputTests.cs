using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>The pkg and the zip as the real Package run (the shared fixture) writes them.</summary>
public sealed class MacReleaseOutputTests(PackageFixture package) : IDisposable
{
    private readonly TempDirectory _work = new("ccwb-macrelease");

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Package_writes_one_pkg_carrying_each_macos_build_as_published()
    {
        var pkg = package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Pkg);
        Assert.Equal($"installers/claude-code-with-bedrock-{PackageFixture.Version}.pkg", pkg.Path);
        var parts = _work.Combine("parts");
        Directory.CreateDirectory(parts);
        Run.Checked("bsdtar", "-xf", package.PathOf(pkg.Path), "-C", parts);
        var root = _work.Combine("root");
        Directory.CreateDirectory(root);
        var payload = Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload");
        Assert.Equal(0, Run.Tool("/bin/sh", ["-c", $"gzip -dc '{payload}' | (cd '{root}' && cpio -idm --quiet --no-preserve-owner)"]).ExitCode);

        foreach (var (folder, rid, cpuType) in new[] { ("arm64", "osx-arm64", 0x0100000Cu), ("x86_64", "osx-x64", 0x01000007u) })
        {
            var installed = File.ReadAllBytes(Path.Combine(root, "usr/local/lib/claude-code-with-bedrock", folder, "credential-process"));
            Assert.Equal(File.ReadAllBytes(package.PathOf($"bin/{rid}/credential-process")), installed);
            Assert.Equal(0xFEEDFACFu, BinaryPrimitives.ReadUInt32LittleEndian(installed)); // 64-bit Mach-O
            Assert.Equal(cpuType, BinaryPrimitives.ReadUInt32LittleEndian(installed.AsSpan(4)));
        }
        Assert.Equal(File.ReadAllBytes(package.RenderedFile("config.json")),
            File.ReadAllBytes(Path.Combine(root, "usr/local/lib/claude-code-with-bedrock/config.json")));
        var bom = BomReader.ReadPaths(File.ReadAllBytes(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Bom")));
        Assert.Equal(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(root, p)).Append(".").Order(StringComparer.Ordinal),
            bom.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Equal(pkg.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(package.PathOf(pkg.Path)))));
    }

    [Fact]
    public void Zip_lists_every_platforms_helper_under_the_names_install_sh_and_install_bat_use()
    {
        var zipArtifact = package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Zip);
        using var zip = ZipFile.OpenRead(package.PathOf(zipArtifact.Path));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "install.sh", "install.bat", "config.json", "README.md", "credential-process-macos-arm64",
                     "credential-process-macos-intel", "credential-process-linux-x64", "credential-process-linux-arm64", "credential-process-windows.exe" })
            Assert.Contains(expected, names);
        Assert.Contains(names, n => n.StartsWith("claude-settings/", StringComparison.Ordinal));
        foreach (var (entry, rid) in new[] { ("credential-process-linux-x64", "linux-x64"), ("credential-process-windows.exe", "win-x64") })
        {
            using var stream = zip.GetEntry(entry)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var binary = package.Manifest.Binaries.Single(b => b.Rid == rid);
            Assert.Equal(File.ReadAllBytes(package.PathOf(binary.Path!)), copy.ToArray());
        }
    }

    /// <summary>
    /// The zip as a Linux user takes it: unzipped, install.sh run, then the three commands Claude Code and Claude Desktop
    /// run, from caches as a sign-in leaves them.
    /// </summary>
    [Fact]
    public void Zip_installs_with_install_sh_and_the_installed_programs_answer_from_the_cache()
    {
        var unzipped = _work.Combine("unzipped");
        ZipFile.ExtractToDirectory(package.PathOf(package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Zip).Path), unzipped);
        var folder = Directory.GetFiles(unzipped, "install.sh", SearchOption.AllDirectories).Single();
        var home = Directory.CreateDirectory(_work.Combine("home")).FullName;
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home, ["USER"] = "tester", ["SUDO_USER"] = null, ["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin",
            ["CCWB_MANAGED_SETTINGS_DIR"] = _work.Combine("managed"),
        };

        var install = Run.Tool("bash", [folder], Path.GetDirectoryName(folder), environment);

        Assert.True(install.ExitCode == 0, install.ToString());
        var installed = Path.Combine(home, "claude-code-with-bedrock");
        var profile = package.Manifest.Profile;
        CachedCredentials.Seed(home, profile);
        CachedCredentials.AssertPrinted(Run.Tool(Path.Combine(installed, "credential-process"), ["--profile", profile], home, environment));
        CachedCredentials.AssertDesktopToken(Run.Tool(Path.Combine(installed, "credential-process"), ["--desktop", "--profile", profile], home, environment));
        CachedCredentials.SeedOtelHeaders(home, profile);
        CachedCredentials.AssertOtelHeaders(Run.Tool(Path.Combine(installed, "otel-helper"), ["--profile", profile], home, environment));
    }
}
