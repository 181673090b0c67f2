namespace Ccwb.Profiles;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>One finding about a profile, reported as <c>field: message</c>.</summary>
public sealed record ProfileMessage(string Field, string Message, Severity Severity = Severity.Error)
{
    public override string ToString() => $"{Field}: {Message}";

    /// <summary>
    /// The line every command and the build print: <c>error: field: message</c> or <c>warning: field: message</c>.
    /// Control characters (from profile values) become '?', so a profile cannot drive the terminal.
    /// </summary>
    public string ToLine() =>
        string.Concat($"{(Severity == Severity.Error ? "error" : "warning")}: {Field}: {Message}".Select(c => char.IsControl(c) ? '?' : c));
}

/// <summary>The outcome of loading a profile: the profile, or the errors that prevented it (never an exception).</summary>
public sealed record ProfileLoadResult(DeploymentProfile? Profile, IReadOnlyList<ProfileMessage> Messages)
{
    public bool Succeeded => Profile is not null && !Messages.Any(m => m.Severity == Severity.Error);

    public IEnumerable<ProfileMessage> Errors => Messages.Where(m => m.Severity == Severity.Error);

    public IEnumerable<ProfileMessage> Warnings => Messages.Where(m => m.Severity == Severity.Warning);
}
