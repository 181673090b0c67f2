namespace Ccwb.Bedrock;

/// <summary>
/// The Claude models offered on Bedrock, their cross-region inference profiles and regions. One table feeds
/// validation, CloudFormation parameters, Claude Code settings and MDM model lists.
/// </summary>
/// <remarks>
/// Kept as a C# table rather than an embedded JSON file: the end-user binaries are trimmed / native AOT, and a table
/// needs no serializer and cannot fail to load. Order matters: it is the registry order used by tier fallbacks.
/// </remarks>
public static class ModelCatalogue
{
    /// <summary>Every model, in registry order.</summary>
    public static IReadOnlyList<ClaudeModel> Models { get; } = ModelTable.Build();

    private static readonly Dictionary<string, ClaudeModel> ByKey =
        Models.ToDictionary(m => m.Key, StringComparer.Ordinal);

    /// <summary>The model with this registry key, or null.</summary>
    public static ClaudeModel? Find(string? key) => key is not null && ByKey.TryGetValue(key, out var m) ? m : null;

    /// <summary>
    /// The model and profile behind an inference profile id such as <c>us.anthropic.claude-sonnet-4-6</c>, or null.
    /// Legacy prefixes are not accepted here: a model id is what Bedrock is called with, so it must be exact.
    /// </summary>
    public static (ClaudeModel Model, InferenceProfile Profile)? FindByModelId(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId)) return null;
        foreach (var model in Models)
            foreach (var profile in model.Profiles)
                if (profile.ModelId == modelId) return (model, profile);
        return null;
    }

    /// <summary>Every model offered through a profile, in registry order.</summary>
    public static IReadOnlyList<(ClaudeModel Model, InferenceProfile Profile)> InProfile(string? profileKey)
    {
        var key = CrossRegionProfiles.Normalize(profileKey);
        return [.. Models.Select(m => (Model: m, Profile: m.Profile(key))).Where(x => x.Profile is not null)
                         .Select(x => (x.Model, x.Profile!))];
    }

    /// <summary>
    /// Models usable from a partition, each with its profiles there (GovCloud offers only the <c>-govcloud</c> entries,
    /// commercial never them); registry order.
    /// </summary>
    public static IReadOnlyList<ClaudeModel> InPartition(AwsPartition partition) =>
        [.. Models.Select(m => m with { Profiles = [.. m.Profiles.Where(p => AwsPartitions.ForRegion(p.SourceRegions[0]) == partition)] })
                  .Where(m => m.Profiles.Count > 0)];
}
