using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Ccwb.Testing.Processes;

/// <summary>Runs a real program to completion and returns what it did; tests assert on exit code and output.</summary>
public static class Run
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary>
    /// Runs <paramref name="program"/> with the inherited environment changed by <paramref name="environment"/>
    /// (a null value removes a variable). A program still running after <paramref name="timeoutSeconds"/> is killed
    /// and a <see cref="TimeoutException"/> names it.
    /// </summary>
    public static Result Tool(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 600, string? standardInput = null)
        => ToolAsync(program, arguments, workingDirectory, environment, timeoutSeconds, standardInput).GetAwaiter().GetResult();

    /// <inheritdoc cref="Tool"/>
    public static async Task<Result> ToolAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 600, string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var argumentList = arguments.ToArray();
        var command = Cli.Wrap(program).WithArguments(argumentList).WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null) command = command.WithWorkingDirectory(workingDirectory);
        if (environment is not null) command = command.WithEnvironmentVariables(environment);
        if (standardInput is not null) command = command.WithStandardInputPipe(PipeSource.FromString(standardInput, Encoding.UTF8));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            var result = await command.ExecuteBufferedAsync(Encoding.UTF8, timeout.Token);
            return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{program} {string.Join(' ', argumentList)} did not finish within {timeoutSeconds} s");
        }
    }

    /// <summary>Runs a program that must succeed: a non-zero exit fails the test with the program's output.</summary>
    public static Result Checked(string program, params string[] arguments)
    {
        var result = Tool(program, arguments);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    /// <summary>
    /// An environment for <see cref="Tool"/> made of exactly <paramref name="variables"/>: every other inherited
    /// variable is removed, so the program sees nothing of the test runner's own environment.
    /// </summary>
    public static Dictionary<string, string?> OnlyEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>()) environment[name] = null;
        foreach (var (name, value) in variables) environment[name] = value;
        return environment;
    }
}
