using Ccwb.CloudFormation.Output;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Templates;
using Ccwb.Contract.Files;

namespace Ccwb.CloudFormation;

/// <summary>The files of a plan, by path relative to the plan folder, rendered in memory.</summary>
public static class PlanArtifacts
{
    public const string PlanFileName = "deploy-plan.json";
    public const string DeployCommandsFileName = "deploy-commands.sh";
    public const string DestroyCommandsFileName = "destroy-commands.sh";

    public static IReadOnlyList<(string Path, string Content)> Render(DeployPlan plan)
    {
        var files = new List<(string, string)>();
        foreach (var template in plan.Stacks.Select(s => s.TemplateFile).Distinct().Order(StringComparer.Ordinal))
            files.Add(($"templates/{template}", TemplateLibrary.Get(template).Body));
        foreach (var stack in plan.Stacks)
            files.Add((stack.ParameterFile, ParameterFile.Render(stack.Parameters)));
        if (plan.Tags.Count > 0) files.Add((DeployPlan.TagsFile, ParameterFile.RenderTags(plan.Tags)));
        files.Add((PlanFileName, PlanFile.Render(plan)));
        files.Add((DeployCommandsFileName, AwsCliCommands.DeployScript(plan)));
        files.Add((DestroyCommandsFileName, AwsCliCommands.DestroyScript(plan)));
        return files;
    }

    /// <summary>Writes the files under <paramref name="directory"/>; everything is rendered before the first write.</summary>
    /// <remarks>A parameter file holding a NoEcho value (a shared secret) is readable by its owner only.</remarks>
    public static IReadOnlyList<string> WriteTo(DeployPlan plan, string directory)
    {
        var files = Render(plan);
        var secret = SecretParameterFiles(plan);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            if (secret.Contains(path)) AtomicFile.WriteAllText(full, content, AtomicFile.OwnerReadWrite);
            else File.WriteAllText(full, content);
        }
        return [.. files.Select(f => f.Path)];
    }

    /// <summary>Parameter files that carry a value for a NoEcho parameter.</summary>
    public static IReadOnlySet<string> SecretParameterFiles(DeployPlan plan) =>
        plan.Stacks.Where(s => s.Parameters.Any(p => TemplateLibrary.Get(s.TemplateFile).Parameter(p.Key)?.NoEcho == true))
            .Select(s => s.ParameterFile).ToHashSet(StringComparer.Ordinal);
}
