using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Ccwb.Cli;

/// <summary>
/// Command-line mistakes (an unknown option, a value of the wrong type, a missing argument, two options that exclude
/// each other) in the one error format, instead of System.CommandLine's own text followed by the help page:
/// <c>error: --expires-hours: 'abc' is not a whole number</c>, one line per problem, exit 1.
/// </summary>
internal static partial class ParseErrors
{
    public static int Print(ParseResult parse, TextWriter error)
    {
        foreach (var problem in parse.Errors)
            Findings.Fail(error, Subject(problem.SymbolResult ?? parse.CommandResult), Message(problem.Message));
        return 1;
    }

    /// <summary>The option or argument the problem is about, else the command it was given to (<c>ccwb status</c>).</summary>
    private static string Subject(SymbolResult symbol) => symbol switch
    {
        OptionResult option => option.Option.Name,
        ArgumentResult { Parent: OptionResult option } => option.Option.Name,
        ArgumentResult argument => argument.Argument.Name,
        CommandResult command => CommandPath(command),
        _ => "ccwb",
    };

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? at = command; at is CommandResult result; at = at.Parent)
            names.Insert(0, result.Command is RootCommand ? "ccwb" : result.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>
    /// The problem without a closing full stop, as every other error line; a value that did not convert is said in
    /// words an administrator knows rather than with a .NET type name.
    /// </summary>
    private static string Message(string message)
    {
        if (NotConverted().Match(message) is { Success: true } match)
            return $"'{match.Groups["value"].Value}' is not {TypeWords(match.Groups["type"].Value)}";
        return message.TrimEnd().TrimEnd('.');
    }

    private static string TypeWords(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
        "System.Double" or "System.Decimal" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        _ => "a valid " + type[(type.LastIndexOf('.') + 1)..],
    };

    // The text System.CommandLine gives a value its parser rejected (globalization is invariant, so always English).
    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command) '[^']*' as expected type '(?<type>[^']+)'\.?$", RegexOptions.Singleline)]
    private static partial Regex NotConverted();
}
