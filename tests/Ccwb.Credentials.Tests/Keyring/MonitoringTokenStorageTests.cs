using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>
/// The monitoring (id) token in the keyring: one item on macOS/Linux, 1,000-character chunks plus a meta item on
/// Windows, where upstream's Go helper wrote one item and lost tokens over the 2,560-byte blob limit.
/// </summary>
public sealed class MonitoringTokenStorageTests
{
    private static MonitoringToken Token(int length, string profile = "dev") =>
        new(KeyringCredentialCacheTests.LongSessionToken(length), 1_772_370_000, "ada@example.com", profile);

    private static (KeyringCredentialCache Cache, CredentialManagerLikeStore Store) Windows()
    {
        var store = new CredentialManagerLikeStore();
        return (new KeyringCredentialCache(store, KeyringLayout.CredentialManagerSplit), store);
    }

    private static string[] ChunkKeys(CredentialManagerLikeStore store) =>
        store.Items.Keys.Where(k => k.StartsWith("dev-monitoring-", StringComparison.Ordinal) && k != "dev-monitoring-meta")
             .OrderBy(k => int.Parse(k["dev-monitoring-".Length..], System.Globalization.CultureInfo.InvariantCulture))
             .ToArray();

    [Fact]
    public void Windows_monitoring_token_larger_than_the_blob_limit_is_chunked_instead_of_silently_failing()
    {
        var limited = new CredentialManagerLikeStore();
        var singleItem = new KeyringCredentialCache(limited, KeyringLayout.SingleItem);
        Assert.Throws<SecretStoreException>(() => singleItem.SaveMonitoringToken("dev", Token(4_500)));

        var (cache, store) = Windows();
        cache.SaveMonitoringToken("dev", Token(4_500));
        Assert.Equal(Token(4_500), cache.ReadMonitoringToken("dev"));
        Assert.Equal(["dev-monitoring-1", "dev-monitoring-2", "dev-monitoring-3", "dev-monitoring-4", "dev-monitoring-5"], ChunkKeys(store));
        Assert.Equal("""{"count":5,"expires":1772370000,"email":"ada@example.com","profile":"dev"}""", store.Items["dev-monitoring-meta"]);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(999, 1)]
    [InlineData(1000, 1)]
    [InlineData(1001, 2)]
    [InlineData(2000, 2)]
    [InlineData(2001, 3)]
    public void Chunk_boundaries_are_1000_characters_and_an_empty_token_is_one_empty_chunk(int length, int chunks)
    {
        var (cache, store) = Windows();
        cache.SaveMonitoringToken("dev", Token(length));
        Assert.Equal(chunks, ChunkKeys(store).Length);
        Assert.All(ChunkKeys(store), k => Assert.True(store.Items[k].Length <= 1000));
        Assert.Equal(Token(length), cache.ReadMonitoringToken("dev"));
    }

    [Fact]
    public void Shrinking_token_purges_the_orphaned_higher_chunks()
    {
        var (cache, store) = Windows();
        cache.SaveMonitoringToken("dev", Token(4_500));
        cache.SaveMonitoringToken("dev", Token(1_500));
        Assert.Equal(["dev-monitoring-1", "dev-monitoring-2"], ChunkKeys(store));
        Assert.Equal(Token(1_500), cache.ReadMonitoringToken("dev"));
    }

    [Fact]
    public void Missing_chunk_makes_the_whole_token_a_miss()
    {
        var (cache, store) = Windows();
        cache.SaveMonitoringToken("dev", Token(3_500));
        store.Remove("dev-monitoring-2");
        Assert.Null(cache.ReadMonitoringToken("dev"));
    }

    [Theory]
    [InlineData("""{"count":0,"expires":1772370000,"email":null,"profile":"dev"}""")]
    [InlineData("""{"count":-1,"expires":1,"email":null,"profile":"dev"}""")]
    [InlineData("not json")]
    [InlineData("""{"count":2}""")]
    public void Cleared_or_corrupt_meta_is_a_miss(string meta)
    {
        var (cache, store) = Windows();
        cache.SaveMonitoringToken("dev", Token(1_500));
        store.Put("dev-monitoring-meta", meta);
        Assert.Null(cache.ReadMonitoringToken("dev"));
    }

    [Fact]
    public void Failed_chunk_write_rolls_back_and_leaves_a_miss_not_a_token_stitched_from_two_saves()
    {
        var (cache, store) = Windows();
        cache.SaveMonitoringToken("dev", Token(3_500));
        store.FailWrite = key => key == "dev-monitoring-3";

        Assert.Throws<SecretStoreException>(() => cache.SaveMonitoringToken("dev", new MonitoringToken(new string('z', 3_500), 2, null, "dev")));

        store.FailWrite = _ => false;
        Assert.Null(cache.ReadMonitoringToken("dev"));
        Assert.DoesNotContain(store.Items, p => p.Key.StartsWith("dev-monitoring-", StringComparison.Ordinal) && p.Value.StartsWith('z'));
    }

    [Fact]
    public void Legacy_single_item_is_read_on_windows_and_replaced_on_the_next_save()
    {
        var (cache, store) = Windows();
        store.Put("dev-monitoring", """{"token":"legacy.jwt.sig","expires":1772370000,"email":"ada@example.com","profile":"dev"}""");

        Assert.Equal(new MonitoringToken("legacy.jwt.sig", 1_772_370_000, "ada@example.com", "dev"), cache.ReadMonitoringToken("dev"));

        cache.SaveMonitoringToken("dev", Token(1_200));
        Assert.False(store.Items.ContainsKey("dev-monitoring"));
        Assert.Equal(Token(1_200), cache.ReadMonitoringToken("dev"));
    }

    [Fact]
    public void Clear_voids_the_meta_then_overwrites_every_chunk()
    {
        var (cache, store) = Windows();
        cache.SaveMonitoringToken("dev", Token(2_500));
        store.Writes.Clear();
        store.Removes.Clear();

        cache.ClearMonitoringToken("dev");

        Assert.Equal("dev-monitoring-meta", store.Writes[0]);
        Assert.Null(cache.ReadMonitoringToken("dev"));
        Assert.All(ChunkKeys(store), k => Assert.Equal("EXPIRED", store.Items[k]));
        Assert.Equal(3, ChunkKeys(store).Length);
        Assert.Empty(store.Removes);
    }

    [Fact]
    public void Clear_without_meta_still_overwrites_chunks_left_behind()
    {
        var (cache, store) = Windows();
        store.Put("dev-monitoring-1", "secret-part-1");
        store.Put("dev-monitoring-2", "secret-part-2");
        cache.ClearMonitoringToken("dev");
        Assert.Equal("EXPIRED", store.Items["dev-monitoring-1"]);
        Assert.Equal("EXPIRED", store.Items["dev-monitoring-2"]);
    }

    [Fact]
    public void Single_item_layout_round_trips_and_clear_overwrites_instead_of_deleting()
    {
        var store = new CredentialManagerLikeStore(enforceBlobLimit: false);
        var cache = new KeyringCredentialCache(store, KeyringLayout.SingleItem);
        cache.SaveMonitoringToken("dev", Token(4_500));
        Assert.Equal(Token(4_500), cache.ReadMonitoringToken("dev"));
        Assert.Equal(["dev-monitoring"], store.Items.Keys.ToArray());

        cache.ClearMonitoringToken("dev");
        Assert.Null(cache.ReadMonitoringToken("dev"));
        Assert.Empty(store.Removes);
        Assert.DoesNotContain("ada@example.com", store.Items["dev-monitoring"], StringComparison.Ordinal);
    }

    [Fact]
    public void Upstream_single_item_record_is_read()
    {
        var store = new CredentialManagerLikeStore(enforceBlobLimit: false);
        store.Put("dev-monitoring", """{"token":"a.b.c","expires":1772370000,"email":"","profile":"dev"}""");
        var cache = new KeyringCredentialCache(store, KeyringLayout.SingleItem);
        Assert.Equal(new MonitoringToken("a.b.c", 1_772_370_000, "", "dev"), cache.ReadMonitoringToken("dev"));
    }
}
