using Ccwb.Packaging.Deb;
using Ccwb.Packaging.Manifest;
using Ccwb.Testing;

[assembly: AssemblyFixture(typeof(Ccwb.Packaging.Tests.Infrastructure.PackageFixture))]

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>
/// One real `./build.sh Package` for all six RIDs per test run, shared by every test. It builds into
/// artifacts/test-package/, so a later run on the same machine is incremental (that is the Inputs/Outputs contract
/// of the targets at work). Also builds the next version's installers from the same binaries, for upgrade tests.
/// The build runs when a test first asks for its results, so a run of classes that never do takes seconds.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public const string Version = "1.0.0";
    public const string NextVersion = "1.0.1";

    private readonly Lazy<Built> _built;

    public PackageFixture()
    {
        _outputDirectory = Repo.PathOf("artifacts", "test-package");
        Environment = BuildEnvironment();
        _built = new Lazy<Built>(Build);
    }

    private sealed record Built(Run.Result Output, ReleaseManifest Manifest, TempDirectory NextDirectory, ReleaseManifest NextManifest);

    private Built Build()
    {
        // A clean build of six RIDs takes 15-20 minutes on two cores; a loaded machine has needed more than 25.
        var output = Run.Tool(Repo.PathOf("build.sh"),
            ["Package", "--skip-prerequisites", "--output", _outputDirectory, "--version", Version],
            workingDirectory: Repo.Root, environment: Environment, timeoutSeconds: 3000);
        if (output.ExitCode != 0)
            throw new InvalidOperationException("./build.sh Package failed: " + output);
        var manifest = ManifestJson.Read(Path.Combine(_outputDirectory, ManifestJson.FileName));
        var next = new TempDirectory("ccwb-next");
        return new Built(output, manifest, next, BuildNextVersion(manifest, next.Path));
    }

    private readonly string _outputDirectory;

    /// <summary>The package output; asking for it (or any path in it) runs the build first.</summary>
    public string OutputDirectory
    {
        get
        {
            _ = _built.Value;
            return _outputDirectory;
        }
    }

    private static readonly Lazy<Dictionary<string, string?>> s_environment = new(() => new Dictionary<string, string?>
    {
        // Fixed timestamps inside the packages, so that their content snapshots do not move with every commit.
        ["SOURCE_DATE_EPOCH"] = "1700000000",
        // The commit is read once: a commit landing while the tests run must not make a later build differ.
        ["SourceRevisionId"] = Run.Checked("git", "-C", Repo.Root, "rev-parse", "--short=12", "HEAD").Output.Trim(),
    });

    /// <summary>The environment of every build.sh run of the tests: fixed SOURCE_DATE_EPOCH and commit.</summary>
    public static IReadOnlyDictionary<string, string?> BuildEnvironment() => s_environment.Value;

    /// <summary>Environment for build.sh runs against this output: fixed SOURCE_DATE_EPOCH and commit.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }
    public Run.Result BuildOutput => _built.Value.Output;
    public ReleaseManifest Manifest => _built.Value.Manifest;
    public TempDirectory NextDirectory => _built.Value.NextDirectory;
    public ReleaseManifest NextManifest => _built.Value.NextManifest;

    public string PathOf(string relative) => Path.Combine(OutputDirectory, relative);

    public string Installer(string fileName) => PathOf($"installers/{fileName}");

    public string NextInstaller(string fileName) => Path.Combine(NextDirectory.Path, "installers", fileName);

    public string RenderedFile(string relative) => PathOf($"{ReleasePackager.ProfileFolder}/{relative}");

    /// <summary>The same binaries and rendered files packaged as <see cref="NextVersion"/> (Linux x64 and Windows x64 only).</summary>
    private ReleaseManifest BuildNextVersion(ReleaseManifest manifest, string output)
    {
        foreach (var rid in new[] { "linux-x64", "win-x64" })
        {
            var binary = manifest.Binaries.Single(b => b.Rid == rid);
            Directory.CreateDirectory(Path.Combine(output, "bin", rid));
            File.Copy(Path.Combine(_outputDirectory, binary.Path!), Path.Combine(output, binary.Path!));
            // The front hands every call but the cached one to the full helper beside it: both ship.
            var full = ReleasePackager.FullHelperPath(new PlannedBinary(rid, binary.Kind, binary.Path!, binary.Note));
            File.Copy(Path.Combine(_outputDirectory, full), Path.Combine(output, full));
            // The MSIs also carry the user setup program published beside the helper.
            var userSetup = $"bin/{rid}/{Ccwb.Packaging.Windows.MsiSpec.UserSetupFileName}";
            var builtUserSetup = Path.Combine(_outputDirectory, userSetup);
            if (File.Exists(builtUserSetup)) File.Copy(builtUserSetup, Path.Combine(output, userSetup));
        }
        return ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = output,
            Version = NextVersion,
            Commit = manifest.Commit,
            ProfileName = manifest.Profile,
            Binaries = [.. manifest.Binaries.Where(b => b.Rid is "linux-x64" or "win-x64")
                .Select(b => new PlannedBinary(b.Rid, b.Kind, b.Path!, b.Note))],
            WriteProfileFiles = dir => CopyRendered(manifest, dir),
            WriteCloudFormation = _ => [],
            InstallersDirectory = Repo.PathOf("installers"),
            SourceDateEpoch = 1_700_000_000,
        });
    }

    private RenderedProfile CopyRendered(ReleaseManifest manifest, string target)
    {
        var files = manifest.Artifacts.Where(a => a.Type == ArtifactTypes.ProfileFile)
            .Select(a => a.Path[(ReleasePackager.ProfileFolder.Length + 1)..]).ToList();
        foreach (var file in files)
        {
            var destination = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(Path.Combine(_outputDirectory, ReleasePackager.ProfileFolder, file), destination);
        }
        string? Named(string path) => files.Contains(path) ? path : null;
        return new RenderedProfile(files, [new AwsProfile(manifest.Profile, "us-east-1")])
        {
            ConfigJson = Named("config.json"),
            Settings = Named("claude-settings/managed-settings.json") ?? Named("claude-settings/settings.json"),
            CoworkMobileconfig = Named("cowork-3p.mobileconfig"),
            CoworkCredentialHelper = Named("cowork-credential-helper.sh"),
        };
    }

    public void Dispose()
    {
        if (_built.IsValueCreated) _built.Value.NextDirectory.Dispose();
    }
}
