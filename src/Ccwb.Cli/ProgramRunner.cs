using System.Diagnostics;

namespace Ccwb.Cli;

/// <summary>What one run of a program printed.</summary>
internal sealed record ProgramRun(int ExitCode, string Output, string Error, bool TimedOut)
{
    /// <summary>The first non-empty line of stderr, else of stdout: what a one-line summary quotes.</summary>
    public string FirstLine => Ccwb.Http.TerminalText.Clean(Lines(Error).FirstOrDefault() ?? Lines(Output).FirstOrDefault());

    /// <summary>The last stderr line (a helper's message), cleaned for the terminal; "" when it printed none.</summary>
    public string LastErrorLine => Ccwb.Http.TerminalText.Clean(Lines(Error).LastOrDefault());

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Runs a program as an AWS SDK runs a <c>credential_process</c>: no input (a prompt cannot hang it), output captured,
/// a time limit after which it is killed with its children. Cancelling (Ctrl+C) kills it too, so a helper waiting on a
/// browser sign-in never outlives ccwb.
/// </summary>
internal static class ProgramRunner
{
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started (missing, not executable).</exception>
    public static async Task<ProgramRun> RunAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            timedOut = true;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        return new ProgramRun(timedOut ? -1 : process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false), timedOut);
    }

    /// <summary><see cref="RunAsync"/> for the synchronous doctor checks.</summary>
    public static ProgramRun Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout) =>
        RunAsync([program, .. arguments], null, timeout, CancellationToken.None).GetAwaiter().GetResult();
}
