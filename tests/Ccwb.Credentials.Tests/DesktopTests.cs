using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// <c>credential-process --desktop</c> (Claude Desktop's credential helper), run as the built binary. Its bearer token
/// is decoded and its presigned URL verified independently against the secret key the STS peer issued.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait(Requires.Trait, Requires.Unix)]
public class DesktopTests
{
    private const string SilentMessage = "Error: no valid credentials for profile 'ClaudeCode'. Silent refresh failed (CLAUDE_HELPER_CONTEXT=background). " +
                                         "Re-open Claude Desktop to trigger interactive sign-in.\n";

    /// <summary>The presigned URL inside the token (with the https scheme Bedrock receives it on).</summary>
    private static Uri DecodeToken(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("^\\{\"token\":\"bedrock-api-key-[A-Za-z0-9+/]+={0,2}\",\"headers\":\\{\\}\\}\n$", result.Output);
        var token = JsonDocument.Parse(result.Output).RootElement.GetProperty("token").GetString()!;
        var url = Encoding.UTF8.GetString(Convert.FromBase64String(token["bedrock-api-key-".Length..]));
        Assert.StartsWith("bedrock.amazonaws.com/?", url, StringComparison.Ordinal);
        Assert.EndsWith("&Version=1", url, StringComparison.Ordinal);
        return new Uri("https://" + url);
    }

    private static SigV4Query.Result Verify(Uri url, Func<string, (string, string)?> issued) =>
        SigV4Query.Verify(url, "POST", "bedrock", issued, DateTimeOffset.UtcNow, "Version");

    private static void AssertBearerTokenParameters(SigV4Query.Result verified, string region)
    {
        Assert.True(verified.Valid, verified.Reason);
        var p = verified.Parameters;
        Assert.Equal("CallWithBearerToken", p["Action"]);
        Assert.Equal("1", p["Version"]);
        Assert.Equal("43200", p["X-Amz-Expires"]);
        Assert.Equal("host", p["X-Amz-SignedHeaders"]);
        Assert.EndsWith($"/{region}/bedrock/aws4_request", p["X-Amz-Credential"], StringComparison.Ordinal);
        var signedAt = DateTimeOffset.ParseExact(p["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.InRange(signedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Interactive_context_signs_in_and_the_bearer_token_verifies_against_the_secret_sts_issued()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        var profile = box.Profile(oidc, aws);
        profile["aws_region"] = "eu-west-1";
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = profile } });
        box.Environment["CLAUDE_HELPER_CONTEXT"] = "interactive";

        var url = DecodeToken(await box.RunAsync("--desktop", "--profile", "ClaudeCode"));

        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal("bedrock.amazonaws.com", url.Host);
        Assert.Equal("/", url.AbsolutePath);
        var verified = Verify(url, aws.Issued);
        AssertBearerTokenParameters(verified, "eu-west-1");
        Assert.Equal(aws.Issued(verified.Parameters["X-Amz-Credential"].Split('/')[0])!.Value.SessionToken, verified.Parameters["X-Amz-Security-Token"]);
        // The credentials were cached like a normal run's; the credential JSON itself was never printed.
        Assert.Contains("[ClaudeCode]", File.ReadAllText(box.HomePath(".aws", "credentials")), StringComparison.Ordinal);

        // Served again from the cache: no provider or STS traffic.
        var calls = aws.Calls.Count;
        Assert.True(Verify(DecodeToken(await box.RunAsync("--desktop")), aws.Issued).Valid);
        Assert.Equal((1, calls), (oidc.Authorizations, aws.Calls.Count));
    }

    [Fact]
    public async Task Silent_renewal_answers_even_when_the_cache_cannot_be_written()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        Assert.Equal(0, (await box.RunAsync()).ExitCode);
        Directory.Delete(box.HomePath(".aws"), recursive: true);
        File.WriteAllText(box.HomePath(".aws"), "a file where the ~/.aws folder should be\n");
        box.Environment["CLAUDE_HELPER_CONTEXT"] = "background";

        var result = await box.RunAsync("--desktop");

        Assert.True(Verify(DecodeToken(result), aws.Issued).Valid);
        Assert.Equal((1, 2), (oidc.Authorizations, aws.Calls.Count));
        Assert.Contains("warning: credential cache: cannot save the credentials (", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Action=CallWithBearerToken", "Action=InvokeModel")]
    [InlineData("X-Amz-Expires=43200", "X-Amz-Expires=604800")]
    [InlineData("%2Fbedrock%2Faws4_request", "%2Fs3%2Faws4_request")]
    [InlineData("X-Amz-Security-Token=IQoJ", "X-Amz-Security-Token=IQoX")]
    [InlineData("X-Amz-Signature=", "X-Amz-Signature=0")]
    public async Task A_tampered_token_fails_verification(string original, string tampered)
    {
        using var box = SeededBox(DateTimeOffset.UtcNow.AddHours(1));
        var url = DecodeToken(await box.RunAsync("--desktop")).OriginalString;
        Assert.True(Verify(new Uri(url), SeededIssued).Valid);
        Assert.Contains(original, url, StringComparison.Ordinal);
        Assert.False(Verify(new Uri(url.Replace(original, tampered, StringComparison.Ordinal)), SeededIssued).Valid);
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_fails_verification()
    {
        using var box = SeededBox(DateTimeOffset.UtcNow.AddHours(1));
        var url = DecodeToken(await box.RunAsync("--desktop"));
        Assert.Equal("SignatureDoesNotMatch", Verify(url, _ => ("another-secret", SeededToken)).Reason);
    }

    private const string SeededKey = "ASIASEEDED0000000001";
    private const string SeededSecret = "seeded/secret+key=0123456789abcdefghij";
    private const string SeededToken = "IQoJb3JpZ2luX2VjE+seeded/session=token==";

    private static (string, string)? SeededIssued(string key) => key == SeededKey ? (SeededSecret, SeededToken) : null;

    /// <summary>A HOME whose ~/.aws/credentials holds the profile's credentials, and AWS endpoints where nothing listens.</summary>
    private static Sandbox SeededBox(DateTimeOffset expiration, string storage = "session")
    {
        var box = new Sandbox();
        box.WriteConfig(new JsonObject
        {
            ["profiles"] = new JsonObject
            {
                ["ClaudeCode"] = new JsonObject
                {
                    ["provider_domain"] = "127.0.0.1:1", ["provider_type"] = "generic", ["client_id"] = "c",
                    ["federated_role_arn"] = AwsPeer.RoleArn, ["federation_type"] = "direct", ["credential_storage"] = storage,
                },
            },
        });
        box.Environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1";
        box.Environment["CLAUDE_HELPER_CONTEXT"] = "background";
        box.WriteFile(".aws/credentials",
            $"[ClaudeCode]\naws_access_key_id = {SeededKey}\naws_secret_access_key = {SeededSecret}\naws_session_token = {SeededToken}\n" +
            $"x-expiration = {expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");
        return box;
    }

    [Fact]
    public async Task Valid_cached_credentials_answer_in_a_silent_context_without_network_and_the_token_is_kept()
    {
        using var box = SeededBox(DateTimeOffset.UtcNow.AddHours(1));
        var before = box.Files();
        var result = await box.RunAsync("--desktop");
        AssertBearerTokenParameters(Verify(DecodeToken(result), SeededIssued), "us-east-1");
        Assert.Equal("", result.Error);

        // Nothing else changed; the token is kept owner-only for the next call.
        var kept = box.HomePath(".claude-code-session", "ClaudeCode-desktop-token");
        before[Path.Combine(".claude-code-session", "ClaudeCode-desktop-token")] = TokenOf(result);
        Assert.Equal(before, box.Files());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept));
    }

    [Fact]
    public async Task The_kept_token_is_handed_out_again_while_the_credentials_last_and_forgotten_with_them()
    {
        using var box = SeededBox(DateTimeOffset.UtcNow.AddHours(1));
        var first = await box.RunAsync("--desktop");
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);

        // The same token a second later, from the front (the only reader that matters for speed) and the full helper.
        Assert.Equal(first.Output, (await box.RunAsync("--desktop")).Output);
        Assert.Equal(first.Output, (await box.RunAsync(Sandbox.FullBinary, ["--desktop"])).Output);

        // --clear-cache forgets it with the credentials.
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        Assert.False(File.Exists(box.HomePath(".claude-code-session", "ClaudeCode-desktop-token")));
    }

    /// <summary>A kept token that does not match the cached credentials and profile exactly is replaced by a new one.</summary>
    [Theory]
    [InlineData("session token")]
    [InlineData("access key")]
    [InlineData("region")]
    public async Task A_kept_token_for_other_credentials_or_another_region_is_not_handed_out(string changed)
    {
        using var box = SeededBox(DateTimeOffset.UtcNow.AddHours(1));
        var first = TokenOf(await box.RunAsync("--desktop"));
        var credentials = box.HomePath(".aws", "credentials");
        if (changed == "session token") File.WriteAllText(credentials, File.ReadAllText(credentials).Replace(SeededToken, SeededToken + "new", StringComparison.Ordinal));
        if (changed == "access key") File.WriteAllText(credentials, File.ReadAllText(credentials).Replace(SeededKey, SeededKey[..^1] + "2", StringComparison.Ordinal));
        var region = changed == "region" ? "eu-central-1" : "us-east-1";
        if (changed == "region")
        {
            var config = box.HomePath("claude-code-with-bedrock", "config.json");
            File.WriteAllText(config, File.ReadAllText(config).Replace("\"credential_storage\"", "\"aws_region\":\"eu-central-1\",\"credential_storage\"", StringComparison.Ordinal));
        }
        (string, string)? Issued(string key) => key.StartsWith("ASIASEEDED", StringComparison.Ordinal)
            ? (SeededSecret, changed == "session token" ? SeededToken + "new" : SeededToken) : null;

        var second = await box.RunAsync("--desktop");

        Assert.NotEqual(first, TokenOf(second));
        AssertBearerTokenParameters(Verify(DecodeToken(second), Issued), region);
        Assert.Equal(TokenOf(second), File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-desktop-token")));
    }

    private static string TokenOf(Run.Result result) => JsonDocument.Parse(result.Output).RootElement.GetProperty("token").GetString()!;

    [Fact]
    public async Task Silent_context_with_no_cache_fails_with_the_upstream_message_and_opens_no_browser()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        box.Environment["CLAUDE_HELPER_CONTEXT"] = "background";

        var result = await box.RunAsync("--desktop");

        Assert.Equal((1, "", SilentMessage), (result.ExitCode, result.Output, result.Error));
        Assert.Equal(0, oidc.Authorizations);
        Assert.Empty(aws.Calls);
        Assert.Empty(box.Files());
    }

    [Fact]
    public async Task Silent_context_with_expired_credentials_and_nothing_to_refresh_with_says_the_credentials_expired()
    {
        using var box = SeededBox(DateTimeOffset.UtcNow.AddSeconds(20));
        var result = await box.RunAsync("--desktop");
        Assert.Equal((1, "", "Error: credentials expired for profile 'ClaudeCode' and refresh failed.\n"), (result.ExitCode, result.Output, result.Error));
    }

    [Fact]
    public async Task Silent_context_renews_expired_credentials_with_the_cached_id_token_then_the_refresh_token()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        Assert.Equal(0, (await box.RunAsync()).ExitCode);
        var refreshToken = File.ReadAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"));
        box.Environment["CLAUDE_HELPER_CONTEXT"] = "background";

        // No AWS credentials, a valid id token: STS again, silently.
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        File.WriteAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"), refreshToken);
        Assert.True(Verify(DecodeToken(await box.RunAsync("--desktop")), aws.Issued).Valid);
        Assert.Equal((1, 0), (oidc.Authorizations, oidc.TokenRequests("refresh_token")));

        // No id token either: the refresh token.
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        File.WriteAllText(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json"), refreshToken);
        File.Delete(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json"));
        Assert.True(Verify(DecodeToken(await box.RunAsync("--desktop")), aws.Issued).Valid);
        Assert.Equal((1, 1), (oidc.Authorizations, oidc.TokenRequests("refresh_token")));
    }
}
