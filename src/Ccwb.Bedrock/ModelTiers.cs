namespace Ccwb.Bedrock;

/// <summary>The model families Claude Code has a default for (ANTHROPIC_DEFAULT_*_MODEL).</summary>
public enum ModelTier
{
    Haiku,
    Sonnet,
    Opus,
    Fable,
}

/// <summary>Picks the model for a tier in a cross-region profile.</summary>
public static class ModelTiers
{
    /// <summary>Preferred models per tier, best first; a tier's model may be stood in for by a close neighbour.</summary>
    public static IReadOnlyDictionary<ModelTier, IReadOnlyList<string>> Preferences { get; } =
        new Dictionary<ModelTier, IReadOnlyList<string>>
        {
            [ModelTier.Haiku] = ["haiku-4-5", "sonnet-4-6", "sonnet-4-5", "sonnet-4-5-govcloud", "sonnet-4"],
            [ModelTier.Sonnet] = ["sonnet-5", "sonnet-4-6", "sonnet-4-5", "sonnet-4-5-govcloud", "sonnet-4", "sonnet-3-7", "sonnet-3-7-govcloud"],
            [ModelTier.Opus] = ["opus-4-8", "opus-4-8-govcloud", "opus-4-7", "opus-4-6", "opus-4-5", "opus-4-1", "opus-4"],
            [ModelTier.Fable] = ["fable-5"],
        };

    // Where a non-residency profile (us, apac, global) looks when none of the tier's models is offered in it.
    private static readonly string[] OpenFallbacks = [CrossRegionProfiles.Global, CrossRegionProfiles.Us];

    /// <summary>
    /// The model and profile to use for <paramref name="tier"/> when the deployment uses <paramref name="profileKey"/>:
    /// the first preferred model offered in that profile; else, for data-residency profiles (au, jp, eu, us-gov), the
    /// first model of any tier offered there (traffic never leaves the jurisdiction); else the first preferred model in
    /// <c>global</c>, then in <c>us</c>. Null when nothing fits (unknown profile, or a residency profile with no model).
    /// </summary>
    public static (ClaudeModel Model, InferenceProfile Profile)? ResolveModelForTier(ModelTier tier, string? profileKey)
    {
        var key = CrossRegionProfiles.Normalize(profileKey);
        if (key is null || !CrossRegionProfiles.IsKnown(key)) return null;

        if (FirstPreferred(tier, key) is { } preferred) return preferred;

        if (CrossRegionProfiles.DataResidency.Contains(key))
            return ModelCatalogue.InProfile(key) is [var first, ..] ? first : null;

        foreach (var fallback in OpenFallbacks)
            if (FirstPreferred(tier, fallback) is { } found) return found;
        return null;
    }

    private static (ClaudeModel, InferenceProfile)? FirstPreferred(ModelTier tier, string profileKey)
    {
        foreach (var modelKey in Preferences[tier])
            if (ModelCatalogue.Find(modelKey) is { } model && model.Profile(profileKey) is { } profile)
                return (model, profile);
        return null;
    }
}
