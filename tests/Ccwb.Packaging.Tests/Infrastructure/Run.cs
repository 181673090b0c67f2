using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>Runs a real program and returns what it did; tests assert on exit code and output.</summary>
public static class Run
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public static Result Tool(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 600)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var command = Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null) command = command.WithWorkingDirectory(workingDirectory);
        if (environment is not null) command = command.WithEnvironmentVariables(environment);
        var result = command.ExecuteBufferedAsync(Encoding.UTF8, timeout.Token).GetAwaiter().GetResult();
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public static Result Checked(string program, params string[] arguments)
    {
        var result = Tool(program, arguments);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {result}");
        return result;
    }
}
