using Ccwb.CloudFormation.Planning;

namespace Ccwb.CloudFormation.Output;

/// <summary>deploy-plan.json: the reviewable, machine-readable plan any pipeline can follow.</summary>
public static class PlanFile
{
    public static string Render(DeployPlan plan) => JsonText.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("profile", plan.ProfileName);
        w.WriteString("tagsFile", plan.Tags.Count > 0 ? DeployPlan.TagsFile : null);
        w.WriteStartArray("deployOrder");
        foreach (var stack in plan.Stacks)
        {
            w.WriteStartObject();
            w.WriteString("kind", stack.Kind);
            w.WriteString("stackName", stack.StackName);
            w.WriteString("region", stack.Region);
            w.WriteString("template", stack.TemplatePath);
            w.WriteString("parameters", stack.ParameterFile);
            w.WriteStartArray("capabilities");
            foreach (var c in stack.Capabilities) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteStartObject("tags");
            foreach (var t in plan.Tags) w.WriteString(t.Key, t.Value);
            w.WriteEndObject();
            w.WriteStartObject("outputsSavedToProfile");
            foreach (var (output, field) in stack.OutputsToProfile.OrderBy(o => o.Key, StringComparer.Ordinal)) w.WriteString(output, field);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("destroyOrder");
        foreach (var stack in plan.DestroyOrder) w.WriteStringValue(stack.StackName);
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
