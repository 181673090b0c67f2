using Ccwb.Profiles;

namespace Ccwb.Rendering;

/// <summary>The profile lacks something a requested file needs; nothing has been written.</summary>
public sealed class ProfileRequirementsException(IReadOnlyList<ProfileMessage> problems)
    : Exception("The profile cannot be rendered:\n" + string.Join("\n", problems.Select(p => "  " + p)))
{
    public IReadOnlyList<ProfileMessage> Problems { get; } = problems;
}
