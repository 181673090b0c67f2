using System.Text.RegularExpressions;
using Ccwb.Contract.CommandLine;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.UserSetup.Tests;

/// <summary>
/// The program as install.bat runs it: its commands and options, read from its own help, are the ones the contract
/// declares (the check of the files the toolkit generates trusts the declaration), and a failure is one line.
/// </summary>
public sealed partial class CommandSurfaceTests
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "ccwb-user-setup.dll");

    private static string Help(params string[] command)
    {
        var run = Run.Tool("dotnet", [Program, .. command, "--help"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Output;
    }

    [Fact]
    public void The_program_has_the_commands_the_contract_declares()
    {
        var commands = Section(Help(), "Commands").Select(line => line.Split(' ', 2)[0]);

        Assert.Equal(ShippedPrograms.UserSetup.Subcommands.Select(c => c.Name), commands);
    }

    public static TheoryData<string> Commands => [.. ShippedPrograms.UserSetup.Subcommands.Select(c => c.Name)];

    [Theory, MemberData(nameof(Commands))]
    public void Each_command_has_the_options_the_contract_declares(string command)
    {
        var options = Section(Help(command), "Options").Select(line => OptionName().Match(line).Groups[1].Value).Where(name => name != "help");

        Assert.Equal(ShippedPrograms.UserSetup.Subcommands.Single(c => c.Name == command).Flags.Select(f => f.Name), options);
    }

    [Fact]
    public void A_package_settings_file_that_cannot_be_read_is_one_line_on_stderr_and_in_the_log_and_nothing_is_written()
    {
        using var home = new TempDirectory("ccwb-user-setup-program");
        var output = home.Combine("ClaudeCode", "managed-settings.json");
        var missing = home.Combine("claude-settings", "managed-settings.json");

        var run = Run.Tool("dotnet", [Program, "managed-settings", "--settings", missing, "--output", output], environment: new Dictionary<string, string?>
        {
            ["HOME"] = home.Path, ["XDG_DATA_HOME"] = home.Combine("data"),
        });

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"ccwb-user-setup: managed-settings failed: The package's file {missing} cannot be read: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(home.Combine("ClaudeCode")));
        Assert.Contains("managed-settings failed: ", File.ReadAllText(home.Combine("data", "claude-code-with-bedrock", "user-setup.log")), StringComparison.Ordinal);
    }

    /// <summary>The lines of one section of System.CommandLine's help, without their indentation.</summary>
    private static IEnumerable<string> Section(string help, string title) =>
        help.Split('\n').SkipWhile(line => line.TrimEnd() != title + ":").Skip(1)
            .TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal)).Select(line => line.Trim());

    [GeneratedRegex("--([a-z][a-z-]*)")]
    private static partial Regex OptionName();
}
