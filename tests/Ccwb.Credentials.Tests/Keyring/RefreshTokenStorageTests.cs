using Ccwb.Credentials.Interop.Linux;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>The refresh token under <c>credential_storage: keyring</c>: kept in the secret store, never in a file.</summary>
public sealed class RefreshTokenStorageTests
{
    // Entra ID's refresh tokens run past 1,500 characters; this one with its JSON would not fit one Credential Manager blob.
    private static readonly string LongToken = KeyringCredentialCacheTests.LongSessionToken(3_000);

    [Fact]
    public void On_Windows_a_long_refresh_token_is_chunked_under_the_blob_limit_and_reads_back_whole()
    {
        using var home = new TempDirectory("ccwb-refresh");
        var store = new CredentialManagerLikeStore();
        var tokens = new RefreshTokenStore(new SessionPaths(home.Path), TimeProvider.System, store, KeyringLayout.CredentialManagerSplit);

        tokens.Save("dev", LongToken);

        Assert.Equal(LongToken, tokens.Read("dev"));
        Assert.Equal(["dev-refresh-1", "dev-refresh-2", "dev-refresh-3", "dev-refresh-meta"], store.Items.Keys.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(new SessionPaths(home.Path).RefreshToken("dev")));

        // A shorter rotated token leaves no stale pieces of the old secret behind.
        tokens.Save("dev", "short-rotated-token");
        Assert.Equal("short-rotated-token", tokens.Read("dev"));
        Assert.Equal(["dev-refresh-1", "dev-refresh-meta"], store.Items.Keys.Order(StringComparer.Ordinal));

        Assert.True(tokens.Delete("dev"));
        Assert.Empty(store.Items);
        Assert.Null(tokens.Read("dev"));
    }

    [Fact]
    public void A_chunk_that_is_missing_is_a_miss_not_part_of_a_token()
    {
        using var home = new TempDirectory("ccwb-refresh");
        var store = new CredentialManagerLikeStore();
        var tokens = new RefreshTokenStore(new SessionPaths(home.Path), TimeProvider.System, store, KeyringLayout.CredentialManagerSplit);
        tokens.Save("dev", LongToken);
        store.Remove("dev-refresh-2");

        Assert.Null(tokens.Read("dev"));
    }

    [Fact]
    public void A_refresh_token_file_is_moved_into_the_keyring_and_the_file_deleted()
    {
        using var home = new TempDirectory("ccwb-refresh");
        var paths = new SessionPaths(home.Path);
        new RefreshTokenStore(paths, TimeProvider.System).Save("dev", "from-a-file");
        var store = new CredentialManagerLikeStore(enforceBlobLimit: false);
        var tokens = new RefreshTokenStore(paths, TimeProvider.System, store, KeyringLayout.SingleItem);

        Assert.Equal("from-a-file", tokens.Read("dev"));

        Assert.False(File.Exists(paths.RefreshToken("dev")));
        Assert.Contains("\"refresh_token\":\"from-a-file\"", store.Items["dev-refresh"], StringComparison.Ordinal);
        Assert.Equal("from-a-file", tokens.Read("dev"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(KeyringLayout.SingleItem)]
    [InlineData(KeyringLayout.CredentialManagerSplit)]
    public void The_user_a_refresh_token_belongs_to_is_kept_with_it_and_a_record_without_it_still_reads(KeyringLayout? layout)
    {
        using var home = new TempDirectory("ccwb-refresh");
        var paths = new SessionPaths(home.Path);
        var tokens = layout is { } l ? new RefreshTokenStore(paths, TimeProvider.System, new CredentialManagerLikeStore(enforceBlobLimit: l == KeyringLayout.CredentialManagerSplit), l) : new RefreshTokenStore(paths, TimeProvider.System);

        tokens.Save("dev", LongToken, "https://idp.example.com", "alice-0001");

        Assert.Equal(new StoredRefreshToken(LongToken, "https://idp.example.com", "alice-0001"), tokens.ReadWithOwner("dev"));
        tokens.Save("dev", "rotated");
        Assert.Equal(new StoredRefreshToken("rotated", null, null), tokens.ReadWithOwner("dev"));
    }

    [Fact]
    public void An_upstream_refresh_token_file_without_the_user_reads_and_keeps_upstreams_field_names()
    {
        using var home = new TempDirectory("ccwb-refresh");
        var paths = new SessionPaths(home.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(paths.RefreshToken("dev"))!);
        File.WriteAllText(paths.RefreshToken("dev"), """{"refresh_token":"from-upstream","profile":"dev","updated_at":"2026-01-01T00:00:00Z"}""");
        var tokens = new RefreshTokenStore(paths, TimeProvider.System);

        Assert.Equal(new StoredRefreshToken("from-upstream", null, null), tokens.ReadWithOwner("dev"));

        tokens.Save("dev", "ours", "https://idp.example.com", "alice-0001");
        Assert.Matches("""^\{"refresh_token":"ours","profile":"dev","updated_at":"[^"]+","iss":"https://idp.example.com","sub":"alice-0001"\}$""",
            File.ReadAllText(paths.RefreshToken("dev")));
    }

    [Fact]
    public void When_the_keyring_refuses_the_move_the_file_is_kept()
    {
        using var home = new TempDirectory("ccwb-refresh");
        var paths = new SessionPaths(home.Path);
        new RefreshTokenStore(paths, TimeProvider.System).Save("dev", "from-a-file");
        var store = new CredentialManagerLikeStore(enforceBlobLimit: false) { FailWrite = _ => true };
        var tokens = new RefreshTokenStore(paths, TimeProvider.System, store, KeyringLayout.SingleItem);

        Assert.Throws<SecretStoreException>(() => tokens.Read("dev"));

        Assert.True(File.Exists(paths.RefreshToken("dev")));
    }

    [Fact]
    [Trait(Requires.Trait, Requires.Linux)]
    public void Over_a_real_secret_service_the_token_round_trips_in_one_item()
    {
        using var daemon = SecretServiceDaemon.Start();
        using var home = new TempDirectory("ccwb-refresh");
        var store = new LinuxSecretServiceStore(daemon.Address, TimeSpan.FromSeconds(10));
        var tokens = new RefreshTokenStore(new SessionPaths(home.Path), TimeProvider.System, store, KeyringLayout.SingleItem);

        tokens.Save("dev", LongToken);

        Assert.False(File.Exists(new SessionPaths(home.Path).RefreshToken("dev")));
        Assert.Equal(LongToken, tokens.Read("dev"));
        var item = daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", "dev-refresh");
        Assert.StartsWith("{\"refresh_token\":\"" + LongToken[..20], item.Output, StringComparison.Ordinal);
        Assert.True(tokens.Delete("dev"));
        Assert.NotEqual(0, daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", "dev-refresh").ExitCode);
    }
}
