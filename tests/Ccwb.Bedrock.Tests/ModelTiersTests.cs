namespace Ccwb.Bedrock.Tests;

public sealed class ModelTiersTests
{
    [Theory]
    // The three published examples.
    [InlineData(ModelTier.Opus, "jp", "jp.anthropic.claude-sonnet-4-6")]
    [InlineData(ModelTier.Haiku, "us-gov", "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData(ModelTier.Opus, "apac", "global.anthropic.claude-opus-4-8")]
    // Direct hits and legacy keys.
    [InlineData(ModelTier.Sonnet, "us", "us.anthropic.claude-sonnet-5")]
    [InlineData(ModelTier.Haiku, "japan", "jp.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData(ModelTier.Opus, "us-gov", "us-gov.anthropic.claude-opus-4-8")]
    [InlineData(ModelTier.Opus, "au", "au.anthropic.claude-opus-4-6-v1")]
    [InlineData(ModelTier.Haiku, "apac", "apac.anthropic.claude-sonnet-4-20250514-v1:0")]
    [InlineData(ModelTier.Fable, "europe", "eu.anthropic.claude-fable-5")]
    public void Resolves_the_model_for_a_tier_in_a_profile(ModelTier tier, string profile, string modelId) =>
        Assert.Equal(modelId, ModelTiers.ResolveModelForTier(tier, profile)?.Profile.ModelId);

    [Theory]
    [InlineData("au")]
    [InlineData("jp")]
    [InlineData("eu")]
    [InlineData("us-gov")]
    public void Data_residency_profiles_never_resolve_outside_themselves(string profile)
    {
        foreach (var tier in Enum.GetValues<ModelTier>())
            Assert.Equal(profile, ModelTiers.ResolveModelForTier(tier, profile)?.Profile.ProfileKey);
    }

    [Fact]
    public void Fable_in_apac_falls_back_to_global()
    {
        Assert.Equal("global.anthropic.claude-fable-5", ModelTiers.ResolveModelForTier(ModelTier.Fable, "apac")?.Profile.ModelId);
    }

    [Theory]
    [InlineData("mars")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_profiles_resolve_to_nothing(string? profile) =>
        Assert.Null(ModelTiers.ResolveModelForTier(ModelTier.Sonnet, profile));

    [Fact]
    public void Every_preferred_key_exists_in_the_catalogue()
    {
        foreach (var key in ModelTiers.Preferences.Values.SelectMany(k => k))
            Assert.NotNull(ModelCatalogue.Find(key));
    }
}
