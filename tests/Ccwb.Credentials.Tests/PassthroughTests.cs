using System.Text.Json.Nodes;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Tests.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// <c>sso_enabled: false</c> without Identity Center: ambient credentials passed through, with the real AWS CLI as the
/// consumer running credential-process as its profile's credential_process.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class PassthroughTests : IDisposable
{
    private const string AwsCli = "/usr/bin/aws";
    private const string UserArn = "arn:aws:sts::123456789012:assumed-role/Developers/bob@example.com";

    /// <summary>STS for GetCallerIdentity (the otel header cache each run refreshes); it knows only the keys a test trusts.</summary>
    private readonly AwsPeer sts = new("https://issuer.invalid", "unused");

    public void Dispose() => sts.Dispose();

    private Sandbox Start()
    {
        var box = new Sandbox();
        box.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        box.Environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint;
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["Pass"] = new JsonObject { ["sso_enabled"] = false, ["aws_region"] = "us-east-1" } } });
        box.WriteFile(Path.Combine(".aws", "config"), $"""
            [profile claude]
            credential_process = {Sandbox.Binary} --profile Pass
            region = us-east-1

            """);
        return box;
    }

    /// <summary>What the AWS CLI resolved for the profile whose credential_process is credential-process.</summary>
    private static async Task<JsonObject> CliCredentials(Sandbox box)
    {
        var result = await box.RunAsync(AwsCli, ["configure", "export-credentials", "--profile", "claude", "--format", "process"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Output)!.AsObject();
    }

    [Fact]
    public async Task Environment_credentials_pass_through_without_session_token_or_expiration()
    {
        using var box = Start();
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT00001";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "env/secret+key";

        var direct = await box.RunAsync();
        Assert.True(direct.ExitCode == 0, direct.ToString());
        Assert.Equal("{\"Version\":1,\"AccessKeyId\":\"AKIAENVIRONMENT00001\",\"SecretAccessKey\":\"env/secret\\u002Bkey\"}\n", direct.Output);

        var cli = await CliCredentials(box);
        Assert.Equal("AKIAENVIRONMENT00001", cli["AccessKeyId"]!.GetValue<string>());
        Assert.Equal("env/secret+key", cli["SecretAccessKey"]!.GetValue<string>());
        Assert.False(cli.ContainsKey("SessionToken"));
        Assert.DoesNotContain(box.Files().Keys, k => !k.StartsWith(".aws/config", StringComparison.Ordinal) && !k.StartsWith(".aws/cli", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_profile_of_the_shared_credentials_file_passes_through()
    {
        using var box = Start();
        box.Environment["AWS_PROFILE"] = "static";
        box.WriteFile(Path.Combine(".aws", "credentials"), """
            [default]
            aws_access_key_id = AKIADEFAULT000000001
            aws_secret_access_key = default-secret

            [static]
            aws_access_key_id = ASIASTATIC0000000001
            aws_secret_access_key = static-secret
            aws_session_token = static-session-token

            """);

        var cli = await CliCredentials(box);

        Assert.Equal("ASIASTATIC0000000001", cli["AccessKeyId"]!.GetValue<string>());
        Assert.Equal("static-session-token", cli["SessionToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_container_credentials_endpoint_passes_through_with_its_authorization_token()
    {
        using var box = Start();
        using var container = new ContainerCredentialsPeer();
        box.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container.Url;
        box.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = container.AuthorizationToken;

        var cli = await CliCredentials(box);

        Assert.Equal(container.IssuedAccessKeyId, cli["AccessKeyId"]!.GetValue<string>());
        Assert.True(cli.ContainsKey("Expiration"));
        Assert.Equal(1, container.Requests);
    }

    [Fact]
    public async Task A_refused_container_token_is_a_clear_error()
    {
        using var box = Start();
        using var container = new ContainerCredentialsPeer();
        box.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container.Url;
        box.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong";

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal($"Error: the container credentials endpoint {container.Url} answered HTTP 401.\n{Flow.PassthroughCommands.Hint}\n", result.Error);
    }

    [Fact]
    public async Task A_profile_that_runs_credential_process_itself_is_skipped_instead_of_recursing()
    {
        using var box = Start();
        box.Environment["AWS_PROFILE"] = "claude";

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("Error: sso_enabled=false but no ambient AWS credentials found: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("profile 'claude' runs credential-process itself (skipped: it would call itself)", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("\n" + Flow.PassthroughCommands.Hint + "\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_process_started_by_the_chain_refuses_to_resolve_again()
    {
        using var box = Start();
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT00001";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "secret";
        box.Environment["CCWB_AMBIENT_CREDENTIAL_CHAIN"] = "1";

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refusing to recurse", result.Error, StringComparison.Ordinal);
    }

    private static string HeaderCachePath(Sandbox box) => box.HomePath(".claude-code-session", "Pass-otel-headers.json");

    /// <summary>The credential_process line of a run that succeeded.</summary>
    private static JsonObject Printed(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("\n", result.Output, StringComparison.Ordinal);
        Assert.Single(result.Output.TrimEnd('\n').Split('\n'));
        return JsonNode.Parse(result.Output)!.AsObject();
    }

    [Fact]
    public async Task A_normal_run_writes_the_otel_header_cache_from_the_caller_identity_of_the_credentials_it_printed()
    {
        using var box = Start();
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAPASSTHROUGH00003";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "ambient/secret";
        sts.Trust("AKIAPASSTHROUGH00003", "ambient/secret", UserArn);

        var printed = Printed(await box.RunAsync());

        Assert.Equal("AKIAPASSTHROUGH00003", printed["AccessKeyId"]!.GetValue<string>());
        Assert.Equal(["sts:GetCallerIdentity"], sts.Calls);
        var entry = JsonNode.Parse(File.ReadAllText(HeaderCachePath(box)))!.AsObject();
        Assert.Equal(2, entry["schema_version"]!.GetValue<int>());
        Assert.Equal("bob@example.com", entry["headers"]!["x-user-email"]!.GetValue<string>());
        Assert.InRange(entry["token_exp"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(59).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(61).ToUnixTimeSeconds());
        Assert.Equal(entry["headers"]!.ToJsonString(), File.ReadAllText(box.HomePath(".claude-code-session", "Pass-otel-headers.raw")));
    }

    [Fact]
    public async Task A_failing_caller_identity_lookup_still_prints_the_credentials_and_exits_0()
    {
        using var box = Start();
        box.Environment["AWS_ACCESS_KEY_ID"] = "AKIAUNKNOWNTOSTS0001";
        box.Environment["AWS_SECRET_ACCESS_KEY"] = "ambient/secret";
        box.Environment["COGNITO_AUTH_DEBUG"] = "1";

        var result = await box.RunAsync();

        Assert.Equal("AKIAUNKNOWNTOSTS0001", Printed(result)["AccessKeyId"]!.GetValue<string>());
        Assert.Equal(["sts:GetCallerIdentity"], sts.Calls);
        Assert.Contains("Debug: No attribution headers cached: GetCallerIdentity failed: InvalidClientTokenId", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\nError: ", "\n" + result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(HeaderCachePath(box)));
    }

    [Fact]
    public async Task A_profile_whose_credential_process_is_another_program_passes_its_credentials_through()
    {
        using var box = Start();
        box.Environment["AWS_PROFILE"] = "scripted";
        var expiration = DateTimeOffset.UtcNow.AddMinutes(45).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        // The script records the recursion marker it was started with, then prints credential_process JSON.
        box.WriteExecutable(Path.Combine("bin", "vault-credentials"), $$"""
            #!/bin/sh
            printf '%s' "$CCWB_AMBIENT_CREDENTIAL_CHAIN" > "$HOME/marker-seen"
            printf '{"Version":1,"AccessKeyId":"ASIASCRIPTED00000001","SecretAccessKey":"scripted/secret","SessionToken":"scripted-token","Expiration":"{{expiration}}"}\n'
            """);
        box.WriteFile(Path.Combine(".aws", "config"), $"""
            [profile scripted]
            credential_process = "{box.HomePath("bin", "vault-credentials")}" --role developer

            """);

        var printed = Printed(await box.RunAsync());

        Assert.Equal("ASIASCRIPTED00000001", printed["AccessKeyId"]!.GetValue<string>());
        Assert.Equal("scripted/secret", printed["SecretAccessKey"]!.GetValue<string>());
        Assert.Equal("scripted-token", printed["SessionToken"]!.GetValue<string>());
        Assert.Equal(expiration, printed["Expiration"]!.GetValue<string>());
        Assert.Equal("1", File.ReadAllText(box.HomePath("marker-seen")));
    }

    [Fact]
    public async Task A_credential_process_that_runs_credential_process_through_a_wrapper_is_stopped_by_the_marker()
    {
        using var box = Start();
        box.Environment["AWS_PROFILE"] = "wrapped";
        // The command does not name credential-process, so only the marker the chain sets can stop the recursion.
        box.WriteExecutable(Path.Combine("bin", "wrapper"), $"""
            #!/bin/sh
            exec "{Sandbox.Binary}" --profile Pass
            """);
        box.WriteFile(Path.Combine(".aws", "config"), $"""
            [profile wrapped]
            credential_process = {box.HomePath("bin", "wrapper")}

            """);

        var result = await box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("refusing to recurse", result.Error, StringComparison.Ordinal);
        Assert.Contains("Error: profile 'wrapped': its credential_process exited with status 1.", result.Error, StringComparison.Ordinal);
        Assert.Empty(sts.Calls);
    }

    [Theory]
    [InlineData("legacy profile")]
    [InlineData("sso-session")]
    public async Task An_sso_profile_signed_in_by_the_aws_cli_passes_role_credentials_through(string shape)
    {
        using var box = Start();
        using var sso = new SsoPeer();
        box.Environment["AWS_PROFILE"] = "sso";
        box.Environment["AWS_ENDPOINT_URL_SSO"] = sso.Endpoint;
        var session = sso.SignedInSession(accessTokenExpired: false);
        box.WriteFile(Path.Combine(".aws", "config"), shape == "legacy profile"
            ? $"""
              [profile sso]
              sso_start_url = {SsoPeer.StartUrl}
              sso_region = eu-west-1
              sso_account_id = {SsoPeer.Account}
              sso_role_name = {SsoPeer.PermissionSet}

              """
            : $"""
              [profile sso]
              sso_session = corp
              sso_account_id = {SsoPeer.Account}
              sso_role_name = {SsoPeer.PermissionSet}

              [sso-session corp]
              sso_start_url = {SsoPeer.StartUrl}
              sso_region = eu-west-1
              sso_registration_scopes = sso:account:access

              """);
        WriteAwsCliTokenCache(box, shape == "legacy profile" ? SsoPeer.StartUrl : "corp", session.AccessToken, DateTimeOffset.UtcNow.AddMinutes(50));

        var printed = Printed(await box.RunAsync());

        var key = printed["AccessKeyId"]!.GetValue<string>();
        Assert.Equal(sso.Issued(key)?.Secret, printed["SecretAccessKey"]!.GetValue<string>());
        Assert.True(printed.ContainsKey("SessionToken") && printed.ContainsKey("Expiration"));
        Assert.Equal(["GetRoleCredentials"], sso.Calls);
    }

    [Fact]
    public async Task An_sso_profile_whose_session_expired_says_so_and_calls_nothing()
    {
        using var box = Start();
        using var sso = new SsoPeer();
        box.Environment["AWS_PROFILE"] = "sso";
        box.Environment["AWS_ENDPOINT_URL_SSO"] = sso.Endpoint;
        box.WriteFile(Path.Combine(".aws", "config"), $"""
            [profile sso]
            sso_start_url = {SsoPeer.StartUrl}
            sso_region = eu-west-1
            sso_account_id = {SsoPeer.Account}
            sso_role_name = {SsoPeer.PermissionSet}

            """);
        WriteAwsCliTokenCache(box, SsoPeer.StartUrl, sso.SignedInSession(accessTokenExpired: true).AccessToken, DateTimeOffset.UtcNow.AddMinutes(-5));

        var result = await box.RunAsync();

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Equal("Error: profile 'sso' uses IAM Identity Center and its SSO session has expired or was never started.\n" +
                     Flow.PassthroughCommands.Hint + "\n", result.Error);
        Assert.Empty(sso.Calls);
    }

    /// <summary>The token cache as <c>aws sso login</c> leaves it: named by the SHA-1 of the start URL or the sso-session name.</summary>
    private static void WriteAwsCliTokenCache(Sandbox box, string cacheKey, string accessToken, DateTimeOffset expires) =>
        box.WriteFile(Path.Combine(".aws", "sso", "cache", SsoTokenCache.FileName(cacheKey)), new JsonObject
        {
            ["startUrl"] = SsoPeer.StartUrl, ["region"] = "eu-west-1", ["accessToken"] = accessToken,
            ["expiresAt"] = expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }.ToJsonString());

    [Fact]
    public async Task Instance_metadata_credentials_pass_through_with_an_imdsv2_session_token()
    {
        using var box = Start();
        using var imds = new InstanceMetadataPeer();
        box.Environment.Remove("AWS_EC2_METADATA_DISABLED");
        box.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.Endpoint;

        var printed = Printed(await box.RunAsync());

        Assert.Equal(imds.IssuedAccessKeyId, printed["AccessKeyId"]!.GetValue<string>());
        Assert.Equal(imds.IssuedSecretAccessKey, printed["SecretAccessKey"]!.GetValue<string>());
        Assert.Equal(imds.IssuedSessionToken, printed["SessionToken"]!.GetValue<string>());
        Assert.True(printed.ContainsKey("Expiration"));
        Assert.Equal(["PUT /latest/api/token 200", "GET /latest/meta-data/iam/security-credentials/ 200",
            $"GET /latest/meta-data/iam/security-credentials/{InstanceMetadataPeer.Role} 200"], imds.Calls);
    }

    [Fact]
    public async Task Instance_metadata_that_refuses_reads_without_a_session_token_is_named_in_the_error()
    {
        using var box = Start();
        using var imds = new InstanceMetadataPeer { RefuseTokens = true };
        box.Environment.Remove("AWS_EC2_METADATA_DISABLED");
        box.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.Endpoint;

        var result = await box.RunAsync();

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Contains("the instance metadata service refused the request (HTTP 401; its session token request answered HTTP 403)", result.Error, StringComparison.Ordinal);
        Assert.Equal(["PUT /latest/api/token 403", "GET /latest/meta-data/iam/security-credentials/ 401"], imds.Calls);
    }

    [Fact]
    public async Task The_container_endpoint_reads_its_authorization_token_from_the_token_file()
    {
        using var box = Start();
        using var container = new ContainerCredentialsPeer();
        box.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container.Url;
        // EKS Pod Identity: the agent's token is mounted as a file (with a trailing newline) and rotated there.
        box.WriteFile("pod-identity-token", container.AuthorizationToken + "\n");
        box.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = box.HomePath("pod-identity-token");
        box.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "stale-token-the-file-overrides";

        var printed = Printed(await box.RunAsync());

        Assert.Equal(container.IssuedAccessKeyId, printed["AccessKeyId"]!.GetValue<string>());
        Assert.Equal(1, container.Requests);
    }
}
