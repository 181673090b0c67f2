using System.Diagnostics;
using Ccwb.CloudFormation.Output;

namespace Ccwb.CloudFormation.Running;

public sealed record AwsCliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs the AWS CLI (stack operations go through it because the CloudFormation SDK package is not available).
/// </summary>
/// <param name="executable">The <c>aws</c> to run; configurable because the first one on PATH may be an old v1.</param>
/// <param name="endpointUrl">Optional <c>--endpoint-url</c> for every call (a private or local CloudFormation endpoint).</param>
/// <param name="environment">Variables set for the CLI on top of this process's (e.g. AWS_PROFILE).</param>
public sealed class AwsCli(string executable = "aws", string? endpointUrl = null, IReadOnlyDictionary<string, string>? environment = null)
{
    public string Executable { get; } = executable;

    public string? EndpointUrl { get; } = endpointUrl;

    public async Task<AwsCliResult> RunAsync(AwsCliCommand command, string workingDirectory, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.WithEndpoint(EndpointUrl).Arguments) start.ArgumentList.Add(argument);
        // A pager would wait for a terminal that is not there.
        start.Environment["AWS_PAGER"] = "";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new AwsCliResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
