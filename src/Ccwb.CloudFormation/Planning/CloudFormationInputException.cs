using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>The profile holds values the templates cannot take; raised before any file is written or command run.</summary>
public sealed class CloudFormationInputException(IReadOnlyList<ProfileMessage> errors)
    : Exception("The profile cannot be deployed:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<ProfileMessage> Errors { get; } = errors;
}

/// <summary>Collects field-named errors while a plan is built.</summary>
internal sealed class InputErrors
{
    private readonly List<ProfileMessage> _errors = [];

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.Exists(e => e.Field == field);

    public void Add(string field, string message) => _errors.Add(new ProfileMessage(field, message));

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new CloudFormationInputException([.. _errors]);
    }
}
