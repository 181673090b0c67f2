using System.Text.RegularExpressions;
using Ccwb.Contract.CommandLine;
using Ccwb.Testing.Processes;

namespace Ccwb.UserSetup.Tests;

/// <summary>
/// The program's commands and options, read from its own help, are the ones the contract declares: the check of the
/// files the toolkit generates (install.bat, the MSI's custom actions) trusts the declaration.
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

    /// <summary>The lines of one section of System.CommandLine's help, without their indentation.</summary>
    private static IEnumerable<string> Section(string help, string title) =>
        help.Split('\n').SkipWhile(line => line.TrimEnd() != title + ":").Skip(1)
            .TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal)).Select(line => line.Trim());

    [GeneratedRegex("--([a-z][a-z-]*)")]
    private static partial Regex OptionName();
}
