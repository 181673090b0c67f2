using System.Globalization;
using System.IO.Compression;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Signing;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// The signed apt repository: its index is reproducible from the debs and SOURCE_DATE_EPOCH, the real apt-get accepts
/// it, and apt-get refuses it once its signed Release or its Packages index is changed.
/// </summary>
public sealed class AptRepositoryTests(PackageFixture package) : IDisposable
{
    /// <summary>The fixture's SOURCE_DATE_EPOCH: 2023-11-14 22:13:20 UTC.</summary>
    private static readonly DateTimeOffset SourceDate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private readonly TestKeys _keys = new();
    private readonly TempDirectory _temp = new("ccwb-apt-repository");

    private SigningOptions GpgOnly => new() { GpgKey = TestKeys.GpgUid, GpgHomeDirectory = _keys.GnupgHome, RepositoryDate = SourceDate };

    [Fact]
    public void Release_date_comes_from_SOURCE_DATE_EPOCH_so_two_repository_builds_from_the_same_debs_are_byte_identical_upstream_dated_it_now()
    {
        var first = SignDebsInto("first");
        var second = SignDebsInto("second");

        var index = new[] { "Packages", "Packages.gz", "Release", AptRepository.PublicKeyFile }
            .Concat(Debs.Select(d => Path.GetFileName(d))).Order(StringComparer.Ordinal).ToList();
        foreach (var name in index)
            Assert.True(File.ReadAllBytes(Path.Combine(first, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, name))),
                $"{name} differs between two builds from the same debs");
        Assert.Contains("Date: Tue, 14 Nov 2023 22:13:20 UTC\n", File.ReadAllText(Path.Combine(first, "Release")), StringComparison.Ordinal);

        // The signatures are not reproducible (an OpenPGP signature carries its creation time), but each signs the
        // same, reproducible Release.
        var signer = new GpgSigner(TestKeys.GpgUid, _keys.GnupgHome);
        Assert.True(signer.HasValidInlineSignature(Path.Combine(first, "InRelease"), Path.Combine(second, "Release")));
        Assert.True(signer.HasValidInlineSignature(Path.Combine(second, "InRelease"), Path.Combine(first, "Release")));
        Assert.True(signer.HasValidSignature(Path.Combine(second, "Release.gpg"), Path.Combine(first, "Release")));
    }

    [Fact]
    public void Apt_get_accepts_the_repository_and_downloads_from_it_the_very_debs_that_were_built()
    {
        var apt = SignDebsInto("repo");
        using var client = new AptClient(apt, Path.Combine(apt, AptRepository.PublicKeyFile));

        var update = client.Update();
        Assert.True(update.ExitCode == 0, update.ToString());
        var policy = client.Policy(ReleaseRequest.PackageName);
        Assert.Contains($"Candidate: {PackageFixture.Version}", policy.Output, StringComparison.Ordinal);
        foreach (var deb in Debs)
        {
            var arch = Path.GetFileNameWithoutExtension(deb).Split('_')[^1];
            Assert.Equal(ManifestBuilder.Sha256Of(deb), ManifestBuilder.Sha256Of(client.Download($"{ReleaseRequest.PackageName}:{arch}")));
        }
    }

    [Theory]
    [InlineData("InRelease", "BADSIG")]
    [InlineData("Packages", "Hash Sum mismatch")]
    public void Apt_get_refuses_the_repository_once_a_signed_file_is_changed(string changed, string complaint)
    {
        var apt = SignDebsInto("repo");
        if (changed == "InRelease")
        {
            var inRelease = Path.Combine(apt, "InRelease");
            File.WriteAllText(inRelease, File.ReadAllText(inRelease).Replace("Suite: stable", "Suite: unstable", StringComparison.Ordinal));
        }
        else
        {
            // A changed Packages (and the Packages.gz apt actually fetches) no longer matches the hashes in Release.
            var packages = Path.Combine(apt, "Packages");
            File.WriteAllText(packages, File.ReadAllText(packages).Replace($"Version: {PackageFixture.Version}", "Version: 9.9.9", StringComparison.Ordinal));
            using var gz = new GZipStream(File.Create(packages + ".gz"), CompressionLevel.SmallestSize);
            gz.Write(File.ReadAllBytes(packages));
        }
        using var client = new AptClient(apt, Path.Combine(apt, AptRepository.PublicKeyFile));

        var update = client.Update();

        Assert.NotEqual(0, update.ExitCode);
        Assert.Contains(complaint, update.Output + update.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Candidate: 9.9.9", client.Policy(ReleaseRequest.PackageName).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_lists_sha256_and_size_of_each_index_file_and_Packages_the_hash_of_each_deb()
    {
        var apt = SignDebsInto("repo");
        var listed = AptIndex.Sha256Entries(File.ReadAllText(Path.Combine(apt, "Release")));
        Assert.Equal(["Packages", "Packages.gz"], listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (sha256, size)) in listed)
            Assert.Equal((ManifestBuilder.Sha256Of(Path.Combine(apt, name)), new FileInfo(Path.Combine(apt, name)).Length), (sha256, size));
        var packages = File.ReadAllText(Path.Combine(apt, "Packages"));
        foreach (var deb in Debs)
            Assert.Contains($"Filename: ./{Path.GetFileName(deb)}\n", packages, StringComparison.Ordinal);
        foreach (var deb in Debs)
            Assert.Contains($"SHA256: {ManifestBuilder.Sha256Of(deb)}\n", packages, StringComparison.Ordinal);
    }

    private List<string> Debs =>
        [.. package.Manifest.Artifacts.Where(a => a.Type == ArtifactTypes.Deb).Select(a => package.PathOf(a.Path))];

    /// <summary>The fixture's debs, with a manifest listing only them, signed by <see cref="ReleaseSigner"/>; returns the apt/ folder.</summary>
    private string SignDebsInto(string name)
    {
        var output = _temp.Combine(name);
        var manifest = package.Manifest with { Artifacts = [.. package.Manifest.Artifacts.Where(a => a.Type == ArtifactTypes.Deb)] };
        foreach (var deb in manifest.Artifacts)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output, deb.Path))!);
            File.Copy(package.PathOf(deb.Path), Path.Combine(output, deb.Path));
        }
        ManifestJson.Write(manifest, Path.Combine(output, ManifestJson.FileName));
        ReleaseSigner.Sign(output, GpgOnly, _ => { });
        return Path.Combine(output, AptRepository.Folder);
    }

    public void Dispose()
    {
        _temp.Dispose();
        _keys.Dispose();
    }
}

/// <summary>Reads the index a Release file vouches for.</summary>
internal static class AptIndex
{
    /// <summary>The SHA256 section of a Release: file name to (hash, size).</summary>
    public static Dictionary<string, (string Sha256, long Size)> Sha256Entries(string release)
    {
        var entries = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        var inSection = false;
        foreach (var line in release.Split('\n'))
        {
            if (!line.StartsWith(' ')) { inSection = line == "SHA256:"; continue; }
            if (!inSection) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            entries[fields[2]] = (fields[0], long.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        return entries;
    }
}
