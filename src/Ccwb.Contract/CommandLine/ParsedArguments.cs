namespace Ccwb.Contract.CommandLine;

/// <summary>The outcome of <see cref="ProgramSurface.Parse"/>: the flags given, or the reason the arguments were refused.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);
    private readonly List<Flag> _used = [];
    private readonly List<string> _positionals = [];

    internal ParsedArguments(string? subcommand) => Subcommand = subcommand;

    private ParsedArguments(string error, bool _) => Error = error;

    internal static ParsedArguments Failed(string error) => new(error, false);

    /// <summary>Why the arguments were refused (Go's wording), or null when they parsed.</summary>
    public string? Error { get; }

    public string? Subcommand { get; }

    /// <summary>Arguments after the flags (Go stops at the first non-flag).</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>The flags that were given and are not available in this version (the program refuses to run them).</summary>
    public IEnumerable<Flag> UnavailableFlags => _used.Where(f => !f.Available).Distinct();

    /// <summary>Every flag given, in order (repeats included), whatever its value.</summary>
    public IReadOnlyList<Flag> GivenFlags => _used;

    /// <summary>Whether a switch is on, by its long name.</summary>
    public bool Has(string name) => _switches.Contains(name);

    /// <summary>The last value given under exactly this spelling (<c>p</c> and <c>profile</c> are told apart), or null.</summary>
    public string? Value(string spelling) => _values.TryGetValue(spelling, out var values) ? values[^1] : null;

    /// <summary>Every value of a repeatable flag, under its long name and short alias, in order.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var values) ? values : [];

    internal void SetSwitch(Flag flag, bool on)
    {
        _used.Add(flag);
        if (on) _switches.Add(flag.Name);
        else _switches.Remove(flag.Name);
    }

    internal void SetValue(Flag flag, string spelling, string value)
    {
        _used.Add(flag);
        Add(spelling, value);
        if (spelling != flag.Name && flag.Repeatable) Add(flag.Name, value);
    }

    private void Add(string key, string value)
    {
        if (!_values.TryGetValue(key, out var list)) _values[key] = list = [];
        list.Add(value);
    }

    internal void AddPositionals(IReadOnlyList<string> args, int from)
    {
        for (var i = from; i < args.Count; i++) _positionals.Add(args[i]);
    }
}
