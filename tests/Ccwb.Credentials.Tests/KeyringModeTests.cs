using System.Text.Json.Nodes;
using Ccwb.Credentials.Tests.Keyring;
using Ccwb.Testing.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>The built binary with <c>credential_storage: keyring</c> against a real GNOME Keyring on a private D-Bus.</summary>
[Trait(Requires.Trait, Requires.Linux)]
public class KeyringModeTests
{
    [Fact]
    public async Task Keyring_storage_caches_credentials_in_the_secret_service_and_never_in_the_credentials_file()
    {
        using var keyring = SecretServiceDaemon.Start();
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.Environment["DBUS_SESSION_BUS_ADDRESS"] = keyring.Address;
        var profile = box.Profile(oidc, aws);
        profile["credential_storage"] = "keyring";
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = profile });

        var first = await box.RunAsync();
        var second = await box.RunAsync();

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(1, oidc.Authorizations);
        Assert.Single(aws.Calls);
        Assert.False(File.Exists(box.HomePath(".aws", "credentials")));
        Assert.False(File.Exists(box.HomePath(".claude-code-session", "ClaudeCode-monitoring.json")));
        // The refresh token is a secret like the others: in the keyring, not in a file.
        Assert.False(File.Exists(box.HomePath(".claude-code-session", "ClaudeCode-refresh.json")));
        Assert.Contains("\"refresh_token\":", keyring.SecretTool(null, "lookup", "service", "claude-code-with-bedrock", "key", "ClaudeCode-refresh").Output, StringComparison.Ordinal);

        // --clear-cache writes the placeholder: the next call signs in again (silently, with the cached id token).
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        var third = await box.RunAsync();
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.NotEqual(first.Output, third.Output);
        Assert.Equal(2, aws.Calls.Count);
    }

    [Fact]
    public async Task A_refresh_token_file_is_moved_into_the_keyring_and_redeemed_from_there()
    {
        using var keyring = SecretServiceDaemon.Start();
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        box.Environment["DBUS_SESSION_BUS_ADDRESS"] = keyring.Address;
        var profile = box.Profile(oidc, aws);
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = profile.DeepClone() });
        // Signed in under session storage (or by an upstream helper): the refresh token is a file.
        Assert.Equal(0, (await box.RunAsync()).ExitCode);
        var refreshFile = box.HomePath(".claude-code-session", "ClaudeCode-refresh.json");
        var issued = JsonNode.Parse(File.ReadAllText(refreshFile))!["refresh_token"]!.GetValue<string>();

        profile["credential_storage"] = "keyring";
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = profile });
        var result = await box.RunAsync();

        // The keyring had no credentials and no id token: the moved refresh token signed in, no browser.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal((1, 1), (oidc.Authorizations, oidc.TokenRequests("refresh_token")));
        Assert.False(File.Exists(refreshFile));
        var stored = keyring.SecretTool(null, "lookup", "service", "claude-code-with-bedrock", "key", "ClaudeCode-refresh").Output;
        Assert.Contains("\"refresh_token\":", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(issued, stored, StringComparison.Ordinal); // the provider rotated it; the new one is kept

        // --clear-cache forgets it in the keyring too.
        Assert.Equal(0, (await box.RunAsync("--clear-cache")).ExitCode);
        Assert.NotEqual(0, keyring.SecretTool(null, "lookup", "service", "claude-code-with-bedrock", "key", "ClaudeCode-refresh").ExitCode);
    }

    [Fact]
    public async Task Set_client_secret_stores_and_clears_the_secret_without_a_config_file()
    {
        using var keyring = SecretServiceDaemon.Start();
        using var box = new Sandbox();
        box.Environment["DBUS_SESSION_BUS_ADDRESS"] = keyring.Address;
        box.Environment["CCWB_CLIENT_SECRET"] = "s3cret-value";

        var stored = await box.RunAsync("--set-client-secret", "-p", "Entra");
        Assert.Equal((0, "", "✓ Client secret stored for profile 'Entra'\n"), (stored.ExitCode, stored.Output, stored.Error));

        box.Environment.Remove("CCWB_CLIENT_SECRET");
        var cleared = await box.RunAsync(Sandbox.Binary, ["--set-client-secret", "-p", "Entra"], stdin: "\n");
        Assert.Equal(0, cleared.ExitCode);
        Assert.Contains("Enter client secret for profile 'Entra' (press Enter to clear): ", cleared.Error, StringComparison.Ordinal);
        Assert.Contains("✓ Client secret cleared for profile 'Entra'", cleared.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", stored.Error + cleared.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_session_bus_keyring_storage_fails_with_the_stores_explanation()
    {
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["ClaudeCode"] = new JsonObject { ["provider_domain"] = "dev-1.okta.com", ["client_id"] = "c", ["credential_storage"] = "keyring", ["federated_role_arn"] = AwsPeer.RoleArn } });
        var result = await box.RunAsync();
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("Error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("DBUS_SESSION_BUS_ADDRESS", result.Error, StringComparison.Ordinal);
    }
}
