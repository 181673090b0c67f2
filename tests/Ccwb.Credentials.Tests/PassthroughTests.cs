using System.Text.Json.Nodes;
using Ccwb.Credentials.Tests.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// <c>sso_enabled: false</c> without Identity Center: ambient credentials passed through, with the real AWS CLI as the
/// consumer running credential-process as its profile's credential_process.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public class PassthroughTests
{
    private const string AwsCli = "/usr/bin/aws";

    private static Sandbox Start()
    {
        var box = new Sandbox();
        box.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
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
}
