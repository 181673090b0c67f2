using Ccwb.Packaging.Deb;
using Ccwb.Packaging.Manifest;
using Ccwb.Testing;

[assembly: AssemblyFixture(typeof(Ccwb.Packaging.Tests.Infrastructure.PackageFixture))]

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>
/// One real `./build.sh Package` for all six RIDs per test run, shared by every test. It builds into
/// artifacts/test-package/, so a later run on the same machine is incremental (that is the Inputs/Outputs contract
/// of the targets at work). Also builds the next version's installers from the same binaries, for upgrade tests.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public const string Version = "1.0.0";
    public const string NextVersion = "1.0.1";

    public PackageFixture()
    {
        OutputDirectory = Repo.PathOf("artifacts", "test-package");
        Environment = BuildEnvironment();
        BuildOutput = Run.Tool(Repo.PathOf("build.sh"),
            ["Package", "--skip-prerequisites", "--output", OutputDirectory, "--version", Version],
            workingDirectory: Repo.Root, environment: Environment, timeoutSeconds: 1500);
        if (BuildOutput.ExitCode != 0)
            throw new InvalidOperationException("./build.sh Package failed: " + BuildOutput);
        Manifest = ManifestJson.Read(Path.Combine(OutputDirectory, ManifestJson.FileName));

        NextDirectory = new TempDirectory("ccwb-next");
        NextManifest = BuildNextVersion(NextDirectory.Path);
    }

    public string OutputDirectory { get; }

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
    public Run.Result BuildOutput { get; }
    public ReleaseManifest Manifest { get; }
    public TempDirectory NextDirectory { get; }
    public ReleaseManifest NextManifest { get; }

    public string PathOf(string relative) => Path.Combine(OutputDirectory, relative);

    public string Installer(string fileName) => PathOf($"installers/{fileName}");

    public string NextInstaller(string fileName) => Path.Combine(NextDirectory.Path, "installers", fileName);

    public string RenderedFile(string relative) => PathOf($"{ReleasePackager.ProfileFolder}/{relative}");

    /// <summary>The same binaries and rendered files packaged as <see cref="NextVersion"/> (Linux x64 and Windows x64 only).</summary>
    private ReleaseManifest BuildNextVersion(string output)
    {
        foreach (var rid in new[] { "linux-x64", "win-x64" })
        {
            var binary = Manifest.Binaries.Single(b => b.Rid == rid);
            Directory.CreateDirectory(Path.Combine(output, "bin", rid));
            File.Copy(PathOf(binary.Path!), Path.Combine(output, binary.Path!));
            // The MSIs also carry the user setup program published beside the helper.
            var userSetup = $"bin/{rid}/{Ccwb.Packaging.Windows.MsiSpec.UserSetupFileName}";
            if (File.Exists(PathOf(userSetup))) File.Copy(PathOf(userSetup), Path.Combine(output, userSetup));
        }
        return ReleasePackager.Run(new ReleaseRequest
        {
            OutputDirectory = output,
            Version = NextVersion,
            Commit = Manifest.Commit,
            ProfileName = Manifest.Profile,
            Binaries = [.. Manifest.Binaries.Where(b => b.Rid is "linux-x64" or "win-x64")
                .Select(b => new PlannedBinary(b.Rid, b.Kind, b.Path!, b.Note))],
            WriteProfileFiles = dir => CopyRendered(dir),
            WriteCloudFormation = _ => [],
            InstallersDirectory = Repo.PathOf("installers"),
            SourceDateEpoch = 1_700_000_000,
        });
    }

    private RenderedProfile CopyRendered(string target)
    {
        var files = Manifest.Artifacts.Where(a => a.Type == ArtifactTypes.ProfileFile)
            .Select(a => a.Path[(ReleasePackager.ProfileFolder.Length + 1)..]).ToList();
        foreach (var file in files)
        {
            var destination = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(RenderedFile(file), destination);
        }
        string? Named(string path) => files.Contains(path) ? path : null;
        return new RenderedProfile(files, [new AwsProfile(Manifest.Profile, "us-east-1")])
        {
            ConfigJson = Named("config.json"),
            Settings = Named("claude-settings/managed-settings.json") ?? Named("claude-settings/settings.json"),
            CoworkMobileconfig = Named("cowork-3p.mobileconfig"),
            CoworkCredentialHelper = Named("cowork-credential-helper.sh"),
        };
    }

    public void Dispose() => NextDirectory.Dispose();
}
