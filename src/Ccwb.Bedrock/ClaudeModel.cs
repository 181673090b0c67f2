namespace Ccwb.Bedrock;

/// <summary>A Claude model in the catalogue and the cross-region inference profiles it is offered through.</summary>
/// <param name="Key">Registry key stored in profiles, e.g. <c>sonnet-4-6</c>.</param>
/// <param name="DisplayName">e.g. <c>Claude Sonnet 4.6</c>.</param>
/// <param name="BaseModelId">Foundation model id without a profile prefix, e.g. <c>anthropic.claude-sonnet-4-6</c>.</param>
public sealed record ClaudeModel(string Key, string DisplayName, string BaseModelId, IReadOnlyList<InferenceProfile> Profiles)
{
    /// <summary>The profile for a key (legacy keys such as <c>europe</c> accepted), or null when not offered.</summary>
    public InferenceProfile? Profile(string? profileKey)
    {
        var key = CrossRegionProfiles.Normalize(profileKey);
        return Profiles.FirstOrDefault(p => p.ProfileKey == key);
    }

    /// <summary>True for the GovCloud-only entries (their profiles are all <c>us-gov</c>).</summary>
    public bool IsGovCloud => Profiles.All(p => p.ProfileKey == CrossRegionProfiles.UsGov);
}

/// <summary>One cross-region inference profile of a model.</summary>
/// <param name="ProfileKey">One of <see cref="CrossRegionProfiles.All"/>.</param>
/// <param name="SourceRegions">Regions a caller may send requests from (the IAM <c>aws:RequestedRegion</c>).</param>
/// <param name="DestinationRegions">Regions Bedrock may route to; may be the <see cref="BedrockRegions.AllCommercial"/> sentinel.</param>
public sealed record InferenceProfile(
    string ProfileKey,
    string BaseModelId,
    string Description,
    IReadOnlyList<string> SourceRegions,
    IReadOnlyList<string> DestinationRegions)
{
    /// <summary>The inference profile id callers pass as the model id: <c>{profileKey}.{baseModelId}</c>.</summary>
    public string ModelId => $"{ProfileKey}.{BaseModelId}";

    /// <summary>Destination regions with the sentinel expanded.</summary>
    public IReadOnlyList<string> ExpandedDestinationRegions => BedrockRegions.Expand(DestinationRegions);
}
