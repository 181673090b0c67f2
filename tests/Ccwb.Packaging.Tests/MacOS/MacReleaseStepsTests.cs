using Ccwb.Packaging.Manifest;
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
        }
        return ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = _output.Path,
            Version = "2.0.0",
            Commit = "0123456789ab",
            ProfileName = "example",
            DefaultRegion = "us-west-2",
            Binaries = [.. rids.Select(r => new PlannedBinary(r, BinaryKinds.SingleFile, $"bin/{r}/credential-process", null))],
            WriteProfileFiles = dir =>
            {
                File.WriteAllText(Path.Combine(dir, "install.sh"), "#!/bin/bash\n");
                File.WriteAllText(Path.Combine(dir, "config.json"), """{"ClaudeCode":{"aws_region":"eu-central-1"}}""");
                return ["install.sh", "config.json"];
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
        Assert.Equal(["config.json", "credential-process-macos-arm64", "credential-process-macos-intel", "install.sh"], listing);
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
}
