using System.Text.Json.Nodes;
using Ccwb.Cli.Tests.Support;
using Ccwb.Testing;

namespace Ccwb.Cli.Tests;

/// <summary>
/// The interactive <c>ccwb init</c> driven through a real pseudo-terminal (tmux): full runs for three providers, bad
/// answers asked again with the profile rule's message, and an interrupted wizard resumed.
/// </summary>
public sealed class InitWizardTests
{
    [Fact]
    public void Okta_full_run_asks_again_for_each_bad_answer_and_writes_the_profile()
    {
        using var home = new TempDirectory();
        using var terminal = TmuxTerminal.StartCcwb(home.Path, null, "init", "-p", "okta-wizard", "--skip-discovery");

        terminal.Answer("How do users sign in?", "");
        terminal.Answer("Identity provider domain", "https://example-corp.okta.com/");
        terminal.WaitFor("Identity provider: okta (detected from the domain)");
        terminal.Answer("Okta authorization server id", "");
        terminal.Answer("OIDC client id of the application", "short");
        terminal.Answer("client_id: Client ID must be at least 10 characters", "0oa1b2c3d4e5f6g7h8i9");
        terminal.Answer("Where users' credentials are cached", "");
        terminal.Answer("OAuth callback port", "80");
        terminal.Answer("redirect_port: Must be a number between 1024 and 65535 (got 80)", "8765");
        terminal.Answer("How sign-ins become AWS credentials", "");
        terminal.Answer("Session length in seconds", "");
        terminal.Answer("AWS region for the infrastructure", "us-west-2");
        terminal.Answer("Stack base name", "this-base-name-is-far-too-long");
        terminal.Answer("identity_pool_name: Name too long (max 20 characters)", "");
        terminal.Answer("Claude model", "");
        terminal.Answer("Cross-region inference profile", "");
        terminal.Answer("Region users' requests are sent from", "");
        terminal.Answer("Collect usage telemetry", "");
        terminal.Answer("Telemetry collection", "");
        terminal.Answer("Enforce per-user quotas", "");
        terminal.Answer("Configure Claude Desktop (Cowork)", "");
        terminal.Answer("How Claude Desktop gets its configuration", "");
        terminal.Answer("Organisation name shown in the MDM profiles", "Example Corp");
        terminal.Answer("Organisation identifier, reverse DNS", "not reverse dns");
        terminal.Answer("organization_identifier: must be a reverse-DNS name such as com.example", "com.example");
        terminal.Answer("Where Claude Code settings are installed", "");
        terminal.Answer("Add a Co-Authored-By line", "");
        terminal.Answer("Enable web search", "");
        terminal.Answer("Resource tags as Key=Value", "Project=claude-code, CostCenter=1234");
        terminal.Answer("Write profile 'okta-wizard'?", "");

        Assert.Equal(0, terminal.WaitForExit());
        var profile = Profile(home, "okta-wizard");
        Assert.Equal("example-corp.okta.com", Text(profile, "provider_domain"));
        Assert.Equal("okta", Text(profile, "provider_type"));
        Assert.Equal("0oa1b2c3d4e5f6g7h8i9", Text(profile, "client_id"));
        Assert.Equal(8765, profile["redirect_port"]!.GetValue<int>());
        Assert.Equal("direct", Text(profile, "federation_type"));
        Assert.Equal(43200, profile["max_session_duration"]!.GetValue<int>());
        Assert.Equal("us-west-2", Text(profile, "aws_region"));
        Assert.Equal("claude-code-auth", Text(profile, "identity_pool_name"));
        Assert.Equal("claude-code-auth-stack", Text(profile["stack_names"]!, "auth"));
        Assert.Equal("us", Text(profile, "cross_region_profile"));
        Assert.Equal("us-west-2", Text(profile, "selected_source_region"));
        Assert.Contains("us-west-2", profile["allowed_bedrock_regions"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("sidecar", Text(profile, "monitoring_mode"));
        Assert.Equal("com.example", Text(profile, "organization_identifier"));
        Assert.Equal("{\"Project\":\"claude-code\",\"CostCenter\":\"1234\"}", profile["tags"]!.ToJsonString());
        Assert.False(File.Exists(home.Combine(".ccwb", "init-progress", "okta-wizard.json")), "the progress file is removed once the profile is written");
    }

    [Fact]
    public void Entra_full_run_with_certificate_mode_cognito_federation_and_managed_settings()
    {
        using var home = new TempDirectory();
        using var terminal = TmuxTerminal.StartCcwb(home.Path, null, "init", "-p", "entra-wizard", "--managed", "--skip-discovery");

        terminal.Answer("How do users sign in?", "");
        terminal.Answer("Identity provider domain", "login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0");
        terminal.WaitFor("Identity provider: azure (detected from the domain)");
        terminal.Answer("OIDC client id of the application", "not-a-guid-client");
        terminal.Answer("a GUID (the application id) for Entra ID", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        terminal.WaitFor("Entra ID application type");
        terminal.Keys("Down", "Down", "Enter");
        terminal.Answer("Path of the client certificate (PEM)", "/etc/ccwb/client.pem");
        terminal.Answer("Path of the certificate's private key", "/etc/ccwb/client.key");
        terminal.WaitFor("Where users' credentials are cached");
        terminal.Keys("Down", "Enter");
        terminal.Answer("OAuth callback port", "");
        terminal.WaitFor("How sign-ins become AWS credentials");
        terminal.Keys("Down", "Enter");
        terminal.Answer("Session length in seconds (3600-43200) (28800)", "");
        terminal.Answer("AWS region for the infrastructure", "eu-west-1");
        terminal.Answer("Stack base name", "claude-entra");
        terminal.Answer("Claude model", "");
        terminal.Answer("Cross-region inference profile", "");
        terminal.Answer("Region users' requests are sent from", "");
        terminal.Answer("Collect usage telemetry", "");
        terminal.Answer("Telemetry collection", "");
        terminal.Answer("Enforce per-user quotas", "");
        terminal.Answer("Configure Claude Desktop (Cowork)", "");
        terminal.Answer("How Claude Desktop gets its configuration", "");
        terminal.Answer("Organisation name shown in the MDM profiles", "");
        terminal.Answer("Organisation identifier, reverse DNS", "");
        terminal.Answer("Lock the default model for all users?", "y");
        terminal.Answer("Add a Co-Authored-By line", "");
        terminal.Answer("Enable web search", "");
        terminal.Answer("Resource tags as Key=Value", "");
        terminal.Answer("Write profile 'entra-wizard'?", "");

        Assert.Equal(0, terminal.WaitForExit());
        Assert.DoesNotContain("Where Claude Code settings are installed", terminal.Screen, StringComparison.Ordinal);
        var profile = Profile(home, "entra-wizard");
        Assert.Equal("azure", Text(profile, "provider_type"));
        Assert.Equal("certificate", Text(profile, "azure_auth_mode"));
        Assert.Equal("/etc/ccwb/client.pem", Text(profile, "client_certificate_path"));
        Assert.Equal("/etc/ccwb/client.key", Text(profile, "client_certificate_key_path"));
        Assert.Equal("keyring", Text(profile, "credential_storage"));
        Assert.Equal("cognito", Text(profile, "federation_type"));
        Assert.Equal(28800, profile["max_session_duration"]!.GetValue<int>());
        Assert.Equal("eu-west-1", Text(profile, "aws_region"));
        Assert.Equal("eu", Text(profile, "cross_region_profile"));
        Assert.Equal("managed", Text(profile, "settings_target"));
        Assert.True(profile["lock_default_model"]!.GetValue<bool>());
    }

    [Fact]
    public void Cognito_in_GovCloud_offers_only_GovCloud_models_and_asks_again_for_the_FIPS_domain_at_the_end()
    {
        using var home = new TempDirectory();
        using var terminal = TmuxTerminal.StartCcwb(home.Path, null, "init", "-p", "gov-wizard", "--skip-discovery");

        terminal.Answer("How do users sign in?", "");
        terminal.Answer("Identity provider domain", "example.auth.us-gov-west-1.amazoncognito.com");
        terminal.WaitFor("Identity provider: cognito (detected from the domain)");
        terminal.Answer("Cognito user pool id", "not-a-pool");
        terminal.Answer("cognito_user_pool_id: Invalid cognito_user_pool_id format: not-a-pool", "us-gov-west-1_AbC123");
        terminal.Answer("OIDC client id of the application", "abcdefghij0123456789");
        terminal.Answer("Where users' credentials are cached", "");
        terminal.Answer("OAuth callback port", "");
        terminal.Answer("How sign-ins become AWS credentials", "");
        terminal.Answer("Session length in seconds", "");
        terminal.Answer("AWS region for the infrastructure", "us-gov-west-1");
        terminal.Answer("Stack base name", "");
        var models = terminal.WaitFor("Claude Sonnet 4.5 (GovCloud)");
        terminal.Keys("Enter");
        terminal.Answer("Cross-region inference profile", "");
        terminal.Answer("Region users' requests are sent from", "");
        terminal.Answer("Collect usage telemetry", "n");
        terminal.Answer("Enforce per-user quotas", "");
        terminal.Answer("Configure Claude Desktop (Cowork)", "n");
        terminal.Answer("Where Claude Code settings are installed", "");
        terminal.Answer("Add a Co-Authored-By line", "");
        terminal.Answer("Resource tags as Key=Value", "");
        // The domain was fine on its own; with a GovCloud region the rules want the FIPS endpoint.
        terminal.Answer("error: provider_domain: GovCloud Cognito domains use the FIPS endpoint", "example.auth-fips.us-gov-west-1.amazoncognito.com");
        terminal.Answer("Write profile 'gov-wizard'?", "");

        Assert.Equal(0, terminal.WaitForExit());
        Assert.DoesNotContain("Claude Sonnet 4.6", models, StringComparison.Ordinal);
        Assert.DoesNotContain("Enable web search", terminal.Screen, StringComparison.Ordinal);
        var profile = Profile(home, "gov-wizard");
        Assert.Equal("cognito", Text(profile, "provider_type"));
        Assert.Equal("example.auth-fips.us-gov-west-1.amazoncognito.com", Text(profile, "provider_domain"));
        Assert.Equal("us-gov-west-1_AbC123", Text(profile, "cognito_user_pool_id"));
        Assert.Equal("us-gov-west-1", Text(profile, "aws_region"));
        Assert.Equal("us-gov", Text(profile, "cross_region_profile"));
        Assert.StartsWith("us-gov.", Text(profile, "selected_model"), StringComparison.Ordinal);
        Assert.All(profile["allowed_bedrock_regions"]!.AsArray(), r => Assert.StartsWith("us-gov-", r!.GetValue<string>(), StringComparison.Ordinal));
        Assert.False(profile["monitoring_enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Interrupted_wizard_resumes_after_the_authentication_step_which_upstream_never_skipped_as_it_checked_okta_complete()
    {
        using var home = new TempDirectory();
        var progressFile = home.Combine(".ccwb", "init-progress", "resume-me.json");
        using (var first = TmuxTerminal.StartCcwb(home.Path, null, "init", "-p", "resume-me", "--skip-discovery"))
        {
            first.Answer("How do users sign in?", "");
            first.Answer("Identity provider domain", "example-corp.okta.com");
            first.Answer("Okta authorization server id", "default");
            first.Answer("OIDC client id of the application", "0oa1b2c3d4e5f6g7h8i9");
            first.Answer("Where users' credentials are cached", "");
            first.Answer("OAuth callback port", "");
            first.Answer("How sign-ins become AWS credentials", "");
            first.Answer("Session length in seconds", "7200");
            first.WaitFor("AWS region for the infrastructure");
            first.Keys("C-c");
            Assert.Equal(1, first.WaitForExit());
            Assert.Contains("Setup interrupted. Your progress has been saved", first.Screen, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(home.Combine(".ccwb", "profiles", "resume-me.json")), "an interrupted wizard writes no profile");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(progressFile));
        var saved = JsonNode.Parse(File.ReadAllText(progressFile))!;
        Assert.Equal(["authentication_complete"], saved["completed_steps"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("0oa1b2c3d4e5f6g7h8i9", Text(saved["answers"]!, "client_id"));

        using var second = TmuxTerminal.StartCcwb(home.Path, null, "init", "-p", "resume-me", "--skip-discovery");
        second.Answer("Resume the unfinished setup of 'resume-me'?", "");
        second.WaitFor("Authentication: answered before (saved progress)");
        second.Answer("AWS region for the infrastructure", "ca-central-1");
        second.Answer("Stack base name", "");
        second.Answer("Claude model", "");
        second.Answer("Cross-region inference profile", "");
        second.Answer("Region users' requests are sent from", "");
        second.Answer("Collect usage telemetry", "");
        second.Answer("Telemetry collection", "");
        second.Answer("Enforce per-user quotas", "");
        second.Answer("Configure Claude Desktop (Cowork)", "n");
        second.Answer("Where Claude Code settings are installed", "");
        second.Answer("Add a Co-Authored-By line", "");
        second.Answer("Enable web search", "");
        second.Answer("Resource tags as Key=Value", "");
        second.Answer("Write profile 'resume-me'?", "");

        Assert.Equal(0, second.WaitForExit());
        Assert.DoesNotContain("How do users sign in?", second.Screen, StringComparison.Ordinal);
        var profile = Profile(home, "resume-me");
        Assert.Equal("0oa1b2c3d4e5f6g7h8i9", Text(profile, "client_id"));
        Assert.Equal("default", Text(profile, "okta_auth_server"));
        Assert.Equal(7200, profile["max_session_duration"]!.GetValue<int>());
        Assert.Equal("ca-central-1", Text(profile, "aws_region"));
        Assert.False(File.Exists(progressFile), "the progress file is removed once the profile is written");
    }

    [Fact]
    public void Without_a_profile_name_the_wizard_asks_for_one_and_asks_again_when_it_is_not_valid()
    {
        using var home = new TempDirectory();
        using var terminal = TmuxTerminal.StartCcwb(home.Path, null, "init", "--skip-discovery");

        terminal.Answer("Profile name", "not_valid");
        terminal.Answer("'not_valid' is not a profile name (1-64 letters, digits or hyphens)", "acme-prod-us");
        terminal.WaitFor("How do users sign in?");
        terminal.Keys("C-c");

        Assert.Equal(1, terminal.WaitForExit());
        Assert.True(File.Exists(home.Combine(".ccwb", "init-progress", "acme-prod-us.json")), "the wizard's progress is kept under the name given");
        Assert.False(Directory.Exists(home.Combine(".ccwb", "profiles")));
    }

    private static JsonNode Profile(TempDirectory home, string name) =>
        JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", name + ".json")))!;

    private static string Text(JsonNode node, string key) => node[key]!.GetValue<string>();
}
