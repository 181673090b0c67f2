using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>
/// Collects field-named errors while a plan is built, starting from the profile validator's deploy findings; a field
/// already reported is not reported again by the template checks.
/// </summary>
internal sealed class InputErrors(IReadOnlyList<ProfileMessage> findings)
{
    private readonly List<ProfileMessage> _findings = [.. findings];

    public bool Any => _findings.Exists(f => f.Severity == Severity.Error);

    public bool Has(string field) => _findings.Exists(e => e.Field == field && e.Severity == Severity.Error);

    public void Add(string field, string message)
    {
        if (!Has(field)) _findings.Add(new ProfileMessage(field, message));
    }

    /// <exception cref="ProfileFindingsException">Some error was found.</exception>
    public void ThrowIfAny()
    {
        if (Any) throw new ProfileFindingsException([.. _findings]);
    }
}
