using Ccwb.Bedrock;

namespace Ccwb.Profiles.Validation;

/// <summary>Deployment region, Bedrock regions, cross-region inference profile and model.</summary>
internal static class RegionRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        var regionKnown = false;
        if (string.IsNullOrWhiteSpace(p.AwsRegion)) r.Error("aws_region", "AWS region is required");
        else if (!AwsRegions.IsKnown(p.AwsRegion)) r.Error("aws_region", $"Invalid aws_region: {p.AwsRegion}");
        else regionKnown = true;
        var partition = AwsPartitions.ForRegion(p.AwsRegion);

        CheckAllowedRegions(p, r, regionKnown, partition);
        CheckCrossRegionProfile(p, r, regionKnown, partition);
        CheckRegionField(r, "selected_source_region", p.SelectedSourceRegion, regionKnown, partition);
        CheckRegionField(r, "codebuild_region", p.CodebuildRegion, regionKnown, partition);
        CheckSelectedModel(p, r);

        CheckInferenceProfileArn(r, "inference_profile_opus_arn", p.InferenceProfileOpusArn);
        CheckInferenceProfileArn(r, "inference_profile_sonnet_arn", p.InferenceProfileSonnetArn);
        CheckInferenceProfileArn(r, "inference_profile_haiku_arn", p.InferenceProfileHaikuArn);
    }

    private static void CheckAllowedRegions(DeploymentProfile p, ValidationReport r, bool regionKnown, AwsPartition partition)
    {
        foreach (var region in p.AllowedBedrockRegions)
        {
            if (region == BedrockRegions.AllCommercial)
            {
                if (regionKnown && partition != AwsPartition.Commercial)
                    r.Error("allowed_bedrock_regions", $"'{region}' cannot be used with aws_region {p.AwsRegion} ({partition.Name})");
            }
            else if (!AwsRegions.IsKnown(region))
                r.Warning("allowed_bedrock_regions", $"Unknown Bedrock region: {region}");
            else if (regionKnown && AwsPartitions.ForRegion(region) != partition)
                r.Error("allowed_bedrock_regions", $"{region} is not in the partition of aws_region {p.AwsRegion} ({partition.Name})");
        }

        if (regionKnown && p.AllowedBedrockRegions.Count > 0 && !BedrockRegions.Expand(p.AllowedBedrockRegions).Contains(p.AwsRegion))
            r.Warning("aws_region", $"Region '{p.AwsRegion}' not in allowed_bedrock_regions: {string.Join(", ", p.AllowedBedrockRegions)}");
    }

    private static void CheckCrossRegionProfile(DeploymentProfile p, ValidationReport r, bool regionKnown, AwsPartition partition)
    {
        if (string.IsNullOrEmpty(p.CrossRegionProfile)) return;
        // Upstream warned on au, jp and us-gov, which are real profiles; legacy europe/japan mean eu/jp.
        if (!CrossRegionProfiles.IsKnown(p.CrossRegionProfile))
        {
            r.Warning("cross_region_profile",
                $"Unknown cross_region_profile: {p.CrossRegionProfile} (expected one of {string.Join(", ", CrossRegionProfiles.All)})");
            return;
        }
        var key = CrossRegionProfiles.Normalize(p.CrossRegionProfile)!;
        var govProfile = key == CrossRegionProfiles.UsGov;
        if (regionKnown && govProfile != (partition == AwsPartition.GovCloud))
            r.Error("cross_region_profile", govProfile
                ? $"'us-gov' needs a GovCloud aws_region, not {p.AwsRegion}"
                : $"'{p.CrossRegionProfile}' is not available in GovCloud; use 'us-gov' with aws_region {p.AwsRegion}");

        if (p.SelectedModel is { } model && model.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
        {
            var prefix = model[..dot];
            if (CrossRegionProfiles.All.Contains(prefix) && prefix != key)
                r.Warning("selected_model", $"{model} belongs to the '{prefix}' profile but cross_region_profile is '{p.CrossRegionProfile}'");
        }
    }

    // Warnings only: AWS adds models faster than the catalogue is updated.
    private static void CheckSelectedModel(DeploymentProfile p, ValidationReport r)
    {
        if (string.IsNullOrWhiteSpace(p.SelectedModel) || p.SelectedModel.StartsWith("arn:", StringComparison.Ordinal)) return;
        if (ModelCatalogue.FindByModelId(p.SelectedModel) is not { } found)
        {
            r.Warning("selected_model", $"{p.SelectedModel} is not in the model catalogue; check the id");
            return;
        }
        // Requests are sent from the source region; one the inference profile does not list is refused by Bedrock.
        if (!string.IsNullOrEmpty(p.SelectedSourceRegion) && AwsRegions.IsKnown(p.SelectedSourceRegion) &&
            !found.Profile.SourceRegions.Contains(p.SelectedSourceRegion))
            r.Warning("selected_source_region",
                $"{p.SelectedSourceRegion} is not a source region of {p.SelectedModel} ({string.Join(", ", found.Profile.SourceRegions)})");
    }

    private static void CheckRegionField(ValidationReport r, string field, string? region, bool regionKnown, AwsPartition partition)
    {
        if (string.IsNullOrEmpty(region)) return;
        if (!AwsRegions.IsKnown(region)) r.Error(field, $"Invalid {field}: {region}");
        else if (regionKnown && AwsPartitions.ForRegion(region) != partition)
            r.Error(field, $"{region} is not in the partition of aws_region ({partition.Name})");
    }

    private static void CheckInferenceProfileArn(ValidationReport r, string field, string? arn)
    {
        if (string.IsNullOrEmpty(arn) || Patterns.ApplicationInferenceProfileArn().IsMatch(arn)) return;
        r.Error(field, "Invalid Application Inference Profile ARN. Expected format: " +
                       "arn:aws:bedrock:<region>:<account-id>:application-inference-profile/<profile-id>");
    }
}
