using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>
/// The keyring cache's item layouts over an in-memory store that enforces Credential Manager's blob limit: the
/// upstream item names and JSON, the Windows split, all-or-nothing reads, legacy upconversion and the placeholder.
/// </summary>
public sealed class KeyringCredentialCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    internal static string LongSessionToken(int length = 3_200) =>
        string.Concat(Enumerable.Range(0, length).Select(i => (char)('A' + (i * 7 % 26))));

    private static AwsCredentials Credentials(string token, TimeSpan? validFor = null) =>
        new("ASIAEXAMPLEKEY", "secret/key+value", token, Now + (validFor ?? TimeSpan.FromHours(1)));

    private static (KeyringCredentialCache Cache, CredentialManagerLikeStore Store) Windows() =>
        Cache(KeyringLayout.CredentialManagerSplit, limited: true);

    private static (KeyringCredentialCache Cache, CredentialManagerLikeStore Store) Cache(KeyringLayout layout, bool limited)
    {
        var store = new CredentialManagerLikeStore(limited);
        return (new KeyringCredentialCache(store, layout, new FixedTime(Now)), store);
    }

    [Theory]
    [InlineData(KeyringLayout.SingleItem, false)]
    [InlineData(KeyringLayout.CredentialManagerSplit, true)]
    public void Credentials_with_a_3200_byte_session_token_round_trip(KeyringLayout layout, bool limited)
    {
        var (cache, store) = Cache(layout, limited);
        var saved = Credentials(LongSessionToken());
        cache.SaveCredentials("dev", saved);

        Assert.Equal(saved, cache.ReadCredentials("dev"));
        Assert.All(store.Items.Values, v => Assert.True(System.Text.Encoding.UTF8.GetByteCount(v) <= CredentialManagerLikeStore.MaxBlobBytes || !limited));
    }

    [Fact]
    public void Credential_Manager_refuses_the_single_item_layout_for_a_long_token_which_is_why_windows_splits()
    {
        var (cache, _) = Cache(KeyringLayout.SingleItem, limited: true);
        Assert.Throws<SecretStoreException>(() => cache.SaveCredentials("dev", Credentials(LongSessionToken())));
    }

    [Theory]
    [InlineData(KeyringLayout.SingleItem)]
    [InlineData(KeyringLayout.CredentialManagerSplit)]
    public void Items_written_use_upstream_names_and_json(KeyringLayout layout)
    {
        var (cache, store) = Cache(layout, limited: true);
        cache.SaveCredentials("dev", Credentials("FwoGZXIvYXdzEBYaDH"));
        cache.SaveMonitoringToken("dev", new MonitoringToken("eyJhbGciOi.eyJzdWIiOi.sig", 1_772_370_000, "ada@example.com", "dev"));
        Snapshot.Verify(store.Dump(), "txt", layout.ToString());
    }

    [Fact]
    public void Split_cuts_the_session_token_at_half_its_length()
    {
        var (cache, store) = Windows();
        cache.SaveCredentials("dev", Credentials("0123456789X"));
        Assert.Equal("01234", store.Items["dev-token1"]);
        Assert.Equal("56789X", store.Items["dev-token2"]);
    }

    [Theory]
    [InlineData(31, true)]
    [InlineData(30, false)]
    [InlineData(0, false)]
    [InlineData(-600, false)]
    public void Credentials_are_served_only_with_more_than_30_seconds_left(int secondsLeft, bool served)
    {
        var (cache, _) = Windows();
        cache.SaveCredentials("dev", Credentials("token", TimeSpan.FromSeconds(secondsLeft)));
        Assert.Equal(served, cache.ReadCredentials("dev") is not null);
    }

    [Theory]
    [InlineData(KeyringLayout.SingleItem)]
    [InlineData(KeyringLayout.CredentialManagerSplit)]
    public void Clear_writes_the_expired_placeholder_and_never_deletes(KeyringLayout layout)
    {
        var (cache, store) = Cache(layout, limited: true);
        cache.SaveCredentials("dev", Credentials("token"));
        var itemsBefore = store.Items.Keys.Order().ToArray();

        cache.ClearCredentials("dev");

        Assert.Null(cache.ReadCredentials("dev"));
        Assert.Empty(store.Removes);
        Assert.Equal(itemsBefore, store.Items.Keys.Order().ToArray());
        Assert.Contains("EXPIRED", store.Dump(), StringComparison.Ordinal);
        Assert.DoesNotContain("ASIAEXAMPLEKEY", store.Dump(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-01T13:00:00Z")]
    [InlineData("2026-03-01T13:00:00+00:00")]
    [InlineData("2026-03-01T13:00:00.000000+00:00")]
    [InlineData("2026-03-01T14:00:00+01:00")]
    public void Upstream_expiration_forms_read_as_the_same_instant(string expiration)
    {
        var (cache, store) = Cache(KeyringLayout.SingleItem, limited: false);
        store.Put("dev-credentials", "{\"Version\":1,\"AccessKeyId\":\"ASIAUPSTREAM\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":\"" + expiration + "\"}");

        var read = cache.ReadCredentials("dev");

        Assert.NotNull(read);
        Assert.Equal(Now + TimeSpan.FromHours(1), read.Expiration);
    }

    [Theory]
    [InlineData(KeyringLayout.SingleItem, "dev-credentials")]
    [InlineData(KeyringLayout.CredentialManagerSplit, "dev-credentials")]
    public void Upstream_placeholder_reads_as_a_miss(KeyringLayout layout, string key)
    {
        var (cache, store) = Cache(layout, limited: true);
        store.Put(key, """{"Version":1,"AccessKeyId":"EXPIRED","SecretAccessKey":"EXPIRED","SessionToken":"EXPIRED","Expiration":"2000-01-01T00:00:00Z"}""");
        Assert.Null(cache.ReadCredentials("dev"));
        Assert.Empty(store.Writes); // a placeholder is not worth moving to the split form
    }

    [Fact]
    public void Credentials_written_by_the_upstream_helper_are_read()
    {
        var (cache, store) = Cache(KeyringLayout.SingleItem, limited: false);
        store.Put("dev-credentials", """{"Version":1,"AccessKeyId":"ASIAUP","SecretAccessKey":"s","SessionToken":"t","Expiration":"2026-03-01T14:00:00.5+01:00"}""");
        var read = cache.ReadCredentials("dev");
        Assert.NotNull(read);
        Assert.Equal("ASIAUP", read.AccessKeyId);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 13, 0, 0, 500, TimeSpan.Zero), read.Expiration);
    }

    [Fact]
    public void Legacy_single_item_on_windows_is_read_and_moved_to_the_split_form()
    {
        var (cache, store) = Windows();
        store.Put("dev-credentials", """{"Version":1,"AccessKeyId":"ASIALEGACY","SecretAccessKey":"s","SessionToken":"legacy-token","Expiration":"2026-03-01T13:00:00Z"}""");

        Assert.Equal("ASIALEGACY", cache.ReadCredentials("dev")?.AccessKeyId);

        Assert.Equal(["dev-keys", "dev-meta", "dev-token1", "dev-token2"], store.Items.Keys.Order().ToArray());
        Assert.Equal("legacy-token", store.Items["dev-token1"] + store.Items["dev-token2"]);
        Assert.Equal("ASIALEGACY", cache.ReadCredentials("dev")?.AccessKeyId);
    }

    [Fact]
    public void Legacy_credentials_are_still_served_when_moving_them_to_the_split_form_fails()
    {
        var (cache, store) = Windows();
        store.Put("dev-credentials", """{"Version":1,"AccessKeyId":"ASIALEGACY","SecretAccessKey":"s","SessionToken":"t","Expiration":"2026-03-01T13:00:00Z"}""");
        store.FailWrite = key => key == "dev-token2";

        Assert.Equal("ASIALEGACY", cache.ReadCredentials("dev")?.AccessKeyId);
        Assert.True(store.Items.ContainsKey("dev-credentials"));
        Assert.False(store.Items.ContainsKey("dev-keys"));
        Assert.Equal("ASIALEGACY", cache.ReadCredentials("dev")?.AccessKeyId);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version":1,"AccessKeyId":"ASIA"}""")]
    [InlineData("""{"Version":1,"AccessKeyId":null,"SecretAccessKey":"s","SessionToken":"t","Expiration":"2026-03-01T13:00:00Z"}""")]
    [InlineData("""{"Version":1,"AccessKeyId":"ASIA","SecretAccessKey":"s","SessionToken":"t","Expiration":"next tuesday"}""")]
    [InlineData("")]
    public void Corrupt_single_item_or_legacy_item_is_a_miss(string json)
    {
        foreach (var layout in new[] { KeyringLayout.SingleItem, KeyringLayout.CredentialManagerSplit })
        {
            var (cache, store) = Cache(layout, limited: true);
            store.Put("dev-credentials", json);
            Assert.Null(cache.ReadCredentials("dev"));
        }
    }

    [Theory]
    [InlineData("dev-token1")]
    [InlineData("dev-token2")]
    [InlineData("dev-meta")]
    public void Split_set_with_an_item_missing_is_a_miss_never_partial_credentials(string missing)
    {
        var (cache, store) = Windows();
        cache.SaveCredentials("dev", Credentials(LongSessionToken()));
        store.Remove(missing);
        Assert.Null(cache.ReadCredentials("dev"));
    }

    [Theory]
    [InlineData("dev-keys", "{broken")]
    [InlineData("dev-keys", """{"AccessKeyId":"ASIA"}""")]
    [InlineData("dev-meta", """{"Version":1}""")]
    [InlineData("dev-meta", """{"Version":1,"Expiration":"soon"}""")]
    public void Split_set_with_a_corrupt_item_is_a_miss(string key, string value)
    {
        var (cache, store) = Windows();
        cache.SaveCredentials("dev", Credentials("token"));
        store.Put(key, value);
        Assert.Null(cache.ReadCredentials("dev"));
    }

    [Fact]
    public void Split_write_failing_part_way_leaves_a_miss_not_new_keys_with_an_old_token()
    {
        var (cache, store) = Windows();
        cache.SaveCredentials("dev", Credentials("old-token"));
        store.FailWrite = key => key == "dev-token2";

        var error = Assert.Throws<SecretStoreException>(() =>
            cache.SaveCredentials("dev", new AwsCredentials("ASIANEW", "new", "new-token", Now.AddHours(1))));

        Assert.Contains("dev-token2", error.Message, StringComparison.Ordinal);
        store.FailWrite = _ => false;
        Assert.Null(cache.ReadCredentials("dev"));
    }

    [Fact]
    public void Store_failure_while_reading_surfaces_instead_of_passing_for_a_miss()
    {
        var (cache, store) = Windows();
        cache.SaveCredentials("dev", Credentials("token"));
        store.FailRead = key => key == "dev-token1";
        Assert.Throws<SecretStoreException>(() => cache.ReadCredentials("dev"));
    }

    [Fact]
    public void Nothing_stored_is_a_miss_for_both_records()
    {
        foreach (var layout in new[] { KeyringLayout.SingleItem, KeyringLayout.CredentialManagerSplit })
        {
            var (cache, store) = Cache(layout, limited: true);
            Assert.Null(cache.ReadCredentials("dev"));
            Assert.Null(cache.ReadMonitoringToken("dev"));
            Assert.Empty(store.Writes);
        }
    }

    [Fact]
    public void Profiles_do_not_see_each_other()
    {
        var (cache, _) = Windows();
        cache.SaveCredentials("a", Credentials("token-a"));
        Assert.Null(cache.ReadCredentials("b"));
        Assert.Equal("token-a", cache.ReadCredentials("a")?.SessionToken);
    }
}
