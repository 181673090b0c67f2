using Ccwb.Packaging.Deb;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>Bad input to the packaging: one clear message, a failing exit code, and nothing half-written.</summary>
public sealed class BadInputTests(PackageFixture package) : IDisposable
{
    private readonly TempDirectory _output = new("ccwb-bad");

    [Fact]
    public void Missing_wixl_is_named_with_how_to_install_it_and_nothing_is_written()
    {
        var binary = package.Manifest.Binaries.Single(b => b.Rid == "win-x64");
        CopyPublished(binary);
        var before = Files();

        var error = Assert.Throws<PackagingException>(() => ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = _output.Path,
            Version = "1.0.0",
            Commit = "0123456789ab",
            ProfileName = "example",
            Binaries = [new PlannedBinary("win-x64", binary.Kind, binary.Path!, null)],
            WriteProfileFiles = _ => throw new InvalidOperationException("must not render before the tools are checked"),
            WriteCloudFormation = _ => [],
            InstallersDirectory = Repo.PathOf("installers"),
            SourceDateEpoch = 1_700_000_000,
            WixlPath = "/opt/msitools/bin/wixl",
        }));

        Assert.Equal("wixl not found at /opt/msitools/bin/wixl: install it with 'apt-get install wixl' (Debian/Ubuntu), or run build/install-prerequisites.sh", error.Message);
        Assert.Equal(before, Files());
    }

    [Fact]
    public void A_failure_midway_leaves_the_previous_release_untouched()
    {
        var binary = package.Manifest.Binaries.Single(b => b.Rid == "linux-x64");
        CopyPublished(binary);
        File.WriteAllText(_output.Combine(ManifestJson.FileName), "{\"previous\": true}\n");
        using var emptyInstallers = new TempDirectory("ccwb-no-templates");
        var before = Files();

        var error = Assert.Throws<PackagingException>(() => ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = _output.Path,
            Version = "1.0.0",
            Commit = "0123456789ab",
            ProfileName = "example",
            Binaries = [new PlannedBinary("linux-x64", binary.Kind, binary.Path!, null)],
            WriteProfileFiles = dir =>
            {
                File.WriteAllText(Path.Combine(dir, "config.json"), "{}");
                return new RenderedProfile(["config.json"], [new AwsProfile("example", "us-east-1")]) { ConfigJson = "config.json" };
            },
            WriteCloudFormation = _ => [],
            // The deb templates are missing: the failure comes after rendering, while building the deb.
            InstallersDirectory = emptyInstallers.Path,
            SourceDateEpoch = 1_700_000_000,
        }));

        Assert.StartsWith("Installer template missing: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Files());
    }

    /// <summary>The front and the full helper as Publish leaves them: Package checks both before anything else.</summary>
    private void CopyPublished(BinaryEntry binary)
    {
        Directory.CreateDirectory(_output.Combine("bin", binary.Rid));
        var full = ReleasePackager.FullHelperPath(new PlannedBinary(binary.Rid, binary.Kind, binary.Path!, null));
        foreach (var path in new[] { binary.Path!, full }) File.Copy(package.PathOf(path), _output.Combine(path));
    }

    private SortedDictionary<string, string> Files() =>
        new(Directory.EnumerateFiles(_output.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_output.Path, f), ManifestBuilder.Sha256Of), StringComparer.Ordinal);

    public void Dispose() => _output.Dispose();
}
