using System.Text;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>manifest.json after a real ./build.sh Package for all six RIDs.</summary>
public class ManifestTests(PackageFixture package)
{
    [Fact]
    public void Every_requested_rid_is_recorded_with_the_kind_of_build_it_got()
    {
        var kinds = package.Manifest.Binaries.ToDictionary(b => b.Rid, b => b.Kind);
        Assert.Equal(["linux-arm64", "linux-x64", "osx-arm64", "osx-x64", "win-arm64", "win-x64"], kinds.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(BinaryKinds.Aot, kinds["linux-x64"]);
        Assert.Equal(BinaryKinds.Aot, kinds["linux-arm64"]);
        Assert.Equal(BinaryKinds.SingleFile, kinds["win-x64"]);
        Assert.Equal(BinaryKinds.SingleFile, kinds["osx-x64"]);
        Assert.Equal(BinaryKinds.SingleFile, kinds["osx-arm64"]);
        // win-arm64 runtime packs are not served here: the honest fallback is the x64 binary under emulation, saying so.
        var winArm = package.Manifest.Binaries.Single(b => b.Rid == "win-arm64");
        Assert.Equal(BinaryKinds.X64Emulation, winArm.Kind);
        Assert.Contains("x64 emulation", winArm.Note, StringComparison.Ordinal);
        Assert.Equal(ManifestBuilder.Sha256Of(package.PathOf("bin/win-x64/credential-process.exe")),
                     ManifestBuilder.Sha256Of(package.PathOf(winArm.Path!)));
    }

    [Fact]
    public void Every_file_in_the_output_folder_is_listed_with_its_real_size_and_sha256()
    {
        var listed = package.Manifest.Artifacts.ToDictionary(a => a.Path);
        var onDisk = Directory.EnumerateFiles(package.OutputDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(package.OutputDirectory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && f != ManifestJson.FileName)
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, listed.Keys.Order(StringComparer.Ordinal));
        foreach (var artifact in package.Manifest.Artifacts)
        {
            Assert.Equal(new FileInfo(package.PathOf(artifact.Path)).Length, artifact.Size);
            Assert.Equal(ManifestBuilder.Sha256Of(package.PathOf(artifact.Path)), artifact.Sha256);
        }
    }

    [Fact]
    public void Artifacts_are_sorted_and_the_manifest_round_trips_byte_for_byte()
    {
        var paths = package.Manifest.Artifacts.Select(a => a.Path).ToList();
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
        var text = File.ReadAllText(package.PathOf(ManifestJson.FileName));
        Assert.Equal(text, ManifestJson.Serialize(package.Manifest));
        Assert.Equal(PackageFixture.Version, package.Manifest.Version);
        Assert.Matches("^[0-9a-f]{12}$", package.Manifest.Commit);
    }

    [Fact]
    public void Installers_and_binaries_listed_per_rid()
    {
        // Paths, types, RIDs and kinds; sizes and hashes vary with the helper's code and are checked above.
        var text = new StringBuilder();
        foreach (var a in package.Manifest.Artifacts.Where(a => a.Type is ArtifactTypes.Binary or ArtifactTypes.Msi or ArtifactTypes.Deb or ArtifactTypes.Pkg or ArtifactTypes.Zip))
            text.Append(a.Type).Append(' ').Append(a.Path).Append(' ').Append(a.Rid).Append(' ').Append(a.Kind ?? "-").Append('\n');
        Snapshot.Verify(text.ToString(), "txt");
    }

    [Fact]
    public void The_ccwb_tool_package_is_written_and_listed_as_a_dotnet_tool_package()
    {
        var tool = Assert.Single(package.Manifest.Artifacts, a => a.Type == ArtifactTypes.Tool);
        Assert.Equal($"tool/ccwb.{PackageFixture.Version}.nupkg", tool.Path);
        using var nupkg = System.IO.Compression.ZipFile.OpenRead(package.PathOf(tool.Path));
        var entries = nupkg.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);
        Assert.Contains("tools/net10.0/any/ccwb.dll", entries);
    }

    [Fact]
    public void Binaries_print_the_stamped_version_and_commit()
    {
        var result = Run.Checked(package.PathOf("bin/linux-x64/credential-process"), "--version");
        Assert.Equal($"credential-process {PackageFixture.Version} ({package.Manifest.Commit})", result.Output.Trim());
    }

    [Theory]
    [InlineData("bin/win-x64/credential-process.exe")]
    [InlineData("bin/win-arm64/credential-process.exe")]
    public void Windows_binaries_carry_a_version_resource_with_version_and_commit(string path)
    {
        var strings = PeVersionResource.Strings(package.PathOf(path));
        Assert.Equal("1.0.0.0", strings["FileVersion"]);
        Assert.Equal($"{PackageFixture.Version}+{package.Manifest.Commit}", strings["ProductVersion"]);
        Assert.Equal("credential-process", strings["FileDescription"]);
        Assert.Equal("Claude Code on Bedrock toolkit", strings["CompanyName"]);
    }

    [Fact]
    public void Linux_arm64_binary_is_native_arm64_and_runs_under_qemu()
    {
        var binary = package.PathOf("bin/linux-arm64/credential-process");
        var header = File.ReadAllBytes(binary).AsSpan(0, 20).ToArray();
        Assert.Equal(0xB7, header[18]); // ELF e_machine = EM_AARCH64
        var result = Run.Checked("qemu-aarch64-static", "-L", "/", binary, "--version");
        Assert.Equal($"credential-process {PackageFixture.Version} ({package.Manifest.Commit})", result.Output.Trim());
    }

    // build.sh runs against the shared output stay in this class, so that they never overlap.
    [Fact]
    public void Sign_target_without_keys_prints_the_skip_line()
    {
        var result = Run.Tool(Repo.PathOf("build.sh"),
            ["Sign", "--skip-prerequisites", "--output", package.OutputDirectory, "--version", PackageFixture.Version],
            workingDirectory: Repo.Root, environment: package.Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Output.Split('\n'), l => l.Trim() == Signing.ReleaseSigner.SkipMessage);
    }

    [Fact]
    public void Second_package_run_with_nothing_changed_skips_the_work()
    {
        var result = Run.Tool(Repo.PathOf("build.sh"),
            ["Package", "--skip-prerequisites", "--output", package.OutputDirectory, "--version", PackageFixture.Version, "--verbosity", "normal"],
            workingDirectory: Repo.Root, environment: package.Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Skipping target \"_PackageIfChanged\" because all output files are up-to-date", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Generating native code", result.Output, StringComparison.Ordinal);
    }
}

/// <summary>
/// The string table of our VS_VERSION_INFO inside a PE file's .rsrc section (the one naming credential-process; a
/// single-file host also carries the .NET runtime's own).
/// </summary>
internal static class PeVersionResource
{
    public static Dictionary<string, string> Strings(string file)
    {
        var data = File.ReadAllBytes(file);
        var pe = BitConverter.ToInt32(data, 0x3C);
        int sections = BitConverter.ToUInt16(data, pe + 6), optional = BitConverter.ToUInt16(data, pe + 20);
        for (var i = 0; i < sections; i++)
        {
            var header = pe + 24 + optional + 40 * i;
            if (Encoding.ASCII.GetString(data, header, 8).TrimEnd('\0') != ".rsrc") continue;
            var size = BitConverter.ToInt32(data, header + 16);
            var start = BitConverter.ToInt32(data, header + 20);
            var text = Encoding.Unicode.GetString(data, start, size - size % 2);
            foreach (var block in text.Split("VS_VERSION_INFO").Skip(1))
            {
                var words = block.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimStart((char)1)).ToList();
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var key in new[] { "CompanyName", "FileDescription", "FileVersion", "ProductVersion", "ProductName" })
                {
                    var at = words.FindIndex(w => w.EndsWith(key, StringComparison.Ordinal));
                    if (at >= 0 && at + 1 < words.Count) values[key] = words[at + 1];
                }
                if (values.GetValueOrDefault("FileDescription") == "credential-process") return values;
            }
        }
        throw new Xunit.Sdk.XunitException($"{file}: no version resource naming credential-process in .rsrc");
    }
}
