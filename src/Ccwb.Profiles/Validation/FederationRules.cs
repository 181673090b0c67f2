using Ccwb.Bedrock;

namespace Ccwb.Profiles.Validation;

/// <summary>How an OIDC token becomes AWS credentials: direct STS or a Cognito identity pool.</summary>
internal static class FederationRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        if (p.EffectiveAuthType != "oidc") return;

        r.OneOf("federation_type", p.FederationType, "cognito", "direct");

        if (p.FederationType == "direct" && string.IsNullOrWhiteSpace(p.FederatedRoleArn))
        {
            // The role is created by the auth stack, so a new profile has no ARN yet; upstream wrongly refused that.
            r.Warning("federated_role_arn", "not set yet: 'ccwb deploy auth' creates the role and records its ARN; packages need it");
        }
        else if (!string.IsNullOrWhiteSpace(p.FederatedRoleArn))
        {
            ArnRules.CheckInPartition(r, "federated_role_arn", p.FederatedRoleArn, p.AwsRegion);
        }

        // The IAM role's MaxSessionDuration accepts only this range; outside it the auth stack fails to deploy.
        if (p.MaxSessionDuration is < 3600 or > 43200)
            r.Error("max_session_duration", $"Must be a number between 3600 and 43200 (got {p.MaxSessionDuration})");
    }
}

internal static class ArnRules
{
    /// <summary>Checks the ARN shape and that its partition is the one <paramref name="awsRegion"/> is in.</summary>
    public static void CheckInPartition(ValidationReport r, string field, string arn, string awsRegion)
    {
        var match = Patterns.Arn().Match(arn);
        if (!match.Success)
        {
            r.Error(field, $"Invalid {field} format: {arn}");
            return;
        }
        var expected = AwsPartitions.ForRegion(awsRegion).Name;
        var actual = match.Groups["partition"].Value;
        if (AwsRegions.IsKnown(awsRegion) && actual != expected)
            r.Error(field, $"is in partition '{actual}' but aws_region {awsRegion} is in '{expected}'");
    }
}
