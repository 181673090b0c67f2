using System.Text.Json.Nodes;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// A profile name becomes an INI section name, file names under ~/.claude-code-session and a keyring item name, so
/// credential-process and otel-helper refuse any name outside 1-64 letters, digits or hyphens before they read, write
/// or run anything, whether it comes from a flag, CCWB_PROFILE, AWS_PROFILE or config.json's only profile.
/// </summary>
[Trait(Requires.Trait, Requires.Unix)]
public class ProfileNameTests
{
    public static TheoryData<string> UnsafeNames => new() { "../x", "a]b", "a\nb", "a b" };

    private const string Rule = "is not a valid profile name (1-64 letters, digits or hyphens)";

    private static void AssertRefused(Run.Result result, Sandbox box)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith("Error: '", result.Error, StringComparison.Ordinal);
        Assert.Contains(Rule, result.Error, StringComparison.Ordinal);
        // One line: a line break in the name does not reach the terminal.
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Empty(box.Files());
    }

    [Theory]
    [MemberData(nameof(UnsafeNames))]
    public async Task Credential_process_refuses_an_unsafe_profile_name_from_every_source_before_writing_anything(string name)
    {
        // A working profile under the bad name: without the check the sign-in would succeed and write files.
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { [name] = box.Profile(oidc, aws) } });

        AssertRefused(await box.RunAsync("-p", name), box);
        AssertRefused(await box.RunAsync("--profile", name), box);
        AssertRefused(await box.RunAsync("--clear-cache", "--profile", name), box);
        // config.json's only profile stands in for the default name.
        AssertRefused(await box.RunAsync(), box);
        box.Environment["CCWB_PROFILE"] = name;
        AssertRefused(await box.RunAsync(), box);
        Assert.Equal(0, oidc.Authorizations);
    }

    [Theory]
    [MemberData(nameof(UnsafeNames))]
    public async Task Set_client_secret_refuses_an_unsafe_profile_name_without_a_config_file(string name)
    {
        using var box = new Sandbox();
        box.Environment["CCWB_CLIENT_SECRET"] = "s3cret-value";
        var result = await box.RunAsync("--set-client-secret", "-p", name);
        AssertRefused(result, box);
        Assert.DoesNotContain("s3cret-value", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UnsafeNames))]
    public async Task Otel_helper_answers_an_unsafe_profile_name_with_empty_headers_and_writes_nothing(string name)
    {
        using var box = new Sandbox();
        box.InstallCredentialProcess();
        var before = box.Files();
        foreach (var (variable, args) in new (string?, string[])[] { (null, ["--profile", name]), ("CCWB_PROFILE", []), ("AWS_PROFILE", []) })
        {
            if (variable is not null) box.Environment[variable] = name;
            var result = await box.RunAsync(Sandbox.OtelHelper, args);
            box.Environment.Remove(variable ?? "");
            // Header mode's contract: {} and exit 0, whatever went wrong.
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("{}\n", result.Output);
            Assert.StartsWith("error: profile: '", result.Error, StringComparison.Ordinal);
            Assert.Contains(Rule, result.Error, StringComparison.Ordinal);
            Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
            Assert.Equal(before, box.Files());
        }

        var status = await box.RunAsync(Sandbox.OtelHelper, ["--status", "--profile", name]);
        Assert.True(status.ExitCode == 1, status.ToString());
        Assert.Equal("", status.Output);
        Assert.Contains(Rule, status.Error, StringComparison.Ordinal);
    }
}
