namespace Ccwb.Profiles;

/// <summary>The profile cannot be used for what was asked; raised before anything is written or run.</summary>
public sealed class ProfileFindingsException(IReadOnlyList<ProfileMessage> findings)
    : Exception("The profile cannot be used:\n" + string.Join("\n", findings.Where(f => f.Severity == Severity.Error).Select(f => "  " + f)))
{
    /// <summary>Every finding, warnings included, in the order the rules reported them.</summary>
    public IReadOnlyList<ProfileMessage> Findings { get; } = findings;

    public IReadOnlyList<ProfileMessage> Errors { get; } = [.. findings.Where(f => f.Severity == Severity.Error)];
}
