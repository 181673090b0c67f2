using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ccwb.Credentials.Storage;

namespace Ccwb.Cli.DeploymentTest;

/// <summary>What one run of the helper printed.</summary>
internal sealed record HelperRun(int ExitCode, string Output, string Error, bool TimedOut)
{
    /// <summary>The helper's last stderr line (its message), cleaned for the terminal; "" when it printed none.</summary>
    public string LastErrorLine =>
        TerminalText.Clean(Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "");
}

/// <summary>
/// Runs the packaged helper as an AWS SDK runs a <c>credential_process</c> (no input, a time limit), or the AWS CLI
/// that runs it, with <c>AWS_CONFIG_FILE</c> pointing at the temporary AWS config.
/// </summary>
internal sealed class HelperProcess(IReadOnlyList<string> command, string awsConfigFile, TimeSpan timeout)
{
    public async Task<HelperRun> RunAsync(IEnumerable<string> extraArguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(extraArguments)) start.ArgumentList.Add(argument);
        start.Environment["AWS_CONFIG_FILE"] = awsConfigFile;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
        process.StandardInput.Close(); // as an SDK runs it: nothing to read, so a prompt cannot hang the test
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return new HelperRun(-1, "", "", TimedOut: true);
        }
        return new HelperRun(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false), false);
    }

    /// <summary>
    /// The credentials in credential_process output (<c>{"Version":1,"AccessKeyId":…}</c>), or the reason it is not
    /// that. Expiration is optional (long-term keys have none).
    /// </summary>
    public static (AwsCredentials? Credentials, string Problem) ParseCredentials(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "the output is not a JSON object");
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (!root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 1)
                return (null, "\"Version\" is not 1");
            if (Text("AccessKeyId") is not { Length: > 0 } key) return (null, "\"AccessKeyId\" is missing");
            if (Text("SecretAccessKey") is not { Length: > 0 } secret) return (null, "\"SecretAccessKey\" is missing");
            var expiration = DateTimeOffset.MaxValue;
            if (Text("Expiration") is { } stamp &&
                !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out expiration))
                return (null, $"\"Expiration\" '{TerminalText.Clean(stamp)}' is not a timestamp");
            return (new AwsCredentials(key, secret, Text("SessionToken") ?? "", expiration), "");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return (null, "the output is not JSON");
        }
    }
}
