using System.Text.Json.Nodes;
using Ccwb.Testing;

namespace Ccwb.Profiles.Tests;

/// <summary>Load → save → load is the identity, and keys this version does not know survive.</summary>
public class RoundTripTests
{
    private static string SaveAndReload(string json)
    {
        var first = ProfileLoader.Read(json);
        Assert.True(first.Profile is not null, string.Join("\n", first.Messages));
        return ProfileJson.Serialize(first.Profile!);
    }

    [Theory]
    [MemberData(nameof(Examples.All), MemberType = typeof(Examples))]
    public void Example_survives_load_save_load(string name)
    {
        var saved = SaveAndReload(Examples.Text(name));
        Assert.Equal(saved, SaveAndReload(saved));
    }

    [Fact]
    public void Upstream_profile_survives_load_save_load()
    {
        var saved = SaveAndReload(File.ReadAllText(Repo.PathOf("tests", "Ccwb.Profiles.Tests", "Fixtures", "upstream-full-profile.json")));
        Assert.Equal(saved, SaveAndReload(saved));
    }

    [Fact]
    public void Fix_unknown_keys_are_preserved_on_save_where_upstream_dropped_them()
    {
        var json = """
            {"name": "p", "bootstrap_allowed_cidr": "10.0.0.0/8", "future_block": {"a": [1, 2.5, null, "x"]},
             "monitoring_config": {"create_vpc": false, "vpc_id": "vpc-0abc", "subnet_ids": ["subnet-1", "subnet-2"], "alb_scheme": "internal"}}
            """;

        var saved = JsonNode.Parse(SaveAndReload(json))!;

        Assert.Equal("10.0.0.0/8", saved["bootstrap_allowed_cidr"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": [1, 2.5, null, "x"]}"""), saved["future_block"]));
        Assert.Equal("internal", saved["monitoring_config"]!["alb_scheme"]!.GetValue<string>());
        Assert.Equal(SaveAndReload(saved.ToJsonString()), SaveAndReload(SaveAndReload(json)));
    }

    [Fact]
    public void Legacy_profile_is_saved_in_the_current_shape_and_then_stays_stable()
    {
        var saved = SaveAndReload("""{"name": "old", "okta_domain": "acme.okta.com", "okta_client_id": "0oa1b2c3d4e5f6g7h8i9", "enable_distribution": true}""");
        var node = JsonNode.Parse(saved)!;

        Assert.Equal("acme.okta.com", node["provider_domain"]!.GetValue<string>());
        Assert.Equal("presigned-s3", node["distribution_type"]!.GetValue<string>());
        Assert.Null(node["okta_domain"]);
        Assert.Equal(saved, SaveAndReload(saved));
    }

    [Fact]
    public void Saved_profile_writes_every_field_with_nulls_and_two_space_indent()
    {
        var saved = SaveAndReload("""{"name": "p"}""");

        Assert.Contains("\n  \"cognito_user_pool_id\": null,", saved, StringComparison.Ordinal);
        Assert.Contains("\n  \"organization_identifier\": null,", saved, StringComparison.Ordinal);
        Assert.EndsWith("}\n", saved, StringComparison.Ordinal);
    }
}
