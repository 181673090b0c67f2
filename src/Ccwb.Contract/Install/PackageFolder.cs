using Ccwb.Contract.CommandLine;

namespace Ccwb.Contract.Install;

/// <summary>
/// The package folder people unzip and run <c>install.sh</c> / <c>install.bat</c> from keeps upstream's flat layout:
/// each platform's programs sit beside the scripts as <c>&lt;program&gt;-&lt;platform&gt;</c>
/// (<c>credential-process-linux-x64</c>, <c>otel-helper-macos-arm64</c>, <c>credential-process-windows.exe</c>).
/// Package copies the published binaries there under these names, and the install scripts look for them by them.
/// </summary>
public static class PackageFolder
{
    /// <summary>The file name of <paramref name="program"/> for <paramref name="rid"/> in the package folder, or null when the folder carries none for that RID.</summary>
    public static string? BinaryName(string program, string rid) => rid switch
    {
        "linux-x64" => program + "-linux-x64",
        "linux-arm64" => program + "-linux-arm64",
        "osx-arm64" => program + "-macos-arm64",
        "osx-x64" => program + "-macos-intel",
        // install.bat has one Windows program and no architecture check: Windows on Arm runs the x64 one under emulation.
        "win-x64" => program + "-windows.exe",
        _ => null,
    };

    /// <summary>
    /// The programs the package folder carries per platform: credential-process (the front) with the full helper it
    /// hands over to (<c>credential-process-full-linux-x64</c>, installed as <c>credential-process-full</c> beside it),
    /// otel-helper (the front) with <c>otel-helper-full</c> in the same way, and for Windows only
    /// <c>ccwb-user-setup-windows.exe</c>, which install.bat runs for the settings and AWS profiles as the MSI does.
    /// </summary>
    public static IReadOnlyList<string> Programs { get; } =
        ["credential-process", ShippedPrograms.CredentialProcessFull, "otel-helper", ShippedPrograms.OtelHelperFull, ShippedPrograms.UserSetup.Name];
}
