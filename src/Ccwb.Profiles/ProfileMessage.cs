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
}

/// <summary>The outcome of loading a profile: the profile, or the errors that prevented it (never an exception).</summary>
public sealed record ProfileLoadResult(DeploymentProfile? Profile, IReadOnlyList<ProfileMessage> Messages)
{
    public bool Succeeded => Profile is not null && !Messages.Any(m => m.Severity == Severity.Error);

    public IEnumerable<ProfileMessage> Errors => Messages.Where(m => m.Severity == Severity.Error);

    public IEnumerable<ProfileMessage> Warnings => Messages.Where(m => m.Severity == Severity.Warning);
}
