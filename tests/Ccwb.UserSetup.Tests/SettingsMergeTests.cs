using System.Text.Json.Nodes;

namespace Ccwb.UserSetup.Tests;

public class SettingsMergeTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static readonly JsonObject Incoming = Json("""
        { "env": { "AWS_PROFILE": "ClaudeCode", "AWS_REGION": "us-east-1" }, "includeCoAuthoredBy": false, "awsAuthRefresh": "x --profile ClaudeCode" }
        """);

    [Fact]
    public void Incoming_top_level_keys_replace_env_merges_per_key_and_other_keys_stay()
    {
        var settings = Json("""{ "model": "opus", "env": { "FOO": "1", "AWS_REGION": "eu-west-1" }, "includeCoAuthoredBy": true }""");

        SettingsMerge.Apply(settings, Incoming, createdFile: false);

        Assert.True(JsonNode.DeepEquals(Json("""
            { "model": "opus", "env": { "FOO": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "ClaudeCode" },
              "includeCoAuthoredBy": false, "awsAuthRefresh": "x --profile ClaudeCode" }
            """), settings), settings.ToJsonString());
    }

    [Fact]
    public void Revert_gives_back_the_users_settings_including_values_the_install_replaced()
    {
        var original = Json("""{ "model": "opus", "env": { "FOO": "1", "AWS_REGION": "eu-west-1" }, "includeCoAuthoredBy": true }""");
        var settings = original.DeepClone().AsObject();

        var changes = SettingsMerge.Apply(settings, Incoming, createdFile: false);
        var empty = SettingsMerge.Revert(settings, changes);

        Assert.False(empty);
        Assert.True(JsonNode.DeepEquals(original, settings), settings.ToJsonString());
        // Key order too: a replaced value goes back in its place.
        Assert.Equal(["model", "env", "includeCoAuthoredBy"], settings.Select(p => p.Key));
    }

    [Fact]
    public void A_value_the_user_changed_after_installing_is_kept()
    {
        var settings = Json("{}");
        var changes = SettingsMerge.Apply(settings, Incoming, createdFile: false);
        settings["includeCoAuthoredBy"] = true;
        settings["env"]!["AWS_REGION"] = "eu-north-1";

        SettingsMerge.Revert(settings, changes);

        Assert.True(JsonNode.DeepEquals(Json("""{ "env": { "AWS_REGION": "eu-north-1" }, "includeCoAuthoredBy": true }"""), settings), settings.ToJsonString());
    }

    [Fact]
    public void A_file_the_install_created_is_reported_empty_only_when_nothing_else_was_added()
    {
        var untouched = Json("{}");
        Assert.True(SettingsMerge.Revert(untouched, SettingsMerge.Apply(untouched, Incoming, createdFile: true)));

        var added = Json("{}");
        var changes = SettingsMerge.Apply(added, Incoming, createdFile: true);
        added["permissions"] = new JsonObject();
        Assert.False(SettingsMerge.Revert(added, changes));
        Assert.Equal("""{"permissions":{}}""", added.ToJsonString());
    }

    [Fact]
    public void An_env_object_the_user_already_had_stays_even_when_emptied()
    {
        var settings = Json("""{ "env": {} }""");
        SettingsMerge.Revert(settings, SettingsMerge.Apply(settings, Incoming, createdFile: false));
        Assert.Equal("""{"env":{}}""", settings.ToJsonString());
    }

    [Fact]
    public void An_env_that_is_not_an_object_is_replaced_whole_and_given_back()
    {
        var settings = Json("""{ "env": "broken" }""");
        var changes = SettingsMerge.Apply(settings, Incoming, createdFile: false);
        Assert.Equal("ClaudeCode", (string?)settings["env"]!["AWS_PROFILE"]);

        SettingsMerge.Revert(settings, changes);
        Assert.Equal("""{"env":"broken"}""", settings.ToJsonString());
    }

    [Fact]
    public void A_null_the_user_had_is_restored_as_null_not_removed()
    {
        var settings = Json("""{ "includeCoAuthoredBy": null }""");
        SettingsMerge.Revert(settings, SettingsMerge.Apply(settings, Incoming, createdFile: false));
        Assert.Equal("""{"includeCoAuthoredBy":null}""", settings.ToJsonString());
    }
}
