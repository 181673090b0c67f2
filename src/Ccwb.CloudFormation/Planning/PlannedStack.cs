namespace Ccwb.CloudFormation.Planning;

/// <summary>One CloudFormation parameter value, and the profile field it came from (named in errors).</summary>
public sealed record StackParameter(string Key, string Value, string SourceField);

public sealed record StackTag(string Key, string Value);

/// <summary>A stack the plan deploys: everything the AWS CLI needs, nothing resolved at run time.</summary>
/// <param name="Kind">Stack type, e.g. <c>auth</c> or <c>distribution</c>.</param>
/// <param name="OutputsToProfile">Stack output name → profile field the output is saved into after deploy.</param>
public sealed record PlannedStack(
    string Kind,
    string StackName,
    string Region,
    string TemplateFile,
    IReadOnlyList<StackParameter> Parameters,
    IReadOnlyList<string> Capabilities,
    IReadOnlyDictionary<string, string> OutputsToProfile)
{
    /// <summary>Path of the parameter file, relative to the plan folder.</summary>
    public string ParameterFile => $"parameters/{StackName}.json";

    /// <summary>Path of the template, relative to the plan folder.</summary>
    public string TemplatePath => $"templates/{TemplateFile}";
}

/// <summary>The stacks of one profile in deploy order, with the stack-level tags every stack gets.</summary>
public sealed record DeployPlan(string ProfileName, IReadOnlyList<PlannedStack> Stacks, IReadOnlyList<StackTag> Tags)
{
    /// <summary>Later stacks may depend on earlier ones, so they are removed first.</summary>
    public IReadOnlyList<PlannedStack> DestroyOrder => [.. Stacks.Reverse()];

    public const string TagsFile = "tags.json";
}
