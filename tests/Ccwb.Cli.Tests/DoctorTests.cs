using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ccwb.Cli.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests;

/// <summary>
/// <c>ccwb doctor</c> on a sandbox computer with a real installation (the built helpers): a healthy one passes, and
/// each broken piece fails its own check with the fix for it.
/// </summary>
public sealed class DoctorTests
{
    private static string HelperVersion { get; } = Version(DoctorSandbox.CredentialProcessBuild);

    private static string OtelHelperVersion { get; } = Version(DoctorSandbox.OtelHelperBuild);

    private static string Version(string program) => Run.Checked(program, "--version").Output.Split('\n')[0].Trim();

    /// <summary>The line of one check in the text output ("FAIL  name  summary").</summary>
    private static string Line(Run.Result result, string check) =>
        result.Output.Split('\n').SingleOrDefault(l => l.Length > 6 && l[6..].StartsWith(check + " ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no line for check '{check}' in:\n{result}");

    private static void AssertFails(Run.Result result, string check, string summary, string fix)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Line(result, check);
        Assert.StartsWith("FAIL", line, StringComparison.Ordinal);
        Assert.Contains(summary, line, StringComparison.Ordinal);
        var lines = result.Output.Split('\n').ToList();
        Assert.Contains(fix, lines[lines.IndexOf(line) + 1], StringComparison.Ordinal);
        Assert.Contains($"error: doctor: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(check, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_healthy_installation_passes_every_check()
    {
        using var box = new DoctorSandbox().Healthy();
        var result = box.Doctor();

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var check in new[] { "credential-process", "otel-helper", "config.json", "aws profile", "claude code settings", "callback port", "clock", "proxy", "tls trust" })
            Assert.StartsWith("PASS", Line(result, check), StringComparison.Ordinal);
        Assert.Contains(HelperVersion, Line(result, "credential-process"), StringComparison.Ordinal);
        Assert.StartsWith("SKIP", Line(result, "keyring"), StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Json_output_of_a_healthy_installation()
    {
        using var box = new DoctorSandbox().Healthy();
        var result = box.Doctor("--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotNull(JsonNode.Parse(result.Output));
        Snapshot.Verify(box.Normalize(result.Output, HelperVersion, OtelHelperVersion), "json");
    }

    [Fact]
    public void Json_output_reports_a_failure_with_its_fix_and_exit_1()
    {
        using var box = new DoctorSandbox().Healthy();
        box.Environment["SSL_CERT_FILE"] = box.HomePath("nowhere.pem");
        var result = box.Doctor("--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var checks = JsonNode.Parse(result.Output)!["checks"]!.AsArray();
        var check = checks.Single(c => (string?)c!["name"] == "tls trust")!;
        Assert.Equal("fail", (string?)check["status"]);
        Assert.Contains("Point SSL_CERT_FILE at a PEM file", (string?)check["fix"], StringComparison.Ordinal);
        Assert.Equal(1, (int?)JsonNode.Parse(result.Output)!["failed"]);
    }

    [Fact]
    public void Missing_credential_process_fails_with_the_install_fix()
    {
        using var box = new DoctorSandbox().Healthy();
        File.Delete(box.CredentialProcess);
        var result = box.Doctor();

        AssertFails(result, "credential-process", $"credential-process is not installed (looked in {box.InstallFolder}", "Install the package your administrator gave you");
    }

    [Fact]
    public void A_credential_process_that_does_not_run_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile("claude-code-with-bedrock/credential-process", "#!/bin/sh\necho 'cannot execute binary file: Exec format error' >&2\nexit 126\n");
        var result = box.Doctor();

        AssertFails(result, "credential-process", "--version failed (exit 126): cannot execute binary file", "operating system and processor");
    }

    [Fact]
    public void Missing_otel_helper_fails_when_the_profile_sends_telemetry()
    {
        using var box = new DoctorSandbox().Healthy();
        File.Delete(Path.Combine(box.InstallFolder, "otel-helper"));
        var result = box.Doctor();

        AssertFails(result, "otel-helper", "otel-helper is not installed", "the profile sends telemetry");
    }

    [Fact]
    public void Bad_config_json_fails_with_the_helpers_own_message()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile("claude-code-with-bedrock/config.json", "{\"profiles\": {\"ClaudeCode\": {\"redirect_port\": \"eighty\"}}}");
        var result = box.Doctor();

        AssertFails(result, "config.json", "\"redirect_port\" of profile \"ClaudeCode\" must be a whole number", "copy its config.json back");
    }

    [Fact]
    public void Config_json_without_the_sign_in_keys_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        var profile = box.ConfigProfile();
        profile.Remove("client_id");
        profile.Remove("federated_role_arn");
        box.WriteConfig(profile);
        var result = box.Doctor();

        AssertFails(result, "config.json", "lacks client_id, federated_role_arn", "Reinstall the package");
    }

    [Fact]
    public void Aws_profile_pointing_at_a_missing_binary_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile(".aws/config", "[profile ClaudeCode]\ncredential_process = /opt/gone/credential-process --profile ClaudeCode\n");
        var result = box.Doctor();

        AssertFails(result, "aws profile", "runs /opt/gone/credential-process, which does not exist", "ccwb-configure-aws-profile");
    }

    [Theory]
    [InlineData("\"{0}\" --profile ClaudeCode")]
    [InlineData("{1} --profile ClaudeCode")]
    public void Aws_profile_running_a_quoted_or_escaped_path_with_a_space_passes(string form)
    {
        using var box = new DoctorSandbox().Healthy();
        var program = box.HomePath("Claude Code", "credential-process");
        box.WriteFile("Claude Code/credential-process", "#!/bin/sh\n");
        box.WriteFile(".aws/config", $"[profile ClaudeCode]\ncredential_process = {string.Format(CultureInfo.InvariantCulture, form, program, program.Replace(" ", "\\ ", StringComparison.Ordinal))}\n");

        var line = Line(box.Doctor(), "aws profile");

        Assert.StartsWith("PASS", line, StringComparison.Ordinal);
        Assert.Contains($"runs {program}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_config_without_the_profile_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile(".aws/config", "[profile other]\nregion = us-east-1\n");
        var result = box.Doctor();

        AssertFails(result, "aws profile", "has no [profile ClaudeCode]", "Run the installer again");
    }

    [Fact]
    public void Claude_settings_with_an_unreplaced_placeholder_fail()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile(".claude/settings.json", "{\"env\": {\"CLAUDE_CODE_USE_BEDROCK\": \"1\"}, \"awsAuthRefresh\": \"__CREDENTIAL_PROCESS_PATH__ --profile ClaudeCode\"}");
        var result = box.Doctor();

        AssertFails(result, "claude code settings", "still holds the placeholder __CREDENTIAL_PROCESS_PATH__", "Run the installer again");
    }

    [Fact]
    public void Missing_claude_settings_fail()
    {
        using var box = new DoctorSandbox().Healthy();
        File.Delete(box.HomePath(".claude", "settings.json"));
        var result = box.Doctor();

        AssertFails(result, "claude code settings", "settings.json nor", "Run the installer again");
    }

    [Fact]
    public void A_taken_callback_port_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        var squatter = new TcpListener(IPAddress.Loopback, box.CallbackPort);
        squatter.Start();
        try
        {
            var result = box.Doctor();
            AssertFails(result, "callback port", $"port {box.CallbackPort} on 127.0.0.1 is in use by another program", $"lsof -i :{box.CallbackPort}");
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Fact]
    public void A_bad_aws_ca_bundle_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile("corp-ca.pem", "this is not a certificate\n");
        box.Environment["AWS_CA_BUNDLE"] = box.HomePath("corp-ca.pem");
        var result = box.Doctor();

        AssertFails(result, "tls trust", "AWS_CA_BUNDLE: ", "Point AWS_CA_BUNDLE at a PEM file");
    }

    [Fact]
    public void A_missing_aws_ca_bundle_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        box.Environment["AWS_CA_BUNDLE"] = box.HomePath("nowhere.pem");
        var result = box.Doctor();

        AssertFails(result, "tls trust", $"the CA bundle {box.HomePath("nowhere.pem")} does not exist", "Point AWS_CA_BUNDLE at a PEM file");
    }

    [Fact]
    public void A_real_ca_bundle_passes_with_its_certificate_count()
    {
        using var box = new DoctorSandbox().Healthy();
        using var ca = Testing.Tls.TestPki.CreateCa("Example Corp Inspection CA");
        box.Environment["AWS_CA_BUNDLE"] = Testing.Tls.TestPki.WritePem(box.HomePath("corp-ca.pem"), ca);
        var result = box.Doctor();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("AWS_CA_BUNDLE: 1 certificate(s)", Line(result, "tls trust"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unusable_proxy_variable_fails()
    {
        using var box = new DoctorSandbox().Healthy();
        box.Environment["HTTPS_PROXY"] = "socks5://proxy.example.com:1080";
        var result = box.Doctor();

        AssertFails(result, "proxy", "HTTPS_PROXY: the proxy in HTTPS_PROXY uses 'socks5://'", "Set HTTPS_PROXY to your proxy's address");
    }

    [Fact]
    public void A_skewed_clock_fails_against_the_servers_date()
    {
        using var box = new DoctorSandbox().Healthy();
        // The server's time is 10 minutes behind, so this computer is 600 s ahead of it.
        box.ClockOffset = TimeSpan.FromMinutes(-10);
        var result = box.Doctor();

        AssertFails(result, "clock", " s ahead of 127.0.0.1; AWS refuses requests more than 5 minutes off", "timedatectl set-ntp true");
        // Date has whole seconds, so the measured skew is 600 s give or take the one the server truncated.
        Assert.Matches(@"this computer's clock is (599|600|601) s ahead", Line(result, "clock"));
    }

    [Fact]
    public void A_clock_reference_that_cannot_be_reached_is_skipped_not_failed()
    {
        using var box = new DoctorSandbox().Healthy();
        var result = box.Ccwb("doctor", "--clock-endpoint", $"http://127.0.0.1:{Testing.Peers.AwsPeer.FreePort()}/");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("SKIP", Line(result, "clock"), StringComparison.Ordinal);
        Assert.Contains("could not be reached", Line(result, "clock"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_secret_service_passes_the_keyring_check()
    {
        using var box = new DoctorSandbox().Healthy();
        var profile = box.ConfigProfile();
        profile["credential_storage"] = "keyring";
        box.WriteConfig(profile);
        var result = box.DoctorWithSecretService();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("PASS  keyring               the keyring answers", Line(result, "keyring"));
    }

    [Fact]
    public void An_unreachable_keyring_fails_when_the_profile_stores_credentials_there()
    {
        using var box = new DoctorSandbox().Healthy();
        var profile = box.ConfigProfile();
        profile["credential_storage"] = "keyring";
        box.WriteConfig(profile);
        box.Environment["DBUS_SESSION_BUS_ADDRESS"] = $"unix:path={box.HomePath("no-bus")}";
        var result = box.Doctor();

        AssertFails(result, "keyring", "the keyring cannot be used", "Unlock or start your keyring");
    }

    [Fact]
    public void Live_call_gets_cached_credentials_and_reports_their_expiry_without_showing_them()
    {
        using var box = new DoctorSandbox().Healthy();
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        box.WriteFile(".aws/credentials",
            $"[ClaudeCode]\naws_access_key_id = ASIAPLANTEDKEYID0001\naws_secret_access_key = planted/Secret+Access+Key/0001\n" +
            $"aws_session_token = PlantedSessionToken0001\nx-expiration = {expires}\n");
        var result = box.Doctor("--live");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("PASS", Line(result, "credential call"), StringComparison.Ordinal);
        Assert.Contains($"valid until {expires}", Line(result, "credential call"), StringComparison.Ordinal);
        foreach (var secret in new[] { "ASIAPLANTEDKEYID0001", "planted/Secret+Access+Key/0001", "PlantedSessionToken0001" })
            Assert.DoesNotContain(secret, result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_call_of_a_passthrough_profile_with_long_term_keys_passes_though_they_carry_no_expiration()
    {
        using var box = new DoctorSandbox().Healthy();
        var profile = box.ConfigProfile();
        profile["sso_enabled"] = false;
        box.WriteConfig(profile);
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAPLANTEDLONGTERM1";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "planted/Long+Term+Secret/0001";
        var result = box.Doctor("--live");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("long-term keys, no expiry", Line(result, "credential call"), StringComparison.Ordinal);
        Assert.DoesNotContain("planted/Long+Term+Secret/0001", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_that_cannot_be_written_is_one_error_line_not_a_stack_trace()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile("not-a-folder", "a file where the report's folder should be");
        var result = box.Doctor("--report", box.HomePath("not-a-folder", "report.txt"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --report: cannot write ", result.Error.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_call_that_cannot_sign_in_fails_with_the_helpers_error()
    {
        using var box = new DoctorSandbox().Healthy();
        var profile = box.ConfigProfile();
        // Nothing listens there, so sign-in fails at once instead of waiting for a browser.
        profile["provider_domain"] = $"http://127.0.0.1:{Testing.Peers.AwsPeer.FreePort()}";
        box.WriteConfig(profile);
        box.Environment["BROWSER"] = "/bin/false";
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "5";
        var result = box.Doctor("--live");

        AssertFails(result, "credential call", "credential-process --profile ClaudeCode failed (exit 1)", "in a terminal to see the sign-in");
    }

    [Fact]
    public void Report_has_the_checks_and_none_of_the_secrets_planted_in_config_and_environment()
    {
        using var box = new DoctorSandbox().Healthy();
        var profile = box.ConfigProfile();
        profile["provider_type"] = "google";
        profile["client_secret"] = "GOCSPX-planted-client-secret";
        box.WriteConfig(profile);
        box.Environment["CCWB_CLIENT_SECRET"] = "planted-entra-secret-value";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "planted/aws/secret/access/key";
        box.Environment["AWS_SESSION_TOKEN"] = "planted-session-token-value";
        box.Environment["HTTPS_PROXY"] = "http://alice:planted-proxy-password@proxy.example.com:3128";
        box.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        // A secret in a variable whose name does not say so still goes when it is shaped like a token.
        box.Environment["CLAUDE_DEBUG_HEADER"] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJl";
        var report = box.HomePath("support", "doctor-report.txt");
        var result = box.Doctor("--report", report);

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = File.ReadAllText(report);
        Assert.Contains("== Checks ==", text, StringComparison.Ordinal);
        Assert.Contains("PASS  config.json", text, StringComparison.Ordinal);
        Assert.Contains("\"client_id\": \"claude-code-client\"", text, StringComparison.Ordinal);
        Assert.Contains("\"client_secret\": \"[REDACTED]\"", text, StringComparison.Ordinal);
        Assert.Contains("AWS_SECRET_ACCESS_KEY=[REDACTED]", text, StringComparison.Ordinal);
        Assert.Contains("HTTPS_PROXY=http://[REDACTED]@proxy.example.com:3128", text, StringComparison.Ordinal);
        Assert.Contains($"credential_process = {box.CredentialProcess} --profile ClaudeCode", text, StringComparison.Ordinal);
        foreach (var secret in new[] { "GOCSPX-planted-client-secret", "planted-entra-secret-value", "planted/aws/secret/access/key",
                     "planted-session-token-value", "planted-proxy-password", "eyJzdWIiOiJwbGFudGVkIn0" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Output + result.Error, StringComparison.Ordinal);
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));
    }

    [Fact]
    public void Control_characters_from_files_never_reach_the_terminal()
    {
        using var box = new DoctorSandbox().Healthy();
        box.WriteFile(".aws/config", "[profile ClaudeCode]\ncredential_process = /opt/\u001b[31mgone\u0007/credential-process\n");
        var result = box.Doctor();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.DoesNotContain('\u001b', result.Output + result.Error);
        Assert.DoesNotContain('\u0007', result.Output + result.Error);
        Assert.Contains("/opt/[31mgone/credential-process", Line(result, "aws profile"), StringComparison.Ordinal);
    }
}
