namespace Ccwb.Contract.CommandLine;

/// <summary>A switch (<c>--login</c>) or a flag that takes a value (<c>--profile NAME</c>).</summary>
public enum FlagKind
{
    Switch,
    Value,
}

/// <summary>One flag of a shipped program.</summary>
/// <param name="Name">The long name, without dashes.</param>
/// <param name="ShortName">A one-letter alias; Go's flag package keeps it a separate flag, so the parser records which was used.</param>
/// <param name="Available">
/// False for a flag upstream has that this version accepts on the command line but refuses to run. Generated files
/// may only use available flags (the contract test checks it).
/// </param>
/// <param name="Repeatable">A value flag that may be given more than once (each value is kept).</param>
public sealed record Flag(string Name, FlagKind Kind, string Help, string? ShortName = null, string? ValueName = null,
    bool Available = true, bool Repeatable = false)
{
    public static Flag Switch(string name, string help, string? shortName = null, bool available = true) =>
        new(name, FlagKind.Switch, help, shortName, Available: available);

    public static Flag Value(string name, string valueName, string help, string? shortName = null, bool available = true,
        bool repeatable = false) =>
        new(name, FlagKind.Value, help, shortName, valueName, available, repeatable);
}
