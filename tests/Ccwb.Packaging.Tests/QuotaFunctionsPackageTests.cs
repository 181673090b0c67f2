using System.IO.Compression;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// A profile that deploys the quota service gets the service's Lambda zips from Package (for ccwb deploy to upload),
/// listed in the manifest; the fixture's profile, which deploys none, gets none. The helper binaries are the
/// fixture's, passed as --prebuilt, so that only the functions are built here.
/// </summary>
public sealed class QuotaFunctionsPackageTests(PackageFixture package) : IDisposable
{
    private readonly TempDirectory _work = new("ccwb-quota-package");

    [Fact]
    public void Package_builds_the_quota_function_zips_for_a_profile_with_quotas_and_lists_them_in_the_manifest()
    {
        var prebuilt = _work.Combine("prebuilt", "bin-linux-x64");
        Directory.CreateDirectory(prebuilt);
        foreach (var program in new[] { "credential-process", "credential-process-full", "otel-helper", "otel-helper-full" })
            File.Copy(package.PathOf($"bin/linux-x64/{program}"), Path.Combine(prebuilt, program));
        var output = _work.Combine("output");

        var result = Run.Tool(Repo.PathOf("build.sh"),
            ["Package", "--skip-prerequisites", "--profile-file", Repo.PathOf("profiles", "examples", "cognito-user-pool.json"),
             "--rid", "linux-x64", "--prebuilt", _work.Combine("prebuilt"), "--output", output, "--version", PackageFixture.Version],
            workingDirectory: Repo.Root, environment: package.Environment, timeoutSeconds: 3000);
        Assert.True(result.ExitCode == 0, result.ToString());

        var manifest = ManifestJson.Read(Path.Combine(output, ManifestJson.FileName));
        var functions = manifest.Artifacts.Where(a => a.Type == ArtifactTypes.Function).ToList();
        Assert.Equal(["functions/quota-check.zip", "functions/usage-monitor.zip"], functions.Select(f => f.Path));
        foreach (var function in functions)
        {
            var zip = Path.Combine(output, function.Path);
            Assert.Equal(ManifestBuilder.Sha256Of(zip), function.Sha256);
            using var archive = ZipFile.OpenRead(zip);
            var entry = Assert.Single(archive.Entries);
            Assert.Equal("bootstrap", entry.FullName);
            // provided.al2023 on Graviton runs an ELF for AArch64 (e_machine 183).
            using var stream = entry.Open();
            var header = new byte[20];
            stream.ReadExactly(header);
            Assert.Equal("\u007fELF", System.Text.Encoding.ASCII.GetString(header, 0, 4));
            Assert.Equal(183, BitConverter.ToUInt16(header, 18));
        }

        // Server code stays out of what users install.
        Assert.DoesNotContain(manifest.Artifacts, a => a.Type == ArtifactTypes.Deb &&
            Run.Checked("dpkg-deb", "-c", Path.Combine(output, a.Path)).Output.Contains("bootstrap", StringComparison.Ordinal));
        Assert.DoesNotContain(package.Manifest.Artifacts, a => a.Type == ArtifactTypes.Function);
    }

    public void Dispose() => _work.Dispose();
}
