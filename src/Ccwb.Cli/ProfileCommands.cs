using System.CommandLine;
using System.CommandLine.Help;

namespace Ccwb.Cli;

/// <summary><c>ccwb profile …</c>: inspect and validate deployment profiles.</summary>
internal static class ProfileCommands
{
    public static Command Create()
    {
        var profile = new Command("profile", "Inspect and validate deployment profiles.");
        profile.Subcommands.Add(Validate());
        // Like upstream, the bare group prints its subcommands rather than failing.
        profile.SetAction(parse => new HelpAction().Invoke(parse));
        return profile;
    }

    private static Command Validate()
    {
        var options = new ProfileOptions();
        var validate = new Command("validate",
            "Check a profile's own rules (package, deploy and Cowork files check theirs when they run) and print all errors and warnings. Exit 0 when valid, 1 when not.");
        options.AddTo(validate);
        validate.SetAction(parse =>
        {
            var output = Console.Out;
            var result = options.Load(parse, output);
            Findings.Print(Console.Error, result.Messages);

            var errors = result.Errors.Count();
            var warnings = result.Warnings.Count();
            var name = result.Profile?.Name;
            if (result.Succeeded)
                output.WriteLine($"Profile '{name}' is valid{(warnings == 0 ? "" : $" ({Count(warnings, "warning")})")}.");
            else if (result.Profile is null)
                output.WriteLine("The profile could not be loaded.");
            else
                output.WriteLine($"Profile '{name}' is not valid: {Count(errors, "error")}, {Count(warnings, "warning")}.");
            return result.Succeeded ? 0 : 1;
        });
        return validate;
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
