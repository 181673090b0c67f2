using System.Text.Json.Nodes;
using Ccwb.Rendering.Cowork;
using Ccwb.Rendering.Json;

namespace Ccwb.Rendering.Tests;

/// <summary>The Cowork key list: upstream's order, overwrite rules and encodings, and the catalogue behind it.</summary>
public class CoworkPolicyTests
{
    [Fact]
    public void Base_and_helper_keys_come_in_upstreams_order_with_string_ttl_and_silent_refresh()
    {
        var policy = Build("okta-direct", CoworkOptions.Package);
        Assert.Equal(
        [
            "inferenceProvider", "inferenceBedrockRegion", "inferenceModels", "isClaudeCodeForDesktopEnabled",
            "isDesktopExtensionEnabled", "isDesktopExtensionDirectoryEnabled", "isDesktopExtensionSignatureRequired",
            "isLocalDevMcpEnabled", "inferenceCredentialHelper", "inferenceCredentialHelperTtlSec",
            "inferenceCredentialHelperSilentRefreshEnabled", "inferenceBedrockProfile", "inferenceCredentialKind",
            "chatTabEnabled", "chatAdvancedFileAnalysisEnabled", "otlpEndpoint", "otlpProtocol", "otlpHeaders",
        ], policy.Settings.Select(s => s.Name));
        Assert.Equal("\"3500\"", Value(policy, "inferenceCredentialHelperTtlSec").ToJsonString());
        Assert.Equal("\"true\"", Value(policy, "inferenceCredentialHelperSilentRefreshEnabled").ToJsonString());
        Assert.Equal("{\"X-Cowork-Token\": \"3f2b8c1e-5d4a-4f6b-9c7d-0e1f2a3b4c5d\"}", (string?)Value(policy, "otlpHeaders"));
    }

    [Fact]
    public void Generate_adds_no_beta_keys()
    {
        var policy = Build("websearch-everything", new CoworkOptions(CoworkOptions.DefaultModels, IncludeBetaKeys: false));
        Assert.DoesNotContain(policy.Settings, s => s.Name is "chatTabEnabled" or "chatAdvancedFileAnalysisEnabled" or "inferenceSessionLifetimeSec");
    }

    [Fact]
    public void Profile_mode_writes_only_the_profile_name_for_credentials()
    {
        var policy = Build("profile-mode-hklm", CoworkOptions.Package);
        Assert.Contains(policy.Settings, s => s.Name == "inferenceBedrockProfile");
        Assert.DoesNotContain(policy.Settings, s => s.Name.StartsWith("inferenceCredential", StringComparison.Ordinal));
        Assert.DoesNotContain(policy.Settings, s => s.Name == "chatTabEnabled"); // its profile flag is off
    }

    [Fact]
    public void Extra_keys_replace_in_place_or_append_and_underscore_keys_are_dropped()
    {
        var policy = Build("websearch-everything", CoworkOptions.Package);
        var names = policy.Settings.Select(s => s.Name).ToList();
        Assert.DoesNotContain("_comment", names);
        Assert.True(names.IndexOf("disableAutoUpdates") < names.IndexOf("chatTabEnabled"));
        Assert.Equal("true", (string?)Value(policy, "disableAutoUpdates"));
    }

    [Fact]
    public void Web_search_keeps_administrator_servers_and_normalises_the_url_to_one_mcp_suffix()
    {
        var policy = Build("websearch-everything", CoworkOptions.Package);
        var servers = JsonNode.Parse((string)Value(policy, "managedMcpServers")!)!.AsArray();
        Assert.Equal(["docs", "agentcore-websearch"], servers.Select(s => (string?)s!["name"]));
        Assert.Equal("https://gateway.example.com/mcp", (string?)servers[1]!["url"]);
        Assert.Equal("__CCWB_HOME__/claude-code-with-bedrock/websearch-headers", (string?)servers[1]!["headersHelper"]);
        Assert.Equal(900, (int)servers[1]!["headersHelperTtlSec"]!);
        Assert.Equal("[\"*\"]", (string?)Value(policy, "coworkEgressAllowedHosts"));
    }

    [Theory]
    [InlineData("https://g.example.com", "https://g.example.com/mcp")]
    [InlineData("https://g.example.com/", "https://g.example.com/mcp")]
    [InlineData("https://g.example.com/mcp", "https://g.example.com/mcp")]
    [InlineData("https://g.example.com/mcp/mcp/", "https://g.example.com/mcp")]
    public void Mcp_url_ends_in_exactly_one_mcp(string url, string expected) =>
        Assert.Equal(expected, CoworkPolicyBuilder.NormalizeMcpUrl(url));

    [Fact]
    public void Model_aliases_stay_strings_and_ids_become_objects_with_the_first_of_each_tier_the_default()
    {
        var list = CoworkPolicyBuilder.ModelList(["opus", "us.anthropic.claude-sonnet-4-6", "us.anthropic.claude-sonnet-5", "custom-model"]);
        Assert.Equal("[\"opus\", {\"name\": \"us.anthropic.claude-sonnet-4-6\", \"anthropicFamilyTier\": \"sonnet\", \"isFamilyDefault\": true}, " +
                     "{\"name\": \"us.anthropic.claude-sonnet-5\", \"anthropicFamilyTier\": \"sonnet\"}, {\"name\": \"custom-model\"}]",
            PythonJson.Compact(list));
    }

    [Fact]
    public void Windows_paths_use_backslashes_and_the_cmd_helper()
    {
        var policy = CoworkPolicyBuilder.Build(ExampleProfiles.Load("okta-direct"), CoworkOptions.Package, TargetOs.Windows);
        Assert.Equal(@"__CCWB_HOME__\claude-code-with-bedrock\cowork-credential-helper.cmd", (string?)Value(policy, "inferenceCredentialHelper"));
    }

    [Fact]
    public void Every_key_any_profile_emits_is_in_the_catalogue()
    {
        foreach (var name in ExampleProfiles.Names)
            foreach (var setting in Build(name, CoworkOptions.Package).Settings)
                Assert.True(setting.Key is not null, $"{name}: {setting.Name} is not in the catalogue");
    }

    [Fact]
    public void Catalogue_has_unique_names_and_every_documented_upstream_key()
    {
        Assert.Equal(CoworkKeys.All.Count, CoworkKeys.All.Select(k => k.Name).Distinct().Count());
        string[] documentedButNeverGenerated =
        [
            "inferenceBedrockAwsDir", "inferenceBedrockBaseUrl", "deploymentOrganizationUuid", "disableDeploymentModeChooser",
            "disableAutoUpdates", "autoUpdaterEnforcementHours", "disabledBuiltinTools", "disableEssentialTelemetry",
            "disableNonessentialTelemetry", "disableNonessentialServices", "allowedWorkspaceFolders",
            "inferenceMaxTokensPerWindow", "inferenceTokenWindowHours", "coworkWebSearchEnabled",
        ];
        foreach (var key in documentedButNeverGenerated) Assert.NotNull(CoworkKeys.Find(key));
        Assert.All(CoworkKeys.All, k => Assert.False(string.IsNullOrWhiteSpace(k.Description + k.Default + k.EmittedWhen)));
    }

    [Fact]
    public void Python_style_json_escapes_non_ascii_and_keeps_upstreams_separators()
    {
        var node = new JsonObject { ["a"] = "é\"\\<", ["b"] = new JsonArray(1, true, null), ["c"] = new JsonObject() };
        Assert.Equal("{\"a\": \"\\u00e9\\\"\\\\<\", \"b\": [1, true, null], \"c\": {}}", PythonJson.Compact(node));
        Assert.Equal("{\n  \"a\": \"\\u00e9\\\"\\\\<\",\n  \"b\": [\n    1,\n    true,\n    null\n  ],\n  \"c\": {}\n}", PythonJson.Indented(node));
    }

    [Fact]
    public void Identity_center_without_a_quota_api_points_claude_desktop_at_the_aws_profile_not_at_a_helper_nothing_installs()
    {
        // Upstream quirk: it wrote helper keys for a profile whose packages carry no credential-process.
        var idc = ExampleProfiles.Load("idc");
        var policy = CoworkPolicyBuilder.Build(idc, CoworkOptions.Package, TargetOs.Posix);
        Assert.Equal("\"idc\"", Value(policy, "inferenceBedrockProfile").ToJsonString());
        Assert.DoesNotContain(policy.Settings, s => s.Name.StartsWith("inferenceCredential", StringComparison.Ordinal));
        Assert.DoesNotContain(ExampleProfiles.Render("idc"), f => f.Path.StartsWith("cowork-credential-helper", StringComparison.Ordinal));

        // With a quota API the helper ships, and Desktop uses it as for every other profile.
        var withQuota = CoworkPolicyBuilder.Build(idc with { QuotaApiEndpoint = "https://quota.example.com/prod" }, CoworkOptions.Package, TargetOs.Posix);
        Assert.Equal("\"helper-script\"", Value(withQuota, "inferenceCredentialKind").ToJsonString());
    }

    private static CoworkPolicy Build(string profile, CoworkOptions options) =>
        CoworkPolicyBuilder.Build(ExampleProfiles.Load(profile), options, TargetOs.Posix);

    private static JsonNode Value(CoworkPolicy policy, string name) => policy.Settings.Single(s => s.Name == name).Value;
}
