namespace Ccwb.Bedrock;

/// <summary>The kinds of token Bedrock bills separately (Claude Code's <c>type</c> attribute on its token metric).</summary>
public enum TokenKind
{
    Input,
    Output,
    CacheRead,
    CacheWrite,
}

/// <summary>On-demand prices of one model or family, in US dollars per million tokens.</summary>
public sealed record TokenPrices(decimal Input, decimal Output, decimal CacheRead, decimal CacheWrite)
{
    public decimal PerMillion(TokenKind kind) => kind switch
    {
        TokenKind.Input => Input,
        TokenKind.Output => Output,
        TokenKind.CacheRead => CacheRead,
        TokenKind.CacheWrite => CacheWrite,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>What <paramref name="tokens"/> tokens of <paramref name="kind"/> cost, in US dollars.</summary>
    public decimal Cost(TokenKind kind, decimal tokens) => tokens * PerMillion(kind) / 1_000_000m;
}

/// <summary>
/// The one price table for the toolkit (the quota service's usage monitor, cost limits, reports): Bedrock on-demand
/// prices per model family, with the few models priced apart from their family.
/// </summary>
/// <remarks>
/// Family prices are upstream's (its quota pricing module, "as of June 2026", from the Amazon Bedrock pricing page):
/// USD per million input / output / cache-read / cache-write tokens — Fable 10 / 50 / 1 / 12.5, Opus 5 / 25 / 0.5 /
/// 6.25, Sonnet 3 / 15 / 0.3 / 3.75, Haiku 1 / 5 / 0.1 / 1.25. Upstream prices every Opus at the family rate; Claude
/// Opus 4 and 4.1 are listed at 15 / 75 / 1.5 / 18.75 on the Amazon Bedrock and Anthropic public price lists, so they
/// have rows of their own here (upstream under-counts their spend threefold). Estimates, not a bill: committed
/// throughput, batch and negotiated prices differ.
/// </remarks>
public static class ModelPrices
{
    /// <summary>Prices per family.</summary>
    public static IReadOnlyDictionary<ModelTier, TokenPrices> Families { get; } = new Dictionary<ModelTier, TokenPrices>
    {
        [ModelTier.Fable] = new(10m, 50m, 1m, 12.5m),
        [ModelTier.Opus] = new(5m, 25m, 0.5m, 6.25m),
        [ModelTier.Sonnet] = new(3m, 15m, 0.3m, 3.75m),
        [ModelTier.Haiku] = new(1m, 5m, 0.1m, 1.25m),
    };

    /// <summary>Models (catalogue keys) whose price is not their family's.</summary>
    public static IReadOnlyDictionary<string, TokenPrices> Models { get; } = new Dictionary<string, TokenPrices>(StringComparer.Ordinal)
    {
        ["opus-4"] = new(15m, 75m, 1.5m, 18.75m),
        ["opus-4-1"] = new(15m, 75m, 1.5m, 18.75m),
    };

    /// <summary>The family a model id is billed as when nothing else tells (upstream's choice: the middle tier).</summary>
    public const ModelTier UnknownModelFamily = ModelTier.Sonnet;

    /// <summary>
    /// The prices for a model id as Claude Code reports it: an inference profile id (<c>us.anthropic.claude-opus-4-8</c>),
    /// a foundation model id, or a bare name (<c>claude-sonnet-4-6</c>). Catalogue models first, then the family named
    /// in the id, else <see cref="UnknownModelFamily"/>.
    /// </summary>
    public static TokenPrices For(string? modelId)
    {
        if (CatalogueKey(modelId) is { } key && Models.TryGetValue(key, out var model)) return model;
        return Families[FamilyOf(modelId) ?? UnknownModelFamily];
    }

    /// <summary>The family named in a model id, or null when it names none.</summary>
    public static ModelTier? FamilyOf(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId)) return null;
        // Fable before Opus: the most expensive match wins should an id ever name two.
        foreach (var (tier, name) in FamilyNames)
            if (modelId.Contains(name, StringComparison.OrdinalIgnoreCase)) return tier;
        return null;
    }

    private static readonly (ModelTier Tier, string Name)[] FamilyNames =
        [(ModelTier.Fable, "fable"), (ModelTier.Opus, "opus"), (ModelTier.Haiku, "haiku"), (ModelTier.Sonnet, "sonnet")];

    // The catalogue key behind a model id: exact inference profile id, else the foundation model id with or without
    // a profile prefix, else a bare "claude-…" name (the foundation id without "anthropic.").
    private static string? CatalogueKey(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId)) return null;
        if (ModelCatalogue.FindByModelId(modelId) is { } found) return found.Model.Key;
        foreach (var model in ModelCatalogue.Models)
        {
            var baseId = model.BaseModelId;
            if (modelId == baseId || modelId.EndsWith("." + baseId, StringComparison.Ordinal)) return model.Key;
            var bare = baseId.StartsWith("anthropic.", StringComparison.Ordinal) ? baseId["anthropic.".Length..] : baseId;
            if (modelId == bare || VersionlessName(bare) == modelId) return model.Key;
        }
        return null;
    }

    // claude-opus-4-1-20250805-v1:0 -> claude-opus-4-1 (the name Claude Code shows for a dated model).
    private static string VersionlessName(string bare)
    {
        var dash = bare.IndexOf("-20", StringComparison.Ordinal);
        return dash > 0 ? bare[..dash] : bare.EndsWith("-v1", StringComparison.Ordinal) ? bare[..^3] : bare;
    }
}
