using System.Text.Json.Nodes;
using Ccwb.Profiles;
using Ccwb.Testing;

namespace Ccwb.Cli.Tests;

/// <summary>
/// <c>ccwb init --non-interactive</c>: answers from a file and --set only, every missing or bad answer reported at once
/// (<c>error: field: message</c>, exit 1) with nothing written, and the same profile as the example it mirrors.
/// </summary>
public sealed class InitNonInteractiveTests
{
    /// <summary>The answers an administrator gives for the default example profile (profiles/examples/okta-direct.json);
    /// provider type, stack names, federation, session length and source region are the wizard's to work out.</summary>
    private const string OktaDirectAnswers = """
        {
          "provider_domain": "https://example-corp.okta.com/",
          "client_id": "0oa1b2c3d4e5f6g7h8i9",
          "aws_region": "us-east-1",
          "federated_role_arn": "arn:aws:iam::123456789012:role/claude-code-auth-BedrockFederatedRole",
          "selected_model": "us.anthropic.claude-sonnet-4-6",
          "allowed_bedrock_regions": ["us-east-1", "us-east-2", "us-west-2"],
          "monitoring_mode": "central",
          "otel_collector_endpoint": "https://otel.example.com",
          "cowork_service_token": "3f2b8c1e-5d4a-4f6b-9c7d-0e1f2a3b4c5d",
          "tags": {"Project": "claude-code", "CostCenter": "1234"},
          "organization_name": "Example Corp",
          "organization_identifier": "com.example"
        }
        """;

    [Fact]
    public void Answers_mirroring_the_default_example_profile_produce_that_profile()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.Combine("answers.json"), OktaDirectAnswers);
        // An unfinished wizard for the same profile is superseded once the profile is written.
        var staleProgress = home.Combine(".ccwb", "init-progress", "okta-direct.json");
        Directory.CreateDirectory(Path.GetDirectoryName(staleProgress)!);
        File.WriteAllText(staleProgress, "{\"completed_steps\": [], \"answers\": {}}");

        var run = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "okta-direct", "--answers", home.Combine("answers.json"),
            "--skip-discovery");

        Assert.True(run.ExitCode == 0, run.ToString());
        var written = home.Combine(".ccwb", "profiles", "okta-direct.json");
        var example = ProfileLoader.LoadFile(Repo.PathOf("profiles", "examples", "okta-direct.json"));
        Assert.True(example.Succeeded, string.Join('\n', example.Messages));
        Assert.Equal(WithoutTimestamps(ProfileJson.Serialize(example.Profile!)), WithoutTimestamps(File.ReadAllText(written)));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written));
        Assert.Equal("okta-direct", JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "config.json")))!["active_profile"]!.GetValue<string>());
        Assert.False(File.Exists(staleProgress), "the profile written supersedes an unfinished wizard's progress");
    }

    [Fact]
    public void Every_missing_and_bad_answer_is_listed_at_once_and_nothing_is_written()
    {
        using var home = new TempDirectory();

        var run = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "broken", "--skip-discovery",
            "--set", "provider_domain=not_a_domain", "--set", "aws_region=mars-1", "--set", "max_session_duration=99",
            "--set", "redirect_port=abc", "--set", "monitoring_mode=central", "--set", "otel_collector_endpoint=ftp://collector",
            "--set", "organization_identifier=not reverse dns", "--set", "federation_type=carrier-pigeon");

        Assert.Equal(1, run.ExitCode);
        var errors = run.Error.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "error: provider_domain: Invalid provider_domain format: not_a_domain",
            "error: provider_type: is required: give it in --answers or with --set provider_type=VALUE",
            "error: client_id: is required: give it in --answers or with --set client_id=VALUE",
            "error: redirect_port: must be a whole number",
            "error: federation_type: Invalid federation_type: carrier-pigeon. Must be 'cognito' or 'direct'",
            "error: max_session_duration: Must be a number between 3600 and 43200 (got 99)",
            "error: aws_region: Invalid aws_region: mars-1",
            "error: otel_collector_endpoint: must be an http(s) URL, got 'ftp://collector'",
            "error: organization_identifier: must be a reverse-DNS name such as com.example, got 'not reverse dns'",
        ], errors);
        Assert.Contains("Nothing was written", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(home.Combine(".ccwb", "profiles")), "no profile may be written when an answer is bad");
    }

    [Fact]
    public void A_missing_profile_name_and_an_unreadable_answers_file_are_reported_without_writing()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.Combine("answers.json"), "{ \"aws_region\": ");

        var noName = Ccwb.Run(home.Path, null, "init", "--non-interactive", "--skip-discovery", "--set", "aws_region=us-east-1");
        var badFile = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "x", "--answers", home.Combine("answers.json"));
        var badName = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "no_underscores", "--skip-discovery");

        Assert.Equal(1, noName.ExitCode);
        Assert.StartsWith("error: name: is required", noName.Error, StringComparison.Ordinal);
        Assert.Equal(1, badFile.ExitCode);
        Assert.StartsWith($"error: answers: {home.Combine("answers.json")} is not valid JSON", badFile.Error, StringComparison.Ordinal);
        Assert.Equal(1, badName.ExitCode);
        Assert.StartsWith("error: name: 'no_underscores' is not a profile name", badName.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(home.Combine(".ccwb", "profiles")));
    }

    [Fact]
    public void Set_options_win_over_the_answers_file_and_an_existing_profile_is_updated_in_place()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.Combine("answers.json"), OktaDirectAnswers);
        var first = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "acme", "--answers", home.Combine("answers.json"), "--skip-discovery");
        Assert.True(first.ExitCode == 0, first.ToString());
        var created = JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", "acme.json")))!;

        var update = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "acme", "--skip-discovery", "--managed",
            "--set", "max_session_duration=7200", "--set", "tags={\"Team\": \"platform\"}");

        Assert.True(update.ExitCode == 0, update.ToString());
        var updated = JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", "acme.json")))!;
        Assert.Equal(7200, updated["max_session_duration"]!.GetValue<int>());
        Assert.Equal("managed", updated["settings_target"]!.GetValue<string>());
        Assert.Equal("{\"Team\":\"platform\"}", updated["tags"]!.ToJsonString());
        // What was not answered again is kept, including when the profile was first created.
        Assert.Equal("0oa1b2c3d4e5f6g7h8i9", updated["client_id"]!.GetValue<string>());
        Assert.Equal(created["created_at"]!.GetValue<string>(), updated["created_at"]!.GetValue<string>());
    }

    [Fact]
    public void Passthrough_profile_keeps_quota_monitoring_its_helper_checks_with_signed_requests()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.Combine("answers.json"), """
            {
              "auth_type": "none",
              "aws_region": "us-west-2",
              "selected_model": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
              "allowed_bedrock_regions": ["us-east-1", "us-east-2", "us-west-2"],
              "monitoring_enabled": false,
              "quota_monitoring_enabled": true,
              "organization_name": "Example Corp",
              "organization_identifier": "com.example"
            }
            """);

        var run = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "ambient", "--answers", home.Combine("answers.json"), "--skip-discovery");

        Assert.True(run.ExitCode == 0, run.ToString());
        var written = JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", "ambient.json")))!;
        Assert.Equal("none", written["auth_type"]!.GetValue<string>());
        Assert.True(written["quota_monitoring_enabled"]!.GetValue<bool>());
        Assert.Equal("cost", written["quota_limit_type"]!.GetValue<string>());
    }

    /// <summary>Answers for a China region (partition aws-cn): its own role ARN partition and Bedrock regions.</summary>
    private const string ChinaAnswers = """
        {
          "provider_domain": "https://example-corp.okta.com/",
          "client_id": "0oa1b2c3d4e5f6g7h8i9",
          "aws_region": "cn-northwest-1",
          "federated_role_arn": "arn:aws-cn:iam::123456789012:role/claude-code-auth-BedrockFederatedRole",
          "allowed_bedrock_regions": ["cn-north-1", "cn-northwest-1"],
          "monitoring_enabled": false,
          "organization_name": "Example Corp",
          "organization_identifier": "com.example"
        }
        """;

    [Fact]
    public void China_region_offers_no_catalogue_model_says_so_and_writes_an_aws_cn_profile()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.Combine("answers.json"), ChinaAnswers);

        var run = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "china", "--answers", home.Combine("answers.json"), "--skip-discovery");

        Assert.True(run.ExitCode == 0, run.ToString());
        // The model step asks nothing in aws-cn: no Claude model of the catalogue (no cross-region profile) is offered there.
        Assert.Equal("warning: selected_model: no Claude model in the catalogue is offered in partition aws-cn; set selected_model by hand when one is\n",
            run.Error.ReplaceLineEndings("\n"));
        var profile = ProfileLoader.LoadFile(home.Combine(".ccwb", "profiles", "china.json"));
        Assert.True(profile.Succeeded, string.Join('\n', profile.Messages));
        Assert.Equal("cn-northwest-1", profile.Profile!.AwsRegion);
        Assert.Equal(["cn-north-1", "cn-northwest-1"], profile.Profile.AllowedBedrockRegions);
        Assert.Null(profile.Profile.SelectedModel);
        Assert.Null(profile.Profile.SelectedSourceRegion);
        // Web search exists only in the commercial partition, so it is not asked and stays off.
        Assert.False(profile.Profile.WebSearchEnabled);
    }

    [Fact]
    public void China_region_refuses_a_us_model_commercial_bedrock_regions_an_aws_role_and_web_search_all_at_once()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.Combine("answers.json"), ChinaAnswers);

        var run = Ccwb.Run(home.Path, null, "init", "--non-interactive", "-p", "china", "--answers", home.Combine("answers.json"), "--skip-discovery",
            "--set", "aws_region=cn-north-1", "--set", "selected_model=us.anthropic.claude-sonnet-4-6",
            "--set", "allowed_bedrock_regions=[\"us-east-1\"]", "--set", "web_search_enabled=true",
            "--set", "federated_role_arn=arn:aws:iam::123456789012:role/claude-code-auth-BedrockFederatedRole");

        Assert.Equal(1, run.ExitCode);
        var lines = run.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(
        [
            "warning: selected_model: no Claude model in the catalogue is offered in partition aws-cn; set selected_model by hand when one is",
            "warning: aws_region: Region 'cn-north-1' not in allowed_bedrock_regions: us-east-1",
            // The US model's requests would leave from a US region: refused through the source region it brings.
            "error: selected_source_region: us-east-1 is not in the partition of aws_region (aws-cn)",
            "error: federated_role_arn: is in partition 'aws' but aws_region cn-north-1 is in 'aws-cn'",
            "error: allowed_bedrock_regions: us-east-1 is not in the partition of aws_region cn-north-1 (aws-cn)",
            "error: web_search_enabled: web search is only available in the commercial partition, not with aws_region cn-north-1",
            "Nothing was written: 4 answer(s) to fix.",
        ], lines);
        Assert.False(Directory.Exists(home.Combine(".ccwb", "profiles")), "no profile may be written when an answer is bad");
    }

    [Fact]
    public void Without_a_terminal_and_without_non_interactive_it_says_what_to_do_instead_of_prompting()
    {
        using var home = new TempDirectory();

        var run = Ccwb.Run(home.Path, null, "init", "-p", "piped");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: init: no interactive terminal to ask the questions at", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(home.Combine(".ccwb", "profiles")));
    }

    private static string WithoutTimestamps(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("created_at");
        document.Remove("updated_at");
        return document.ToJsonString();
    }
}
