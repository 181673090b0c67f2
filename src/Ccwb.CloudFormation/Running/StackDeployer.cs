using System.Text.Json;
using Ccwb.CloudFormation.Output;
using Ccwb.CloudFormation.Planning;

namespace Ccwb.CloudFormation.Running;

/// <summary>A stack operation the AWS CLI reported as failed; the message carries the CLI's own error.</summary>
public sealed class StackOperationException(string message) : Exception(message);

/// <summary>
/// Deploys a plan's stacks in order with the AWS CLI (create or update, wait, read outputs) and destroys them in
/// reverse order. Runs from the folder holding the plan's files, as the printed commands do.
/// </summary>
public sealed class StackDeployer(AwsCli cli, TextWriter log)
{
    /// <summary>Deploys every stack; returns each stack's outputs by stack kind. Stops at the first failure.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DeployAsync(
        DeployPlan plan, string planDirectory, CancellationToken cancellationToken = default)
    {
        var outputs = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var stack in plan.Stacks)
            outputs[stack.Kind] = await DeployStackAsync(stack, plan.Tags.Count > 0, planDirectory, cancellationToken).ConfigureAwait(false);
        return outputs;
    }

    /// <summary>Deletes every stack in reverse order; a stack that does not exist counts as deleted.</summary>
    public async Task DestroyAsync(DeployPlan plan, string planDirectory, CancellationToken cancellationToken = default)
    {
        foreach (var stack in plan.DestroyOrder)
        {
            if (await StatusAsync(stack, planDirectory, cancellationToken).ConfigureAwait(false) is null)
            {
                log.WriteLine($"{stack.StackName}: not found, nothing to delete");
                continue;
            }
            log.WriteLine($"{stack.StackName}: deleting");
            await RequireAsync(AwsCliCommands.Delete(stack), planDirectory, cancellationToken).ConfigureAwait(false);
            await RequireAsync(AwsCliCommands.Wait(stack, "stack-delete-complete"), planDirectory, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"{stack.StackName}: deleted");
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> DeployStackAsync(PlannedStack stack, bool hasTags, string dir, CancellationToken ct)
    {
        var status = await StatusAsync(stack, dir, ct).ConfigureAwait(false);
        if (status is not null && status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            throw new StackOperationException($"{stack.StackName} is {status}; wait for it to finish and run deploy again");
        if (status == "ROLLBACK_COMPLETE")
        {
            // A stack whose creation rolled back can only be deleted, never updated.
            log.WriteLine($"{stack.StackName}: ROLLBACK_COMPLETE, deleting before re-creating");
            await RequireAsync(AwsCliCommands.Delete(stack), dir, ct).ConfigureAwait(false);
            await RequireAsync(AwsCliCommands.Wait(stack, "stack-delete-complete"), dir, ct).ConfigureAwait(false);
            status = null;
        }

        if (status is null)
        {
            log.WriteLine($"{stack.StackName}: creating in {stack.Region}");
            await RequireAsync(AwsCliCommands.Create(stack, hasTags), dir, ct).ConfigureAwait(false);
            await WaitAsync(stack, "stack-create-complete", dir, ct).ConfigureAwait(false);
        }
        else
        {
            log.WriteLine($"{stack.StackName}: updating ({status})");
            var update = await cli.RunAsync(AwsCliCommands.Update(stack, hasTags), dir, ct).ConfigureAwait(false);
            if (update.Succeeded) await WaitAsync(stack, "stack-update-complete", dir, ct).ConfigureAwait(false);
            else if (update.StandardError.Contains("No updates are to be performed", StringComparison.Ordinal))
                log.WriteLine($"{stack.StackName}: already up to date");
            else throw Failed(AwsCliCommands.Update(stack, hasTags), update);
        }

        var described = await RequireAsync(AwsCliCommands.Describe(stack), dir, ct).ConfigureAwait(false);
        var outputs = ReadOutputs(described.StandardOutput);
        log.WriteLine($"{stack.StackName}: {ReadStatus(described.StandardOutput)}");
        foreach (var (key, value) in outputs) log.WriteLine($"  {key} = {value}");
        return outputs;
    }

    private async Task WaitAsync(PlannedStack stack, string condition, string dir, CancellationToken ct)
    {
        var wait = await cli.RunAsync(AwsCliCommands.Wait(stack, condition), dir, ct).ConfigureAwait(false);
        if (wait.Succeeded) return;
        var status = await StatusAsync(stack, dir, ct).ConfigureAwait(false);
        throw new StackOperationException($"{stack.StackName} did not reach {condition} (status {status ?? "gone"}): " +
                                          $"{wait.StandardError.Trim()}. See the stack events in the CloudFormation console.");
    }

    /// <summary>A deployed stack's status and outputs, or null when it does not exist (for distribute and status).</summary>
    public async Task<(string Status, IReadOnlyDictionary<string, string> Outputs)?> DescribeAsync(PlannedStack stack, string dir, CancellationToken ct = default)
    {
        var result = await cli.RunAsync(AwsCliCommands.Describe(stack), dir, ct).ConfigureAwait(false);
        if (result.Succeeded) return (ReadStatus(result.StandardOutput) ?? "", ReadOutputs(result.StandardOutput));
        if (result.StandardError.Contains("does not exist", StringComparison.Ordinal)) return null;
        throw Failed(AwsCliCommands.Describe(stack), result);
    }

    /// <summary>The stack's status, or null when it does not exist.</summary>
    private async Task<string?> StatusAsync(PlannedStack stack, string dir, CancellationToken ct)
    {
        var result = await cli.RunAsync(AwsCliCommands.Describe(stack), dir, ct).ConfigureAwait(false);
        if (result.Succeeded) return ReadStatus(result.StandardOutput);
        if (result.StandardError.Contains("does not exist", StringComparison.Ordinal)) return null;
        throw Failed(AwsCliCommands.Describe(stack), result);
    }

    private async Task<AwsCliResult> RequireAsync(AwsCliCommand command, string dir, CancellationToken ct)
    {
        var result = await cli.RunAsync(command, dir, ct).ConfigureAwait(false);
        return result.Succeeded ? result : throw Failed(command, result);
    }

    private StackOperationException Failed(AwsCliCommand command, AwsCliResult result) =>
        new($"{command.Render(cli.Executable)} failed ({result.ExitCode}): {result.StandardError.Trim()}");

    private static string? ReadStatus(string describeJson)
    {
        using var doc = JsonDocument.Parse(describeJson);
        return doc.RootElement.GetProperty("Stacks")[0].GetProperty("StackStatus").GetString();
    }

    internal static IReadOnlyDictionary<string, string> ReadOutputs(string describeJson)
    {
        using var doc = JsonDocument.Parse(describeJson);
        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (doc.RootElement.GetProperty("Stacks")[0].TryGetProperty("Outputs", out var list))
            foreach (var o in list.EnumerateArray())
                outputs[o.GetProperty("OutputKey").GetString()!] = o.GetProperty("OutputValue").GetString() ?? "";
        return outputs;
    }
}
