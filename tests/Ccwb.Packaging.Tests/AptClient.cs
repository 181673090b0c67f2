using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// The real apt-get and apt-cache, pointed at one flat repository through a throw-away configuration: its own
/// sources list, state, cache and status file, and the repository's key as the only trusted one (signed-by). Nothing
/// of the machine's own apt setup is read or changed.
/// </summary>
public sealed class AptClient : IDisposable
{
    private readonly TempDirectory _root = new("ccwb-apt");

    public AptClient(string repository, string armoredKey)
    {
        foreach (var dir in new[] { "etc/apt.conf.d", "etc/preferences.d", "state/lists/partial", "cache/archives/partial", "downloads" })
            Directory.CreateDirectory(_root.Combine(dir));
        File.WriteAllText(_root.Combine("state", "status"), "");
        File.Copy(armoredKey, _root.Combine("archive-key.asc"));
        File.WriteAllText(_root.Combine("sources.list"), $"deb [signed-by={_root.Combine("archive-key.asc")}] file:{repository} ./\n");
    }

    private string[] Options =>
    [
        "-o", $"Dir::Etc={_root.Combine("etc")}",
        "-o", $"Dir::Etc::SourceList={_root.Combine("sources.list")}",
        "-o", "Dir::Etc::SourceParts=/nonexistent",
        "-o", $"Dir::State={_root.Combine("state")}",
        "-o", $"Dir::State::status={_root.Combine("state", "status")}",
        "-o", $"Dir::Cache={_root.Combine("cache")}",
        "-o", "Debug::NoLocking=1",
        // The files belong to the test's user, so apt's download sandbox user may not read them.
        "-o", "APT::Sandbox::User=root",
        "-o", "APT::Architecture=amd64",
        "-o", "APT::Architectures::=amd64",
        "-o", "APT::Architectures::=arm64",
    ];

    /// <summary>apt-get update that fails on any warning (a bad signature is only a warning otherwise).</summary>
    public Run.Result Update() => Run.Tool("apt-get", [.. Options, "--error-on=any", "update"]);

    public Run.Result Policy(string package) => Run.Tool("apt-cache", [.. Options, "policy", package]);

    /// <summary>Downloads <paramref name="package"/> (name:arch) through apt, which checks its hash against Packages; returns the file.</summary>
    public string Download(string package)
    {
        var downloads = _root.Combine("downloads");
        var result = Run.Tool("apt-get", [.. Options, "download", package], workingDirectory: downloads);
        Assert.True(result.ExitCode == 0, $"apt-get download {package}: {result}");
        var arch = package.Split(':')[1];
        return Assert.Single(Directory.GetFiles(downloads, $"*_{arch}.deb"));
    }

    public void Dispose() => _root.Dispose();
}
