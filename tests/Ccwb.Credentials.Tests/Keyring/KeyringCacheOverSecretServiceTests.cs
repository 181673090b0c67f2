using Ccwb.Credentials.Interop.Linux;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>The keyring cache end to end over a real GNOME Keyring, as credential-process uses it on Linux.</summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class KeyringCacheOverSecretServiceTests : IDisposable
{
    private readonly SecretServiceDaemon _daemon = SecretServiceDaemon.Start();

    public void Dispose() => _daemon.Dispose();

    private KeyringCredentialCache NewCache(KeyringLayout layout = KeyringLayout.SingleItem) =>
        new(new LinuxSecretServiceStore(_daemon.Address, TimeSpan.FromSeconds(10)), layout);

    [Fact]
    public void Credentials_and_monitoring_token_round_trip_and_are_stored_as_upstream_items()
    {
        var credentials = new AwsCredentials("ASIALINUX", "secret", KeyringCredentialCacheTests.LongSessionToken(),
                                             DateTimeOffset.UtcNow.AddHours(1));
        var token = new MonitoringToken(KeyringCredentialCacheTests.LongSessionToken(4_000), 1_900_000_000, "ada@example.com", "dev");
        NewCache().SaveCredentials("dev", credentials);
        NewCache().SaveMonitoringToken("dev", token);

        var cache = NewCache();
        Assert.Equal(credentials.AccessKeyId, cache.ReadCredentials("dev")?.AccessKeyId);
        Assert.Equal(credentials.SessionToken, cache.ReadCredentials("dev")?.SessionToken);
        Assert.Equal(token, cache.ReadMonitoringToken("dev"));

        var item = _daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", "dev-credentials");
        Assert.StartsWith("""{"Version":1,"AccessKeyId":"ASIALINUX",""", item.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_leaves_a_placeholder_item_that_reads_as_a_miss()
    {
        NewCache().SaveCredentials("dev", new AwsCredentials("ASIALINUX", "s", "t", DateTimeOffset.UtcNow.AddHours(1)));
        NewCache().ClearCredentials("dev");
        Assert.Null(NewCache().ReadCredentials("dev"));
        var item = _daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", "dev-credentials");
        Assert.Contains("\"AccessKeyId\":\"EXPIRED\"", item.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_split_layout_also_works_over_a_real_store()
    {
        var credentials = new AwsCredentials("ASIASPLIT", "s", KeyringCredentialCacheTests.LongSessionToken(5_000), DateTimeOffset.UtcNow.AddHours(1));
        NewCache(KeyringLayout.CredentialManagerSplit).SaveCredentials("dev", credentials);
        Assert.Equal(credentials.SessionToken, NewCache(KeyringLayout.CredentialManagerSplit).ReadCredentials("dev")?.SessionToken);
        Assert.Equal(0, _daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", "dev-token2").ExitCode);
    }
}
