namespace Ccwb.Bedrock.Tests;

public sealed class ModelCatalogueTests
{
    [Fact]
    public void Every_model_id_is_the_profile_key_dot_the_base_model_id()
    {
        foreach (var model in ModelCatalogue.Models)
            foreach (var profile in model.Profiles)
            {
                Assert.Equal(model.BaseModelId, profile.BaseModelId);
                Assert.Equal($"{profile.ProfileKey}.{model.BaseModelId}", profile.ModelId);
                Assert.Contains(profile.ProfileKey, CrossRegionProfiles.All);
            }
    }

    [Fact]
    public void Registry_keys_and_profiles_match_the_published_table()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["sonnet-5"] = ["us", "global", "eu", "apac"],
            ["sonnet-4-6"] = ["us", "global", "eu", "au", "jp"],
            ["sonnet-4-5"] = ["us", "eu", "jp", "global", "au"],
            ["sonnet-4-5-govcloud"] = ["us-gov"],
            ["sonnet-4"] = ["us", "eu", "apac", "global"],
            ["sonnet-3-7"] = ["us", "eu", "apac"],
            ["sonnet-3-7-govcloud"] = ["us-gov"],
            ["opus-4-8"] = ["us", "global", "eu"],
            ["opus-4-8-govcloud"] = ["us-gov"],
            ["opus-4-7"] = ["us", "global", "eu"],
            ["opus-4-6"] = ["us", "eu", "au", "global"],
            ["opus-4-5"] = ["us", "global", "eu"],
            ["opus-4-1"] = ["us"],
            ["opus-4"] = ["us"],
            ["haiku-4-5"] = ["us", "global", "eu", "au", "jp"],
            ["fable-5"] = ["us", "global", "eu"],
        };
        Assert.Equal(expected.Keys, ModelCatalogue.Models.Select(m => m.Key));
        foreach (var model in ModelCatalogue.Models)
            Assert.Equal(expected[model.Key], model.Profiles.Select(p => p.ProfileKey));
    }

    [Fact]
    public void Us_gov_offers_exactly_three_models()
    {
        Assert.Equal(
            ["us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0",
             "us-gov.anthropic.claude-opus-4-8"],
            ModelCatalogue.InProfile("us-gov").Select(x => x.Profile.ModelId));
        Assert.All(ModelCatalogue.InProfile("us-gov"), x => Assert.True(x.Model.IsGovCloud));
    }

    [Fact]
    public void Find_by_model_id_returns_the_model_and_profile()
    {
        var found = ModelCatalogue.FindByModelId("jp.anthropic.claude-haiku-4-5-20251001-v1:0");
        Assert.NotNull(found);
        Assert.Equal("haiku-4-5", found.Value.Model.Key);
        Assert.Equal("jp", found.Value.Profile.ProfileKey);
        Assert.Null(ModelCatalogue.FindByModelId("japan.anthropic.claude-haiku-4-5-20251001-v1:0"));
        Assert.Null(ModelCatalogue.FindByModelId("us.anthropic.claude-opus-4-8-v9"));
    }

    [Theory]
    [InlineData("europe", "eu")]
    [InlineData("japan", "jp")]
    [InlineData("EU", "eu")]
    [InlineData("us-gov", "us-gov")]
    public void Legacy_profile_values_normalise_to_current_keys(string stored, string key)
    {
        Assert.Equal(key, CrossRegionProfiles.Normalize(stored));
        Assert.True(CrossRegionProfiles.IsKnown(stored));
        Assert.Equal($"{key}.anthropic.claude-sonnet-4-5-20250929-v1:0",
                     ModelCatalogue.Find(key == "us-gov" ? "sonnet-4-5-govcloud" : "sonnet-4-5")!.Profile(stored)!.ModelId);
    }

    [Fact]
    public void Every_region_the_catalogue_names_is_a_known_region_of_the_profiles_partition()
    {
        foreach (var profile in ModelCatalogue.Models.SelectMany(m => m.Profiles))
        {
            var partition = profile.ProfileKey == "us-gov" ? AwsPartition.GovCloud : AwsPartition.Commercial;
            foreach (var region in profile.SourceRegions.Concat(profile.ExpandedDestinationRegions))
            {
                Assert.True(AwsRegions.IsKnown(region), $"{profile.ModelId}: {region} is not a known region");
                Assert.Equal(partition, AwsPartitions.ForRegion(region));
            }
        }
    }

    [Fact]
    public void All_commercial_expands_to_the_29_commercial_destination_regions()
    {
        string[] expected =
        [
            "af-south-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
            "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ca-central-1", "ca-west-1",
            "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
            "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "sa-east-1", "us-east-1", "us-east-2",
            "us-west-1", "us-west-2",
        ];
        Assert.Equal(expected, BedrockRegions.Expand(["all-commercial"]));
        Assert.Equal(expected, BedrockRegions.Commercial);
        Assert.Equal(new HashSet<string>([.. expected, "us-gov-east-1", "us-gov-west-1"]), BedrockRegions.All.ToHashSet());
    }

    [Fact]
    public void Expand_drops_unknown_sentinels_and_duplicates_and_keeps_real_regions()
    {
        Assert.Equal(["eu-west-1", "us-east-1"], BedrockRegions.Expand(["us-east-1", "all-gov", "eu-west-1", "us-east-1", " "]));
        Assert.DoesNotContain(BedrockRegions.Expand(["all-commercial", "us-gov-west-1"]), BedrockRegions.IsSentinel);
    }

    [Fact]
    public void Global_profiles_of_the_newest_models_use_the_all_commercial_sentinel()
    {
        var sentinelModels = ModelCatalogue.Models
            .Where(m => m.Profile("global")?.DestinationRegions is ["all-commercial"]).Select(m => m.Key).ToHashSet();
        Assert.Equal(new HashSet<string> { "sonnet-5", "sonnet-4-6", "opus-4-5", "haiku-4-5", "fable-5" }, sentinelModels);
    }

    [Theory]
    [InlineData("us", "us-east-1")]
    [InlineData("eu", "eu-west-1")]
    [InlineData("europe", "eu-west-1")]
    [InlineData("apac", "ap-northeast-1")]
    [InlineData("us-gov", "us-gov-west-1")]
    [InlineData("jp", "ap-northeast-1")]
    [InlineData("au", "ap-southeast-2")]
    public void Default_regions_per_profile(string profile, string region) =>
        Assert.Equal(region, CrossRegionProfiles.DefaultRegions[CrossRegionProfiles.Normalize(profile)!]);

    [Fact]
    public void Source_region_prefers_the_selection_then_the_profile_default_then_the_deployment_region()
    {
        Assert.Equal("eu-north-1", CrossRegionProfiles.SourceRegion("eu", "eu-north-1", "eu-west-1"));
        Assert.Equal("eu-west-1", CrossRegionProfiles.SourceRegion("europe", null, "us-east-1"));
        Assert.Equal("us-west-2", CrossRegionProfiles.SourceRegion("us", null, "us-west-2"));
        Assert.Equal("ca-central-1", CrossRegionProfiles.SourceRegion("global", "", "ca-central-1"));
    }

    [Fact]
    public void Partition_filter_offers_only_govcloud_entries_in_govcloud_and_never_them_elsewhere()
    {
        Assert.Equal(["sonnet-4-5-govcloud", "sonnet-3-7-govcloud", "opus-4-8-govcloud"],
                     ModelCatalogue.InPartition(AwsPartition.GovCloud).Select(m => m.Key));
        var commercial = ModelCatalogue.InPartition(AwsPartition.Commercial);
        Assert.Equal(13, commercial.Count);
        Assert.DoesNotContain(commercial, m => m.IsGovCloud);
        Assert.Empty(ModelCatalogue.InPartition(AwsPartition.China));
    }
}
