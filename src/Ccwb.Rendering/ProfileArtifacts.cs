using Ccwb.Profiles;

namespace Ccwb.Rendering;

/// <summary>Entry point the build and <c>ccwb</c> share: every profile-derived file a package carries.</summary>
public static class ProfileArtifacts
{
    /// <summary>
    /// Writes the files into <paramref name="outputDirectory"/>; returns their paths relative to it (forward
    /// slashes). The same profile (and SOURCE_DATE_EPOCH) always gives byte-identical files.
    /// </summary>
    /// <exception cref="ProfileFindingsException">The profile lacks what a file needs; nothing was written.</exception>
    public static IReadOnlyList<string> Write(DeploymentProfile profile, string outputDirectory) =>
        Write(profile, outputDirectory, RenderOptions.ForProfile(profile));

    public static IReadOnlyList<string> Write(DeploymentProfile profile, string outputDirectory, RenderOptions options) =>
        OutputFolder.Write(PackageFiles.Render(profile, options), outputDirectory);
}
