using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Install;
using Ccwb.Packaging.Deb;
using Ccwb.Packaging.MacOS;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tools;
using Ccwb.Packaging.Windows;

namespace Ccwb.Packaging;

/// <summary>
/// One packaging run: renders the profile's files, builds a deb per Linux RID, two MSIs (per-user, per-machine)
/// per Windows RID, the macOS .pkg and claude-code-package.zip, and writes manifest.json. Everything is written into a staging folder first and moved into the
/// output folder only when every step succeeded.
/// </summary>
public static class ReleasePackager
{
    public const string ProfileFolder = "package";
    public const string InstallersFolder = "installers";

    public static ReleaseManifest Run(ReleaseRequest request)
    {
        var output = Path.GetFullPath(request.OutputDirectory);
        CheckInputs(request, output);
        var wixl = KnownTools.Wixl(request.WixlPath);
        var buildMsi = request.Binaries.Any(b => b.IsWindows && b.Kind != BinaryKinds.Unavailable);
        var buildDeb = request.Binaries.Any(b => b.IsLinux && b.Kind != BinaryKinds.Unavailable);
        if (buildMsi)
        {
            wixl.Resolve(); // fail before anything is written
            KnownTools.Osslsigncode().Resolve(); // lays the MSIs out as signing does (MsiCanonicalForm)
        }
        if (buildDeb && OperatingSystem.IsWindows())
        {
            request.Log("deb packages are not built on Windows (dpkg-deb is needed); skipping them.");
            buildDeb = false;
        }
        if (buildDeb) KnownTools.DpkgDeb().Resolve();

        // Unsigned Windows executables in the form Authenticode signing leaves them, so that a signed release with its
        // signatures removed is byte-identical to this build (PeCanonicalForm).
        foreach (var binary in request.Binaries.Where(b => b.IsWindows && b.Kind != BinaryKinds.Unavailable))
        {
            foreach (var exe in new[] { binary.RelativePath, FullHelperPath(binary), OtelHelperPath(binary), OtelHelperFullPath(binary), UserSetupBinary.RelativePath(binary) }.Select(p => Path.Combine(output, p)))
                if (File.Exists(exe)) PeCanonicalForm.Apply(exe);
        }

        using var staging = new StagingArea(output);
        var artifacts = new List<ArtifactEntry>();
        foreach (var binary in request.Binaries.Where(b => b.Kind != BinaryKinds.Unavailable))
        {
            artifacts.Add(Describe(output, binary.RelativePath, binary));
            artifacts.Add(Describe(output, FullHelperPath(binary), binary));
            var otelHelper = OtelHelperPath(binary);
            if (File.Exists(Path.Combine(output, otelHelper)))
            {
                artifacts.Add(Describe(output, otelHelper, binary));
                artifacts.Add(Describe(output, OtelHelperFullPath(binary), binary));
            }
        }
        if (buildMsi)
        {
            foreach (var binary in request.Binaries.Where(b => b.IsWindows && b.Kind != BinaryKinds.Unavailable))
                artifacts.Add(UserSetupBinary.Describe(output, binary));
        }
        // ccwb as a .NET tool and the quota functions' zips, built before this step (listed here, never in an installer).
        var toolFolder = Path.Combine(output, "tool");
        if (Directory.Exists(toolFolder))
            foreach (var nupkg in Directory.GetFiles(toolFolder, "*.nupkg").Order(StringComparer.Ordinal))
                artifacts.Add(ManifestBuilder.Describe(output, $"tool/{Path.GetFileName(nupkg)}", ArtifactTypes.Tool));
        foreach (var functionZip in request.FunctionZips.Order(StringComparer.Ordinal))
            artifacts.Add(ManifestBuilder.Describe(output, Path.GetRelativePath(output, Path.GetFullPath(functionZip)).Replace('\\', '/'), ArtifactTypes.Function));

        var profileDir = staging.Combine(ProfileFolder);
        Directory.CreateDirectory(profileDir);
        var rendered = request.WriteProfileFiles(profileDir);
        foreach (var file in rendered.Files)
            artifacts.Add(ManifestBuilder.Describe(staging.Path, $"{ProfileFolder}/{file}", ArtifactTypes.ProfileFile));
        artifacts.AddRange(CopyBinariesIntoPackageFolder(request.Binaries, output, staging.Path));
        // The CloudFormation writer lays out its own cloudformation/ folder.
        foreach (var file in request.WriteCloudFormation(staging.Path))
            artifacts.Add(ManifestBuilder.Describe(staging.Path, file, ArtifactTypes.CloudFormation));

        if (rendered.ConfigJson is null) request.Log("No config.json was rendered for the profile; installers carry the helper only.");
        var configJson = RenderedProfile.In(profileDir, rendered.ConfigJson);
        var settings = RenderedProfile.In(profileDir, rendered.Settings);
        var awsProfiles = rendered.AwsProfiles;
        var installers = staging.Combine(InstallersFolder);
        var work = staging.Combine(".work");

        // The installers do not depend on each other, and each is mostly one program's compression work (dpkg-deb's xz,
        // wixl's cabinet, the pkg's payload): they are built side by side, each in a work folder of its own, and listed
        // in this order whichever finishes first.
        var builds = new List<Func<IEnumerable<ArtifactEntry>>>();
        ArtifactEntry Installer(string file, string type, string? rid = null) =>
            ManifestBuilder.Describe(staging.Path, $"{InstallersFolder}/{Path.GetFileName(file)}", type, rid);
        string WorkFolder(string name) => Path.Combine(work, name);

        if (buildDeb && !OperatingSystem.IsWindows())
        {
            var builder = new DebPackageBuilder();
            foreach (var binary in request.Binaries.Where(b => b.IsLinux && b.Kind != BinaryKinds.Unavailable))
            {
                var spec = new DebPackageSpec
                {
                    PackageName = ReleaseRequest.PackageName,
                    Version = request.Version,
                    Architecture = DebPackageSpec.DebianArchitecture(binary.Rid),
                    Maintainer = request.Maintainer,
                    ProfileName = request.ProfileName,
                    CredentialProcessPath = Path.Combine(output, binary.RelativePath),
                    ConfigJsonPath = configJson,
                    SettingsPath = settings,
                    AwsProfiles = awsProfiles,
                    SourceDateEpoch = request.SourceDateEpoch,
                    TemplateDirectory = Path.Combine(request.InstallersDirectory, "linux"),
                };
                // The check again inside: the platform analyzer does not see the one above through the lambda.
                builds.Add(() => OperatingSystem.IsWindows() ? []
                    : [Installer(builder.Build(spec, WorkFolder($"deb-{binary.Rid}"), installers), ArtifactTypes.Deb, binary.Rid)]);
            }
        }

        if (buildMsi)
        {
            var builder = new MsiBuilder(wixl);
            foreach (var binary in request.Binaries.Where(b => b.IsWindows && b.Kind != BinaryKinds.Unavailable))
            {
                foreach (var scope in new[] { InstallScope.PerUser, InstallScope.PerMachine })
                {
                    var spec = new MsiSpec
                    {
                        Rid = binary.Rid,
                        Scope = scope,
                        Version = request.Version,
                        ProfileName = request.ProfileName,
                        Manufacturer = request.Maintainer,
                        CredentialProcessPath = Path.Combine(output, binary.RelativePath),
                        ConfigJsonPath = configJson,
                        SettingsPath = settings,
                        AwsProfiles = awsProfiles,
                        SourceDirectory = Path.Combine(request.InstallersDirectory, "windows"),
                        SourceDateEpoch = request.SourceDateEpoch,
                    };
                    builds.Add(() => [Installer(builder.Build(spec, WorkFolder($"msi-{spec.Rid}-{spec.ScopeName}"), installers), ArtifactTypes.Msi, binary.Rid)]);
                }
            }
        }

        // macOS package and the all-platform zip (MacOS/MacReleaseSteps): one call each, from the staged profile folder.
        var macInputs = MacInputs(request, output, profileDir, rendered);
        var log = Synchronized(request.Log);
        builds.Add(() => MacReleaseSteps.BuildPkg(macInputs, installers, log) is { } pkg ? [Installer(pkg, ArtifactTypes.Pkg)] : []);
        builds.Add(() => [Installer(MacReleaseSteps.BuildZip(macInputs, installers), ArtifactTypes.Zip)]);
        artifacts.AddRange(RunSideBySide(builds).SelectMany(entries => entries));

        if (Directory.Exists(work)) Directory.Delete(work, recursive: true); // only debs and MSIs use it
        if (!Directory.EnumerateFileSystemEntries(installers).Any()) Directory.Delete(installers);
        var manifest = new ReleaseManifest
        {
            Product = ReleaseRequest.PackageName,
            Version = request.Version,
            Commit = request.Commit,
            Profile = request.ProfileName,
            SourceDateEpoch = request.SourceDateEpoch,
            Binaries = [.. request.Binaries.Select(b => new BinaryEntry
            {
                Rid = b.Rid,
                Kind = b.Kind,
                Path = b.Kind == BinaryKinds.Unavailable ? null : b.RelativePath,
                Note = b.Note,
            })],
            Artifacts = artifacts,
        };
        ManifestJson.Write(manifest, staging.Combine(ManifestJson.FileName));
        staging.Commit();
        return manifest;
    }

    /// <summary>Runs every build at once (as many at a time as the machine has cores) and returns their results in order.
    /// A failure is rethrown as it was thrown, so that a PackagingException still reaches the user as one message.</summary>
    private static T[] RunSideBySide<T>(List<Func<T>> builds)
    {
        var results = new T[builds.Count];
        try
        {
            Parallel.For(0, builds.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => results[i] = builds[i]());
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results;
    }

    private static Action<string> Synchronized(Action<string> log)
    {
        var gate = new object();
        return line => { lock (gate) log(line); };
    }

    // otel-helper is published beside credential-process, for the same RID and in the same way.
    private static string OtelHelperPath(PlannedBinary binary) => Beside(binary, "otel-helper");

    /// <summary>otel-helper-full, to which the otel-helper front hands every call but the warm header call.</summary>
    internal static string OtelHelperFullPath(PlannedBinary binary) => Beside(binary, ShippedPrograms.OtelHelperFull);

    /// <summary>credential-process-full, to which the credential-process front hands every call but the cached one.</summary>
    internal static string FullHelperPath(PlannedBinary binary) => Beside(binary, ShippedPrograms.CredentialProcessFull);

    private static string Beside(PlannedBinary binary, string program) =>
        $"{Path.GetDirectoryName(binary.RelativePath)!.Replace('\\', '/')}/{program}{(binary.IsWindows ? ".exe" : "")}";

    // A Linux binary's manifest entry records the oldest glibc it runs on (read from its ELF symbol versions).
    private static ArtifactEntry Describe(string output, string relativePath, PlannedBinary binary)
    {
        var entry = ManifestBuilder.Describe(output, relativePath, ArtifactTypes.Binary, binary.Rid, binary.Kind);
        return binary.IsLinux && !OperatingSystem.IsWindows()
            ? entry with { GlibcFloor = LinuxRequirements.Read(Path.Combine(output, relativePath)).GlibcFloor }
            : entry;
    }

    private static MacReleaseInputs MacInputs(ReleaseRequest request, string output, string profileDirectory, RenderedProfile rendered) =>
        new(request.Version, request.ProfileName,
            request.Binaries.Where(b => b.Kind != BinaryKinds.Unavailable)
                .ToDictionary(b => b.Rid, b => Path.GetDirectoryName(Path.Combine(output, b.RelativePath))!, StringComparer.Ordinal),
            profileDirectory, rendered, request.SourceDateEpoch, request.InstallersDirectory);

    private static void CheckInputs(ReleaseRequest request, string output)
    {
        // A front is nothing without the full program beside it: both are required (otel-helper's whenever it ships).
        var missing = request.Binaries
            .Where(b => b.Kind != BinaryKinds.Unavailable)
            .SelectMany(b => File.Exists(Path.Combine(output, OtelHelperPath(b)))
                ? new[] { b.RelativePath, FullHelperPath(b), OtelHelperFullPath(b) }
                : new[] { b.RelativePath, FullHelperPath(b) })
            .Where(p => !File.Exists(Path.Combine(output, p))).ToList();
        if (missing.Count > 0)
            throw new PackagingException($"Published binaries missing from {output}: {string.Join(", ", missing)} (run the Publish target)");
        if (!Directory.Exists(request.InstallersDirectory))
            throw new PackagingException($"Installer sources not found: {request.InstallersDirectory}");
    }

    /// <summary>
    /// Copies each RID's published programs into the package folder under upstream's names, where install.sh and
    /// install.bat look for them, so that the folder alone is what users unzip and install from.
    /// </summary>
    internal static IEnumerable<ArtifactEntry> CopyBinariesIntoPackageFolder(IReadOnlyList<PlannedBinary> binaries, string output, string staging)
    {
        var copied = new List<ArtifactEntry>();
        foreach (var binary in binaries.Where(b => b.Kind != BinaryKinds.Unavailable))
            foreach (var program in PackageFolder.Programs)
            {
                var source = Path.Combine(output, Path.GetDirectoryName(binary.RelativePath)!, program + (binary.IsWindows ? ".exe" : ""));
                if (PackageFolder.BinaryName(program, binary.Rid) is not { } name || !File.Exists(source)) continue;
                var relative = $"{ProfileFolder}/{name}";
                File.Copy(source, Path.Combine(staging, relative), overwrite: true);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(staging, relative), (UnixFileMode)0b111_101_101);
                copied.Add(ManifestBuilder.Describe(staging, relative, ArtifactTypes.ProfileFile, binary.Rid, binary.Kind));
            }
        return copied;
    }
}
