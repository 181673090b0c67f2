using Ccwb.CloudFormation.Planning;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation;

/// <summary>Entry point the build and <c>ccwb</c> share: templates, parameter files and the deploy plan.</summary>
public static class CloudFormationArtifacts
{
    /// <summary>Folder, under the package output, that holds the CloudFormation files.</summary>
    public const string Folder = "cloudformation";

    /// <summary>Writes the files into <paramref name="outputDirectory"/>; returns their paths relative to it.</summary>
    /// <exception cref="ProfileFindingsException">
    /// The profile holds values the templates cannot take; nothing has been written.
    /// </exception>
    public static IReadOnlyList<string> Write(DeploymentProfile profile, string outputDirectory)
    {
        var plan = DeployPlanner.Plan(profile);
        return [.. PlanArtifacts.WriteTo(plan, Path.Combine(outputDirectory, Folder)).Select(p => $"{Folder}/{p}")];
    }
}
