using Ccwb.Profiles;

namespace Ccwb.Rendering;

/// <summary>Entry point the build and <c>ccwb</c> share: every profile-derived file a package carries.</summary>
public static class ProfileArtifacts
{
    /// <summary>Writes the files into <paramref name="outputDirectory"/>; returns their paths relative to it.</summary>
    public static IReadOnlyList<string> Write(DeploymentProfile profile, string outputDirectory) => [];
}
