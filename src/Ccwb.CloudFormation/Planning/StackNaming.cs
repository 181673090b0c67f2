using System.Text.RegularExpressions;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>Stack names <c>{base}-{suffix}</c>, where the base is the profile's <c>identity_pool_name</c>.</summary>
internal static partial class StackNaming
{
    public const int MaxBaseLength = 20;

    // The auth stack names its roles "<stack>-BedrockFederated" (17 characters); IAM role names stop at 64.
    public const int MaxAuthStackNameLength = 64 - 17;

    public static IReadOnlyDictionary<string, string> Suffixes { get; } = new Dictionary<string, string>
    {
        ["auth"] = "stack",
        ["networking"] = "networking",
        ["monitoring"] = "monitoring",
        ["dashboard"] = "dashboard",
        ["cowork-dashboard"] = "cowork-dashboard",
        ["analytics"] = "analytics",
        ["quota"] = "quota",
        ["distribution"] = "distribution",
    };

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]*$")]
    private static partial Regex StackNameShape();

    /// <summary>Checks the base name; upstream also allowed '_', which no CloudFormation stack name may contain.</summary>
    public static void ValidateBase(string baseName, InputErrors errors)
    {
        const string field = "identity_pool_name";
        if (string.IsNullOrEmpty(baseName)) errors.Add(field, "is required: it is the base of every stack name");
        else if (baseName.Length > MaxBaseLength)
            errors.Add(field, $"'{baseName}' is {baseName.Length} characters; at most {MaxBaseLength} are allowed");
        else if (!StackNameShape().IsMatch(baseName))
            errors.Add(field, $"'{baseName}' must start with a letter and contain only letters, digits and hyphens " +
                              "(CloudFormation stack names allow nothing else, so '_' is refused)");
    }

    /// <summary>The stack name for a kind: <c>stack_names.&lt;kind&gt;</c> when the profile sets it, else the default.</summary>
    public static string NameFor(DeploymentProfile profile, string kind, InputErrors errors)
    {
        if (profile.StackNames.TryGetValue(kind, out var custom) && !string.IsNullOrWhiteSpace(custom))
        {
            var max = kind == "auth" ? MaxAuthStackNameLength : 128;
            if (!StackNameShape().IsMatch(custom) || custom.Length > max)
                errors.Add($"stack_names.{kind}", $"'{custom}' is not a usable stack name: start with a letter, use " +
                                                  $"letters, digits and hyphens, at most {max} characters");
            return custom;
        }
        return $"{profile.IdentityPoolName}-{Suffixes[kind]}";
    }
}
