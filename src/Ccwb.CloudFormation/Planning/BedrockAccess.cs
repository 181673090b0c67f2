using System.Text.RegularExpressions;
using Ccwb.Bedrock;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>What the Bedrock policy grants: which inference profiles, from which regions.</summary>
/// <param name="InferenceProfileIds">The selected model first, then the models Claude Code uses per tier.</param>
/// <param name="AllowedRegions">Real regions only (sentinels expanded), always including <paramref name="SourceRegion"/>.</param>
/// <param name="ApplicationInferenceProfileArns">The profile's per-tier application inference profiles, if any.</param>
internal sealed partial record BedrockAccess(
    IReadOnlyList<string> InferenceProfileIds,
    IReadOnlyList<string> AllowedRegions,
    string SourceRegion,
    IReadOnlyList<string> ApplicationInferenceProfileArns)
{
    /// <summary>The template has this many inference-profile slots; selected + one per tier never exceeds it.</summary>
    public const int MaxInferenceProfiles = 5;

    private static readonly ModelTier[] Tiers = [ModelTier.Sonnet, ModelTier.Haiku, ModelTier.Opus, ModelTier.Fable];

    [GeneratedRegex(@"^arn:(?<partition>aws|aws-us-gov|aws-cn):bedrock:(?<region>[a-z0-9-]+):\d{12}:application-inference-profile/[a-zA-Z0-9_-]+$")]
    private static partial Regex ApplicationProfileArn();

    public static BedrockAccess? Resolve(DeploymentProfile profile, InputErrors errors)
    {
        var partition = AwsPartitions.ForRegion(profile.AwsRegion);
        if (ModelCatalogue.FindByModelId(profile.SelectedModel) is not var (model, selected))
        {
            errors.Add("selected_model", string.IsNullOrEmpty(profile.SelectedModel)
                ? "is required: the Bedrock policy grants the selected model"
                : $"'{profile.SelectedModel}' is not a Claude inference profile id this toolkit knows (e.g. us.anthropic.claude-sonnet-4-6)");
            return null;
        }

        var profileKey = CrossRegionProfiles.Normalize(profile.CrossRegionProfile) ?? selected.ProfileKey;
        if (profileKey != selected.ProfileKey)
            errors.Add("cross_region_profile", $"'{profile.CrossRegionProfile}' does not match selected_model, a '{selected.ProfileKey}' profile");
        var modelPartition = AwsPartitions.ForRegion(selected.SourceRegions[0]);
        if (modelPartition != partition)
            errors.Add("selected_model", $"{model.DisplayName} via '{selected.ProfileKey}' runs in {modelPartition}, " +
                                         $"but aws_region {profile.AwsRegion} is in {partition}");

        var sourceField = string.IsNullOrWhiteSpace(profile.SelectedSourceRegion) ? "aws_region" : "selected_source_region";
        var source = CrossRegionProfiles.SourceRegion(profileKey, profile.SelectedSourceRegion, profile.AwsRegion);
        if (!selected.SourceRegions.Contains(source))
            errors.Add(sourceField, $"{source} cannot call {selected.ModelId}; its source regions are {string.Join(", ", selected.SourceRegions)}");

        var stored = profile.AllowedBedrockRegions.Count > 0 ? profile.AllowedBedrockRegions : selected.DestinationRegions;
        if (partition != AwsPartition.Commercial && stored.Any(r => string.Equals(r, BedrockRegions.AllCommercial, StringComparison.OrdinalIgnoreCase)))
            errors.Add("allowed_bedrock_regions", $"'{BedrockRegions.AllCommercial}' means commercial regions, but aws_region {profile.AwsRegion} is in {partition}");
        foreach (var region in stored.Where(r => !BedrockRegions.IsSentinel(r)))
        {
            if (!AwsRegions.IsKnown(region)) errors.Add("allowed_bedrock_regions", $"'{region}' is not an AWS region");
            else if (AwsPartitions.ForRegion(region) != partition)
                errors.Add("allowed_bedrock_regions", $"{region} is in {AwsPartitions.ForRegion(region)}, the deployment in {partition}");
        }
        var applicationProfiles = ApplicationProfiles(profile, partition, errors);
        // The caller's aws:RequestedRegion is the source region, which destination lists may lack (upstream gap);
        // an application inference profile is called in its own region.
        var allowed = BedrockRegions.Expand([.. stored, source, .. applicationProfiles.Select(a => a.Region)]);

        var ids = new List<string> { selected.ModelId };
        foreach (var tier in Tiers)
            if (ModelTiers.ResolveModelForTier(tier, profileKey) is { } resolved && !ids.Contains(resolved.Profile.ModelId))
                ids.Add(resolved.Profile.ModelId);
        return new BedrockAccess(ids, allowed, source, [.. applicationProfiles.Select(a => a.Arn).Distinct()]);
    }

    private static List<(string Arn, string Region)> ApplicationProfiles(DeploymentProfile profile, AwsPartition partition, InputErrors errors)
    {
        var found = new List<(string, string)>();
        foreach (var (field, arn) in (ReadOnlySpan<(string, string?)>)[
                     ("inference_profile_opus_arn", profile.InferenceProfileOpusArn),
                     ("inference_profile_sonnet_arn", profile.InferenceProfileSonnetArn),
                     ("inference_profile_haiku_arn", profile.InferenceProfileHaikuArn)])
        {
            if (string.IsNullOrWhiteSpace(arn)) continue;
            var match = ApplicationProfileArn().Match(arn.Trim());
            if (!match.Success)
                errors.Add(field, $"'{arn}' is not an application inference profile ARN (arn:<partition>:bedrock:<region>:<account>:application-inference-profile/<id>)");
            else if (match.Groups["partition"].Value != partition.Name || !AwsRegions.IsKnown(match.Groups["region"].Value) ||
                     AwsPartitions.ForRegion(match.Groups["region"].Value) != partition)
                errors.Add(field, $"'{arn}' is not in a known region of {partition}, the partition of aws_region {profile.AwsRegion}");
            else found.Add((arn.Trim(), match.Groups["region"].Value));
        }
        return found;
    }
}
