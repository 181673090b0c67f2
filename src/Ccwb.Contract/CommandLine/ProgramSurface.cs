using System.Text;

namespace Ccwb.Contract.CommandLine;

/// <summary>The operating systems a package is built for.</summary>
[Flags]
public enum Platforms
{
    None = 0,
    Windows = 1,
    MacOS = 2,
    Linux = 4,
    Unix = MacOS | Linux,
    All = Windows | MacOS | Linux,
}

/// <summary>
/// The command line of one program a package ships: its flags, or its subcommands and their flags. The program parses
/// its arguments with <see cref="Parse"/>, and the contract test checks every command a generated file runs against the
/// same surface, so the two cannot drift apart.
/// </summary>
/// <param name="name">The program's name without extension (<c>credential-process</c>).</param>
/// <param name="platforms">Where the packages ship it.</param>
/// <param name="summary">One line for the help text.</param>
public sealed class ProgramSurface(string name, Platforms platforms, string summary, IReadOnlyList<Flag> flags,
    IReadOnlyList<Subcommand>? subcommands = null)
{
    public string Name { get; } = name;
    public Platforms Platforms { get; } = platforms;
    public string Summary { get; } = summary;
    /// <summary>Flags accepted before any subcommand (all of them, for a program without subcommands).</summary>
    public IReadOnlyList<Flag> Flags { get; } = flags;
    public IReadOnlyList<Subcommand> Subcommands { get; } = subcommands ?? [];

    public bool Ships(Platforms platform) => (Platforms & platform) != 0;

    /// <summary>The flag by long or short name (without dashes), or null.</summary>
    public Flag? FindFlag(string name) => Find(Flags, name);

    /// <summary>Whether a flag of this name exists and is available in this version.</summary>
    public bool IsAvailable(string name) => FindFlag(name) is { Available: true };

    /// <summary>
    /// Parses with Go's <c>flag</c> rules, which upstream's programs use and installed wrappers rely on: <c>-x</c> and
    /// <c>--x</c> are the same, <c>--x=value</c> works, a switch takes <c>=true|false</c>, parsing stops at <c>--</c> or the
    /// first argument that is not a flag. A program with subcommands takes the subcommand first, then its flags.
    /// </summary>
    public ParsedArguments Parse(IReadOnlyList<string> args)
    {
        var start = 0;
        Subcommand? subcommand = null;
        var flags = Flags;
        if (Subcommands.Count > 0)
        {
            if (args.Count == 0 || args[0].StartsWith('-'))
                return ParsedArguments.Failed($"a command is required: {string.Join(" or ", Subcommands.Select(s => s.Name))}");
            subcommand = Subcommands.FirstOrDefault(s => s.Name == args[0]);
            if (subcommand is null)
                return ParsedArguments.Failed($"unknown command \"{args[0]}\" (commands: {string.Join(", ", Subcommands.Select(s => s.Name))})");
            flags = subcommand.Flags;
            start = 1;
        }
        return ParseFlags(args, start, flags, subcommand?.Name);
    }

    private static ParsedArguments ParseFlags(IReadOnlyList<string> args, int start, IReadOnlyList<Flag> flags, string? subcommand)
    {
        var result = new ParsedArguments(subcommand);
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.AddPositionals(args, i + 1);
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                result.AddPositionals(args, i);
                break;
            }
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? inline = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }
            var flag = Find(flags, name);
            if (flag is null) return ParsedArguments.Failed($"flag provided but not defined: -{name}");
            if (flag.Kind == FlagKind.Switch)
            {
                if (inline is null || IsTrue(inline)) result.SetSwitch(flag, true);
                else if (IsFalse(inline)) result.SetSwitch(flag, false);
                else return ParsedArguments.Failed($"invalid boolean value \"{inline}\" for -{name}");
                continue;
            }
            var value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Count) return ParsedArguments.Failed($"flag needs an argument: -{name}");
                value = args[++i];
            }
            result.SetValue(flag, name, value);
        }
        return result;
    }

    private static Flag? Find(IReadOnlyList<Flag> flags, string name)
    {
        foreach (var flag in flags)
            if (flag.Name == name || flag.ShortName == name) return flag;
        return null;
    }

    // The spellings Go's strconv.ParseBool accepts.
    private static bool IsTrue(string value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";

    private static bool IsFalse(string value) => value is "0" or "f" or "F" or "false" or "FALSE" or "False";

    /// <summary>The help text: usage line, summary, and every available flag with its help.</summary>
    public string Usage()
    {
        var text = new StringBuilder();
        text.Append("Usage: ").Append(Name).Append(Subcommands.Count > 0 ? " <command> [flags]" : " [flags]").Append("\n\n");
        text.Append(Summary).Append('\n');
        if (Flags.Any(f => f.Available)) AppendFlags(text, "Flags", Flags);
        foreach (var command in Subcommands)
        {
            text.Append('\n').Append(command.Name).Append(": ").Append(command.Summary).Append('\n');
            AppendFlags(text, null, command.Flags);
        }
        return text.ToString();
    }

    private static void AppendFlags(StringBuilder text, string? heading, IReadOnlyList<Flag> flags)
    {
        if (heading is not null) text.Append('\n').Append(heading).Append(":\n");
        foreach (var flag in flags.Where(f => f.Available))
        {
            var names = (flag.ShortName is null ? "" : $"-{flag.ShortName}, ") + "--" + flag.Name +
                        (flag.Kind == FlagKind.Value ? " " + (flag.ValueName ?? "VALUE") : "");
            text.Append("  ").Append(names.PadRight(28)).Append(' ').Append(flag.Help).Append('\n');
        }
    }
}

/// <summary>A subcommand (<c>ccwb-user-setup install</c>) and its flags.</summary>
public sealed record Subcommand(string Name, string Summary, IReadOnlyList<Flag> Flags);
