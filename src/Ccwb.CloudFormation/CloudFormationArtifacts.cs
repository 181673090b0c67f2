using Ccwb.Profiles;

namespace Ccwb.CloudFormation;

/// <summary>Entry point the build and <c>ccwb</c> share: templates, parameter files and the deploy plan.</summary>
public static class CloudFormationArtifacts
{
    /// <summary>Writes the files into <paramref name="outputDirectory"/>; returns their paths relative to it.</summary>
    public static IReadOnlyList<string> Write(DeploymentProfile profile, string outputDirectory) => [];
}
