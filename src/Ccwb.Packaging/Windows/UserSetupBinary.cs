using System.Runtime.InteropServices;
using Ccwb.Packaging.Manifest;

namespace Ccwb.Packaging.Windows;

/// <summary>
/// ccwb-user-setup.exe, which the Publish target puts beside each Windows helper (bin/&lt;rid&gt;/) and the MSIs run.
/// Listed in the manifest as a binary of that RID, so that it is checksummed and Authenticode-signed like the helper.
/// </summary>
public static class UserSetupBinary
{
    public static ArtifactEntry Describe(string outputDirectory, PlannedBinary helper) =>
        ManifestBuilder.Describe(outputDirectory, RelativePath(helper), ArtifactTypes.Binary, helper.Rid, Kind(helper.Rid));

    public static string RelativePath(PlannedBinary helper) =>
        $"{Path.GetDirectoryName(helper.RelativePath)!.Replace('\\', '/')}/{MsiSpec.UserSetupFileName}";

    /// <summary>
    /// The rule of build/Publish.targets: one win-x64 build, native AOT on a Windows x64 host and single-file elsewhere;
    /// Windows on Arm runs that x64 build under emulation.
    /// </summary>
    public static string Kind(string rid) =>
        rid != "win-x64" ? BinaryKinds.X64Emulation
        : OperatingSystem.IsWindows() && RuntimeInformation.OSArchitecture == Architecture.X64 ? BinaryKinds.Aot
        : BinaryKinds.SingleFile;
}
