using System.Runtime.InteropServices;
using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Install;
using Ccwb.Credentials.Config;
using Ccwb.Packaging;

namespace Ccwb.Cli.DeploymentTest;

/// <summary>A problem that stops <c>ccwb test</c> before any step runs; reported as <c>error: Subject: message</c>.</summary>
internal sealed class DeploymentTestException(string subject, string message) : Exception(message)
{
    public string Subject { get; } = subject;
}

/// <summary>
/// The helper this machine would install from a package Package wrote: <c>package/credential-process-&lt;platform&gt;</c>
/// with the package's <c>config.json</c> beside it, where the helper looks for it (the layout users unzip).
/// </summary>
internal sealed record TestPackage(string Folder, string Helper, string Rid, IReadOnlyList<string> ConfigProfiles)
{
    /// <summary>
    /// Finds the package in <paramref name="directory"/>: the output folder of Package (holding <c>package/</c>) or the
    /// package folder itself (holding <c>config.json</c>).
    /// </summary>
    public static TestPackage Find(string directory)
    {
        var rid = MachineRid();
        var folder = new[] { Path.Combine(directory, ReleasePackager.ProfileFolder), directory }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "config.json")));
        if (folder is null)
            throw new DeploymentTestException("--package",
                $"no package found in {directory} (looked for {ReleasePackager.ProfileFolder}/config.json and config.json); " +
                "run ./build.sh Package --profile-file <profile> first, or pass --package <folder Package wrote>");
        var name = PackageFolder.BinaryName("credential-process", rid)
                   ?? throw new DeploymentTestException("--package", $"packages carry no credential-process for this machine ({rid})");
        var helper = Path.Combine(folder, name);
        if (!File.Exists(helper))
            throw new DeploymentTestException("--package",
                $"{folder} has no {name}: the package was not built for this machine ({rid}); add {rid} to the RIDs Package builds");
        // The helper is the credential-process front: it runs the full helper beside it for every call but the cached one.
        var full = PackageFolder.BinaryName(ShippedPrograms.CredentialProcessFull, rid)!;
        if (!File.Exists(Path.Combine(folder, full)))
            throw new DeploymentTestException("--package", $"{folder} has {name} but not {full}, which it runs; run Package again");
        return new TestPackage(folder, helper, rid, ReadProfiles(Path.Combine(folder, "config.json")));
    }

    /// <summary>The RID whose helper runs here; Windows on Arm runs the x64 one, as install.bat does.</summary>
    public static string MachineRid()
    {
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        if (OperatingSystem.IsWindows()) return "win-x64";
        return (OperatingSystem.IsMacOS() ? "osx-" : "linux-") + arch;
    }

    // The profile names config.json holds, read by the helper's own loader (both shapes, legacy keys).
    private static List<string> ReadProfiles(string path)
    {
        try
        {
            return [.. ConfigLoader.Parse(File.ReadAllBytes(path), path).Profiles.Keys];
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException)
        {
            throw new DeploymentTestException("--package", $"{path} is not a readable config.json: {Ccwb.Http.TerminalText.Clean(e.Message)}");
        }
    }
}
