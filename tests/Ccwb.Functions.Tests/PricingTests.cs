using Ccwb.Bedrock;
using Ccwb.Functions.UsageMonitor;

namespace Ccwb.Functions.Tests;

/// <summary>The usage monitor's pricing against figures worked out by hand from the price table's per-million rates.</summary>
public sealed class PricingTests
{
    // 1,234,567 input tokens and 89,012 output tokens on one model of each family:
    //   Fable  : 1.234567 × 10 = 12.34567   ; 0.089012 × 50 = 4.4506
    //   Opus   : 1.234567 × 5  =  6.172835  ; 0.089012 × 25 = 2.2253
    //   Sonnet : 1.234567 × 3  =  3.703701  ; 0.089012 × 15 = 1.33518
    //   Haiku  : 1.234567 × 1  =  1.234567  ; 0.089012 × 5  = 0.44506
    [Theory]
    [InlineData("us.anthropic.claude-fable-5", "12.34567", "4.4506")]
    [InlineData("global.anthropic.claude-opus-4-8", "6.172835", "2.2253")]
    [InlineData("eu.anthropic.claude-sonnet-4-6", "3.703701", "1.33518")]
    [InlineData("jp.anthropic.claude-haiku-4-5-20251001-v1:0", "1.234567", "0.44506")]
    public void Input_and_output_tokens_are_priced_per_family(string model, string input, string output)
    {
        var usage = Assert.Single(UsagePricing.Aggregate([
            new TokenSample("a@example.com", "input", model, 1_234_567),
            new TokenSample("a@example.com", "output", model, 89_012),
        ]));

        Assert.Equal(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture) + decimal.Parse(output, System.Globalization.CultureInfo.InvariantCulture), usage.CostUsd);
        Assert.Equal(1_234_567 + 89_012, usage.TotalTokens);
    }

    // 2,000,000 cache-read and 400,000 cache-creation tokens on Sonnet: 2 × 0.30 + 0.4 × 3.75 = 0.60 + 1.50 = 2.10.
    // On Haiku: 2 × 0.10 + 0.4 × 1.25 = 0.20 + 0.50 = 0.70.
    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "2.10")]
    [InlineData("us.anthropic.claude-haiku-4-5-20251001-v1:0", "0.70")]
    public void Cache_reads_and_cache_creation_are_priced_as_cache_read_and_cache_write_upstream_dropped_cache_creation(string model, string expected)
    {
        var usage = Assert.Single(UsagePricing.Aggregate([
            new TokenSample("a@example.com", "cacheRead", model, 2_000_000),
            new TokenSample("a@example.com", "cacheCreation", model, 400_000),
        ]));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), usage.CostUsd);
        Assert.Equal((0, 0, 2_000_000, 400_000), (usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens));
    }

    // Claude Opus 4.1 lists at 15 / 75: 100,000 input + 10,000 output = 0.1 × 15 + 0.01 × 75 = 1.50 + 0.75 = 2.25
    // (the Opus family rate would say 0.50 + 0.25 = 0.75).
    [Theory]
    [InlineData("us.anthropic.claude-opus-4-1-20250805-v1:0", "2.25")]
    [InlineData("anthropic.claude-opus-4-20250514-v1:0", "2.25")]
    [InlineData("claude-opus-4-1", "2.25")]
    [InlineData("us.anthropic.claude-opus-4-5-20251101-v1:0", "0.75")]
    public void Opus_4_and_4_1_are_priced_at_their_own_list_price_upstream_used_the_family_rate(string model, string expected)
    {
        var usage = Assert.Single(UsagePricing.Aggregate([
            new TokenSample("a@example.com", "input", model, 100_000),
            new TokenSample("a@example.com", "output", model, 10_000),
        ]));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), usage.CostUsd);
    }

    [Fact]
    public void Users_are_totalled_across_models_and_unknown_models_priced_as_Sonnet()
    {
        // b: 1,000,000 Opus input (5.00) + 1,000,000 input of an unnamed model at Sonnet's 3.00 = 8.00.
        var usages = UsagePricing.Aggregate([
            new TokenSample("b@example.com", "input", "us.anthropic.claude-opus-4-7", 1_000_000),
            new TokenSample("b@example.com", "input", "mystery-model", 1_000_000),
            new TokenSample("a@example.com", "output", "claude-haiku-4-5", 200_000),
            new TokenSample("a@example.com", "unknown-type", "claude-haiku-4-5", 5_000),
            new TokenSample("", "input", "claude-haiku-4-5", 5_000),
        ]);

        Assert.Equal(["a@example.com", "b@example.com"], usages.Select(u => u.User));
        Assert.Equal(1.00m, usages[0].CostUsd); // 0.2 × 5
        Assert.Equal(8.00m, usages[1].CostUsd);
        Assert.Equal(2_000_000, usages[1].TotalTokens);
    }

    [Fact]
    public void Every_catalogue_model_has_a_price_of_its_own_family()
    {
        foreach (var model in ModelCatalogue.Models)
        {
            var family = ModelPrices.FamilyOf(model.BaseModelId);
            Assert.True(family is not null, model.Key);
            Assert.StartsWith(family.ToString()!.ToLowerInvariant(), model.Key);
        }
    }
}
