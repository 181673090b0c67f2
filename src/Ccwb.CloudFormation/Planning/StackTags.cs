namespace Ccwb.CloudFormation.Planning;

/// <summary>Stack-level tags from the profile (the profile validator's TagRules hold CloudFormation's tag rules).</summary>
internal static class StackTags
{
    public static IReadOnlyList<StackTag> From(IReadOnlyDictionary<string, string> tags) =>
        [.. tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new StackTag(t.Key, t.Value))];
}
