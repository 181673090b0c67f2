using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// Every way the world can be wrong gives one clear message on stderr, exit 1, nothing on stdout, and no cache or
/// token file written (so no half-written one either).
/// </summary>
[Trait(Requires.Trait, Requires.Unix)]
public class BadInputTests
{
    private static void AssertCleanFailure(Run.Result result, Sandbox box, string expectedMessage)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith("Error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", result.Error.TrimEnd('\n'), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        // No AWS credentials, no temporary files; the tokens of a completed sign-in may stay, but only whole.
        var files = box.Files();
        Assert.DoesNotContain(files.Keys, k => k.StartsWith(".aws", StringComparison.Ordinal) || k.EndsWith(".tmp", StringComparison.Ordinal));
        foreach (var (name, content) in files.Where(f => f.Key.StartsWith(".claude-code-session", StringComparison.Ordinal)))
            Assert.True(System.Text.Json.Nodes.JsonNode.Parse(content) is System.Text.Json.Nodes.JsonObject, name);
    }

    [Fact]
    public async Task Missing_config_json_names_both_places_looked_at()
    {
        using var box = new Sandbox();
        var result = await box.RunAsync();
        AssertCleanFailure(result, box, "config.json not found. Looked in ");
        Assert.Contains(box.HomePath("claude-code-with-bedrock", "config.json"), result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"ClaudeCode\": {\"provider_domain\": ", "invalid config.json")]
    [InlineData("[1, 2]", "the top level must be an object of profiles")]
    [InlineData("{\"profiles\": {\"ClaudeCode\": {\"redirect_port\": \"eighty\"}}}", "\"redirect_port\" of profile \"ClaudeCode\" must be a whole number")]
    public async Task Malformed_config_json_is_reported_with_its_path(string content, string message)
    {
        using var box = new Sandbox();
        box.WriteFile("claude-code-with-bedrock/config.json", content);
        AssertCleanFailure(await box.RunAsync(), box, message);
    }

    [Fact]
    public async Task Unknown_profile_lists_the_available_ones()
    {
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["A"] = new JsonObject(), ["B"] = new JsonObject() } });
        AssertCleanFailure(await box.RunAsync("-p", "Nope"), box, "profile \"Nope\" not found in configuration");
        AssertCleanFailure(await box.RunAsync("-p", "Nope"), box, "Available profiles: A, B");
    }

    [Fact]
    public async Task Unknown_provider_prints_the_three_line_hint()
    {
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = new JsonObject { ["provider_domain"] = "login.example.org", ["client_id"] = "x", ["federated_role_arn"] = AwsPeer.RoleArn } });
        var result = await box.RunAsync();
        AssertCleanFailure(result, box, "Unable to auto-detect provider type for domain 'login.example.org'.");
        Assert.Contains("Set provider_type to \"generic\"", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("authorize-error", "authentication error: User is not assigned to the client application.")]
    [InlineData("token-400", "token exchange failed (HTTP 400): {\"error\":\"invalid_client\"")]
    [InlineData("token-500", "token exchange failed (HTTP 500)")]
    [InlineData("token-not-json", "body that is not a JSON token response (Content-Type: text/html)")]
    [InlineData("id-token-garbled", "the provider returned an id token that cannot be decoded")]
    [InlineData("id-token-bad-signature", "signature does not verify against the provider's published keys")]
    [InlineData("id-token-expired", "the id token expired at")]
    [InlineData("nonce-mismatch", "invalid nonce in ID token")]
    [InlineData("wrong-audience", "the id token is meant for another client")]
    public async Task Identity_provider_misbehaviour_fails_cleanly(string mode, string message)
    {
        await using var oidc = await OidcPeer.StartAsync(mode);
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });

        AssertCleanFailure(await box.RunAsync(), box, message);

        Assert.Empty(aws.Calls);
        // No token is kept; only when the sign-in failed, for calls that were running beside it.
        Assert.Equal([Path.Combine(".claude-code-session", "ClaudeCode-sign-in-failed.json")], box.Files().Keys);
    }

    [Fact]
    public async Task A_redirect_with_another_state_is_refused_and_does_not_end_the_sign_in()
    {
        // The provider's redirect carries a state this sign-in never sent: answered 400, and only the time limit ends the wait.
        await using var oidc = await OidcPeer.StartAsync("wrong-state");
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.Environment["CCWB_AUTH_TIMEOUT_SECONDS"] = "3";
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });

        AssertCleanFailure(await box.RunAsync(), box, "authentication timeout - no authorization code received within 3s");

        Assert.Empty(aws.Calls);
    }

    [Theory]
    [InlineData("sts-access-denied", "AssumeRoleWithWebIdentity failed: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity (HTTP 403)")]
    [InlineData("sts-malformed-xml", "AssumeRoleWithWebIdentity failed: STS answered HTTP 200 with a body that is not an STS response")]
    public async Task Sts_errors_fail_cleanly(string fault, string message)
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client") { Fault = fault };
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });
        AssertCleanFailure(await box.RunAsync(), box, message);
    }

    [Fact]
    public async Task Cognito_error_json_clears_the_cache_and_names_the_cause()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client", cognitoProviderName: oidc.Issuer) { Fault = "cognito-not-authorized" };
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws, federation: "cognito") });
        var result = await box.RunAsync();
        AssertCleanFailure(result, box, "Authentication failed - cached credentials were invalid and have been cleared.");
        Assert.Contains("Cause: Cognito GetId failed: NotAuthorizedException: Token is not from a supported provider of this identity pool. (HTTP 400)",
            result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_port_held_by_a_foreign_program_fails_at_once_with_the_port_named()
    {
        using var box = new Sandbox();
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) });
        using var foreign = new TcpListener(IPAddress.Loopback, box.Port);
        foreign.Start();
        // The foreign program answers HTTP, but not as a sign-in in progress.
        var cancellation = TestContext.Current.CancellationToken;
        _ = Task.Run(async () =>
        {
            while (!cancellation.IsCancellationRequested)
            {
                using var client = await foreign.AcceptTcpClientAsync(cancellation);
                var stream = client.GetStream();
                _ = await stream.ReadAtLeastAsync(new byte[4096], 1, throwOnEndOfStream: false, cancellation);
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"u8.ToArray(), cancellation);
            }
        }, cancellation);

        var result = await box.RunAsync();

        AssertCleanFailure(result, box, $"cannot listen on 127.0.0.1:{box.Port}: the port is used by another program");
        Assert.Equal(0, oidc.Authorizations);
        foreign.Stop();
    }

    [Fact]
    public async Task Unknown_flag_prints_usage_and_exits_2()
    {
        using var box = new Sandbox();
        var result = await box.RunAsync("--no-such-flag");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("flag provided but not defined: -no-such-flag", result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: credential-process", result.Error, StringComparison.Ordinal);
    }
}
