using System.Text.RegularExpressions;

namespace Ccwb.Profiles.Validation;

/// <summary>The regular expressions the rules share (upstream's, widened where upstream wrongly rejected GovCloud).</summary>
public static partial class Patterns
{
    [GeneratedRegex(@"^[a-zA-Z0-9_-]+$")]
    public static partial Regex StackBaseName();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9-]{0,127}$")]
    public static partial Regex StackName();

    // One DNS name: labels of 1-63 letters, digits and inner hyphens.
    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?)*$")]
    public static partial Regex Hostname();

    // Upstream's ^[a-z]{2}-[a-z]+-\d+_ rejected GovCloud pools (us-gov-west-1_…): allow any number of region words.
    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d+_[a-zA-Z0-9]+$")]
    public static partial Regex CognitoUserPoolId();

    [GeneratedRegex(@"^arn:(?<partition>[a-z\-]+):(?<service>[a-z0-9\-]+):(?<region>[a-z0-9\-]*):(?<account>\d{12}):.+$")]
    public static partial Regex Arn();

    [GeneratedRegex(@"^arn:(aws|aws-us-gov|aws-cn):bedrock:[a-z0-9-]+:\d{12}:application-inference-profile/[a-zA-Z0-9_-]+$")]
    public static partial Regex ApplicationInferenceProfileArn();

    [GeneratedRegex(@"^[0-9a-fA-F]{40}$")]
    public static partial Regex Sha1Hex();

    [GeneratedRegex(@"^\d{12}$")]
    public static partial Regex AccountId();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    public static partial Regex Guid();

    [GeneratedRegex(@"^[a-zA-Z0-9]{20}$")]
    public static partial Regex OktaClientId();

    [GeneratedRegex(@"^[a-zA-Z0-9]{32}$")]
    public static partial Regex Auth0ClientId();

    [GeneratedRegex(@"^[a-z0-9]{1,128}$")]
    public static partial Regex CognitoClientId();

    [GeneratedRegex(@"^[a-zA-Z0-9._-]{1,256}$")]
    public static partial Regex GoogleClientId();

    // Reverse-DNS identifier as Apple's PayloadIdentifier expects: at least two dot-separated parts.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)+$")]
    public static partial Regex ReverseDns();

    [GeneratedRegex(@"^[A-Za-z]:")]
    public static partial Regex DriveLetter();
}
