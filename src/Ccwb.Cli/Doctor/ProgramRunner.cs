using System.Diagnostics;

namespace Ccwb.Cli.Doctor;

/// <summary>Runs an installed program to completion with a time limit, as the checks do to see that it works.</summary>
internal static class ProgramRunner
{
    public sealed record Outcome(int ExitCode, string Output, string Error, bool TimedOut)
    {
        /// <summary>The first non-empty line of stderr, else of stdout: what a one-line summary quotes.</summary>
        public string FirstLine => FirstNonEmpty(Error) ?? FirstNonEmpty(Output) ?? "";

        private static string? FirstNonEmpty(string text) =>
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
    }

    public static Outcome Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Outcome(-1, output.Result, error.Result, TimedOut: true);
        }
        return new Outcome(process.ExitCode, output.Result, error.Result, TimedOut: false);
    }
}
