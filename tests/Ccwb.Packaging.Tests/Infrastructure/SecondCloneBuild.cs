using Ccwb.Packaging.Manifest;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>
/// The same commit packaged a second time the way another machine would: from a second clone at another path, into
/// an output folder outside it, with the same version, commit and SOURCE_DATE_EPOCH as <see cref="PackageFixture"/>.
/// Shared, to keep CI short, without hiding a leak:
///   the NuGet package cache, reached through a symbolic link at another path (NUGET_PACKAGES), so the downloads are
///   shared but a cache path that reached a binary would still differ;
///   tests/peers/node_modules (test peers only, nothing a build reads).
/// Also different: the time zone, locale and user name.
/// Not shared: the clone (git clone --local: its own working tree and .git, another remote), every obj/ and bin/
/// folder, the build task assembly, and the output folder (the fixture's lies inside its repository, this one outside
/// its clone, so both PathMap rules of Directory.Build.props are exercised). Uncommitted changes of the first clone are
/// carried over, so that a run by hand before a commit compares the same sources.
/// </summary>
public sealed class SecondCloneBuild : IDisposable
{
    private readonly TempDirectory _directory = new("ccwb-second-clone");
    private readonly Dictionary<string, string?> _environment;

    public SecondCloneBuild()
    {
        Clone = _directory.Combine("clone");
        OutputDirectory = _directory.Combine("release");
        var head = Run.Checked("git", "-C", Repo.Root, "rev-parse", "HEAD").Output.Trim();
        Run.Checked("git", "clone", "--quiet", "--local", "--no-checkout", Repo.Root, Clone);
        Run.Checked("git", "-C", Clone, "checkout", "--quiet", "--detach", head);
        CarryOverUncommittedChanges();
        if (Directory.Exists(Repo.PathOf("tests", "peers", "node_modules")))
            Directory.CreateSymbolicLink(Path.Combine(Clone, "tests", "peers", "node_modules"), Repo.PathOf("tests", "peers", "node_modules"));

        var packages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Directory.CreateDirectory(packages);
        Directory.CreateSymbolicLink(_directory.Combine("nuget-packages"), packages);
        _environment = new Dictionary<string, string?>(PackageFixture.BuildEnvironment())
        {
            ["NUGET_PACKAGES"] = _directory.Combine("nuget-packages"),
            // Another builder's time zone, locale and user name: none may reach an artifact.
            ["TZ"] = "Asia/Kathmandu",
            ["LANG"] = "C.UTF-8",
            ["USER"] = "another-builder",
            ["LOGNAME"] = "another-builder",
        };

        var started = DateTime.UtcNow;
        BuildOutput = BuildScript("Package", "--skip-prerequisites", "--output", OutputDirectory, "--version", PackageFixture.Version);
        Duration = DateTime.UtcNow - started;
        if (BuildOutput.ExitCode != 0) throw new InvalidOperationException("./build.sh Package in the second clone failed: " + BuildOutput);
        Manifest = ManifestJson.Read(Path.Combine(OutputDirectory, ManifestJson.FileName));
    }

    public string Clone { get; }
    public string OutputDirectory { get; }
    public Run.Result BuildOutput { get; }
    public TimeSpan Duration { get; }
    public ReleaseManifest Manifest { get; }

    /// <summary>Runs the second clone's build.sh with the fixture's environment and the linked package cache.</summary>
    public Run.Result BuildScript(params string[] arguments) =>
        Run.Tool(Path.Combine(Clone, "build.sh"), arguments, workingDirectory: Clone, environment: _environment, timeoutSeconds: 3000);

    private void CarryOverUncommittedChanges()
    {
        var diff = Run.Checked("git", "-C", Repo.Root, "diff", "HEAD", "--binary").Output;
        if (diff.Length > 0)
        {
            var patch = _directory.Combine("uncommitted.patch");
            File.WriteAllText(patch, diff);
            Run.Checked("git", "-C", Clone, "apply", "--whitespace=nowarn", patch);
        }
        var untracked = Run.Checked("git", "-C", Repo.Root, "ls-files", "--others", "--exclude-standard").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in untracked)
        {
            var target = Path.Combine(Clone, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Repo.PathOf(file), target, overwrite: true);
        }
    }

    public void Dispose() => _directory.Dispose();
}
