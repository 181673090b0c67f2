using System.Text.RegularExpressions;

namespace Ccwb.CloudFormation.Planning;

/// <summary>Stack-level tags from the profile, checked against CloudFormation's tag rules.</summary>
internal static partial class StackTags
{
    public const int MaxTags = 50;

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")]
    private static partial Regex Allowed();

    public static IReadOnlyList<StackTag> From(IReadOnlyDictionary<string, string> tags, InputErrors errors)
    {
        if (tags.Count > MaxTags) errors.Add("tags", $"{tags.Count} tags; CloudFormation allows at most {MaxTags} per stack");
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128) errors.Add("tags", $"key '{key}' must be 1-128 characters");
            else if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                errors.Add("tags", $"key '{key}' starts with 'aws:', which is reserved for AWS");
            else if (!Allowed().IsMatch(key)) errors.Add("tags", $"key '{key}' may only contain letters, digits, spaces and _ . : / = + - @");
            if (value.Length > 256) errors.Add("tags", $"value of '{key}' is {value.Length} characters; at most 256 are allowed");
            else if (!Allowed().IsMatch(value)) errors.Add("tags", $"value of '{key}' may only contain letters, digits, spaces and _ . : / = + - @");
        }
        return [.. tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new StackTag(t.Key, t.Value))];
    }
}
