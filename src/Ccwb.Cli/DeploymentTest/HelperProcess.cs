namespace Ccwb.Cli.DeploymentTest;

/// <summary>
/// Runs the packaged helper, or the AWS CLI that runs it, with <c>AWS_CONFIG_FILE</c> pointing at the temporary AWS
/// config.
/// </summary>
internal sealed class HelperProcess(IReadOnlyList<string> command, string awsConfigFile, TimeSpan timeout)
{
    public Task<ProgramRun> RunAsync(IEnumerable<string> extraArguments, CancellationToken ct) =>
        ProgramRunner.RunAsync([.. command, .. extraArguments], new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = awsConfigFile }, timeout, ct);
}
