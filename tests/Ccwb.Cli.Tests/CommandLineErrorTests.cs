using Ccwb.Testing;

namespace Ccwb.Cli.Tests;

/// <summary>
/// Mistakes on the command line, whatever the command, come out in the one error format
/// (<c>error: subject: message</c> on stderr, exit 1), without System.CommandLine's own text or the help page.
/// </summary>
public sealed class CommandLineErrorTests
{
    [Theory]
    [InlineData("error: --profile-file: use either --profile or --profile-file, not both", "status", "--profile", "a", "--profile-file", "b.json")]
    [InlineData("error: --profile-file: use either --profile or --profile-file, not both", "distribute", "--profile", "a", "--profile-file", "b.json")]
    [InlineData("error: --expires-hours: 'abc' is not a whole number", "distribute", "--expires-hours", "abc")]
    [InlineData("error: --expires-hours: Required argument missing for option: '--expires-hours'", "distribute", "--expires-hours")]
    [InlineData("error: ccwb status: Unrecognized command or argument '--bogus'", "status", "--bogus")]
    [InlineData("error: file: Required argument missing for command: 'import'", "config", "import")]
    [InlineData("error: ccwb: Required command was not provided")]
    [InlineData("error: --clock-endpoint: 'ftp://x' is not an http(s) URL", "doctor", "--clock-endpoint", "ftp://x")]
    public void A_parse_error_is_one_error_line_and_exit_1(string expected, params string[] args)
    {
        using var home = new TempDirectory("ccwb-parse");

        var result = Ccwb.Run(home.Path, null, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected + "\n", result.Error.ReplaceLineEndings("\n"));
        Assert.Equal("", result.Output);
        Assert.False(Directory.Exists(home.Combine(".ccwb")), "a refused command line wrote nothing");
    }

    [Fact]
    public void Every_problem_on_the_line_is_reported()
    {
        using var home = new TempDirectory("ccwb-parse");

        var result = Ccwb.Run(home.Path, null, "distribute", "--expires-hours", "abc", "--bogus");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: ccwb distribute: Unrecognized command or argument '--bogus'\nerror: --expires-hours: 'abc' is not a whole number\n",
            result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Help_still_works_on_a_line_with_a_mistake()
    {
        using var home = new TempDirectory("ccwb-parse");

        var result = Ccwb.Run(home.Path, null, "status", "--bogus", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ccwb status [options]", result.Output, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }
}
