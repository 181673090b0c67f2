using System.Text;
using Ccwb.CloudFormation.Planning;

namespace Ccwb.CloudFormation.Output;

/// <summary>One AWS CLI invocation: arguments after the executable, file paths relative to the plan folder.</summary>
public sealed record AwsCliCommand(IReadOnlyList<string> Arguments)
{
    /// <summary>The command sent to <paramref name="endpointUrl"/> instead of AWS's endpoint (unchanged when null).</summary>
    public AwsCliCommand WithEndpoint(string? endpointUrl) =>
        endpointUrl is null ? this : new([.. Arguments, "--endpoint-url", endpointUrl]);

    /// <summary>The command as a POSIX shell line.</summary>
    public string Render(string executable = "aws") =>
        string.Join(' ', new[] { executable }.Concat(Arguments).Select(ShellQuote));

    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@+".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>The AWS CLI commands that create, update, wait for, read and delete a planned stack.</summary>
public static class AwsCliCommands
{
    public static AwsCliCommand Create(PlannedStack stack, bool hasTags) => Write("create-stack", stack, hasTags);

    public static AwsCliCommand Update(PlannedStack stack, bool hasTags) => Write("update-stack", stack, hasTags);

    public static AwsCliCommand Describe(PlannedStack stack) =>
        new(["cloudformation", "describe-stacks", "--region", stack.Region, "--stack-name", stack.StackName, "--output", "json"]);

    public static AwsCliCommand Wait(PlannedStack stack, string condition) =>
        new(["cloudformation", "wait", condition, "--region", stack.Region, "--stack-name", stack.StackName]);

    public static AwsCliCommand Delete(PlannedStack stack) =>
        new(["cloudformation", "delete-stack", "--region", stack.Region, "--stack-name", stack.StackName]);

    private static AwsCliCommand Write(string verb, PlannedStack stack, bool hasTags)
    {
        var args = new List<string>
        {
            "cloudformation", verb,
            "--region", stack.Region,
            "--stack-name", stack.StackName,
            "--template-body", "file://" + stack.TemplatePath,
        };
        // The CLI rejects nothing for an empty list, but a template without parameters reads clearer without the flag.
        if (stack.Parameters.Count > 0) args.AddRange(["--parameters", "file://" + stack.ParameterFile]);
        args.Add("--capabilities");
        args.AddRange(stack.Capabilities);
        if (hasTags) args.AddRange(["--tags", "file://" + DeployPlan.TagsFile]);
        return new AwsCliCommand(args);
    }

    /// <summary>
    /// What <c>ccwb deploy --dry-run</c> prints: per stack the create command (update-stack with the same arguments
    /// when the stack exists) and the wait; commands run from the plan folder.
    /// </summary>
    public static string DeployScript(DeployPlan plan, string executable = "aws", string? endpointUrl = null)
    {
        var text = new StringBuilder();
        text.Append("# Deploy plan for profile ").Append(plan.ProfileName).Append(". Run from the folder holding this file.\n");
        if (plan.Stacks.Count == 0) text.Append("# Nothing to deploy: the profile needs no stacks.\n");
        var hasTags = plan.Tags.Count > 0;
        foreach (var stack in plan.Stacks)
        {
            text.Append('\n').Append("# ").Append(stack.Kind).Append(": ").Append(stack.StackName)
                .Append(" in ").Append(stack.Region).Append(" (update-stack with the same arguments if it exists)\n");
            text.Append(Create(stack, hasTags).WithEndpoint(endpointUrl).Render(executable)).Append('\n');
            text.Append(Wait(stack, "stack-create-complete").WithEndpoint(endpointUrl).Render(executable)).Append('\n');
            text.Append(Describe(stack).WithEndpoint(endpointUrl).Render(executable)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>What <c>ccwb destroy --dry-run</c> prints: deletes in reverse deploy order.</summary>
    public static string DestroyScript(DeployPlan plan, string executable = "aws", string? endpointUrl = null)
    {
        var text = new StringBuilder();
        text.Append("# Destroy plan for profile ").Append(plan.ProfileName).Append(" (reverse deploy order).\n");
        foreach (var stack in plan.DestroyOrder)
        {
            text.Append('\n').Append("# ").Append(stack.Kind).Append(": ").Append(stack.StackName).Append(" in ").Append(stack.Region).Append('\n');
            text.Append(Delete(stack).WithEndpoint(endpointUrl).Render(executable)).Append('\n');
            text.Append(Wait(stack, "stack-delete-complete").WithEndpoint(endpointUrl).Render(executable)).Append('\n');
        }
        return text.ToString();
    }
}
