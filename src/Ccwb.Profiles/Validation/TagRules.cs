using System.Text.RegularExpressions;

namespace Ccwb.Profiles.Validation;

/// <summary>CloudFormation stack tags (propagated to every resource), checked against CloudFormation's tag rules.</summary>
internal static partial class TagRules
{
    private const int MaxTags = 50;

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")]
    private static partial Regex Allowed();

    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        if (p.Tags.Count > MaxTags) r.Error("tags", $"at most {MaxTags} tags are allowed (got {p.Tags.Count})");
        foreach (var (key, value) in p.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(key)) r.Error("tags", "Tag keys cannot be empty");
            else if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                r.Error($"tags.{key}", "Tag keys cannot start with 'aws:' (reserved by AWS)");
            else if (!Allowed().IsMatch(key))
                r.Error($"tags.{key}", "Tag keys may only contain letters, digits, spaces and _ . : / = + - @");
            if (key.Length > 128) r.Error($"tags.{key}", "Tag keys can be at most 128 characters");
            if (value is null) r.Error($"tags.{key}", "Tag values must be strings");
            else if (value.Length > 256) r.Error($"tags.{key}", "Tag values can be at most 256 characters");
            else if (!Allowed().IsMatch(value))
                r.Error($"tags.{key}", "Tag values may only contain letters, digits, spaces and _ . : / = + - @");
        }
    }
}
