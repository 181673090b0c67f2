using System.Security.Cryptography;
using Ccwb.Credentials.Interop.Linux;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>The Secret Service store against a real GNOME Keyring on a private session bus.</summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class LinuxSecretServiceStoreTests : IClassFixture<LinuxSecretServiceStoreTests.SharedKeyring>
{
    private readonly SecretServiceDaemon _daemon;

    public LinuxSecretServiceStoreTests(SharedKeyring keyring) => _daemon = keyring.Daemon;

    public sealed class SharedKeyring : IDisposable
    {
        public SecretServiceDaemon Daemon { get; } = SecretServiceDaemon.Start();

        public void Dispose() => Daemon.Dispose();
    }

    private LinuxSecretServiceStore NewStore(SecretServiceDaemon? daemon = null, bool encrypt = true) =>
        new((daemon ?? _daemon).Address, TimeSpan.FromSeconds(10), encrypt);

    private static string UniqueKey(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public void Value_written_is_read_back_by_a_new_connection()
    {
        var key = UniqueKey("round-trip");
        using (var writer = NewStore()) writer.Set(key, "secret value");
        using var reader = NewStore();
        Assert.Equal("secret value", reader.Get(key));
    }

    [Fact]
    public void Absent_key_reads_as_null_and_removing_it_reports_false()
    {
        using var store = NewStore();
        var key = UniqueKey("absent");
        Assert.Null(store.Get(key));
        Assert.False(store.Remove(key));
    }

    [Fact]
    public void Setting_an_existing_key_replaces_the_value_in_the_same_single_item()
    {
        using var store = NewStore();
        var key = UniqueKey("replace");
        store.Set(key, "first");
        store.Set(key, "second");
        Assert.Equal("second", store.Get(key));
        var search = _daemon.SecretTool(null, "search", "--all", "service", ISecretStore.ServiceName, "key", key);
        Assert.Equal(0, search.ExitCode);
        Assert.Single(search.Output.Split('\n'), line => line.StartsWith("secret = ", StringComparison.Ordinal));
    }

    [Fact]
    public void Removed_key_is_gone_for_every_client()
    {
        using var store = NewStore();
        var key = UniqueKey("remove");
        store.Set(key, "to be removed");
        Assert.True(store.Remove(key));
        Assert.Null(store.Get(key));
        Assert.False(store.Remove(key));
        var lookup = _daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", key);
        Assert.NotEqual(0, lookup.ExitCode);
        Assert.Equal("", lookup.Output);
    }

    [Fact]
    public void Many_keys_keep_their_own_values_and_removing_some_leaves_the_rest()
    {
        using var store = NewStore();
        var prefix = UniqueKey("many");
        var keys = Enumerable.Range(0, 40).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var key in keys) store.Set(key, "value of " + key);
        foreach (var key in keys.Where((_, i) => i % 2 == 0)) Assert.True(store.Remove(key));

        using var reader = NewStore();
        for (var i = 0; i < keys.Length; i++)
            Assert.Equal(i % 2 == 0 ? null : "value of " + keys[i], reader.Get(keys[i]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(4096)]
    [InlineData(200_000)]
    public void Values_of_any_length_round_trip_through_the_encrypted_session(int length)
    {
        using var store = NewStore();
        var key = UniqueKey("length");
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length))[..length];
        store.Set(key, value);
        Assert.Equal(value, NewStore().Get(key));
        Assert.True(store.IsTransferEncrypted);
    }

    [Fact]
    public void Non_ascii_values_round_trip_as_utf8()
    {
        using var store = NewStore();
        var key = UniqueKey("unicode");
        store.Set(key, "pässwörd 🔑 ключ");
        Assert.Equal("pässwörd 🔑 ключ", store.Get(key));
        Assert.Equal("pässwörd 🔑 ключ", _daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", key).Output);
    }

    [Fact]
    public void Items_are_visible_to_other_clients_with_service_and_key_attributes_and_a_label()
    {
        using var store = NewStore();
        var key = UniqueKey("visible");
        store.Set(key, "seen by secret-tool");

        var lookup = _daemon.SecretTool(null, "lookup", "service", ISecretStore.ServiceName, "key", key);
        Assert.Equal(0, lookup.ExitCode);
        Assert.Equal("seen by secret-tool", lookup.Output);

        var search = _daemon.SecretTool(null, "search", "--all", "service", ISecretStore.ServiceName, "key", key);
        // secret-tool prints the item on stdout and its attributes on stderr.
        var lines = (search.Output + search.Error).Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Contains($"label = {ISecretStore.ServiceName}:{key}", lines);
        Assert.Contains($"attribute.service = {ISecretStore.ServiceName}", lines);
        Assert.Contains($"attribute.key = {key}", lines);
    }

    [Fact]
    public void Secrets_stored_by_other_clients_are_read()
    {
        var key = UniqueKey("foreign");
        var stored = _daemon.SecretTool("written by libsecret", "store", "--label=foreign",
                                        "service", ISecretStore.ServiceName, "key", key);
        Assert.Equal(0, stored.ExitCode);
        using var store = NewStore();
        Assert.Equal("written by libsecret", store.Get(key));
    }

    [Fact]
    public void Plain_transfer_still_works_for_services_without_encryption_and_interoperates()
    {
        var key = UniqueKey("plain");
        using var plain = NewStore(encrypt: false);
        plain.Set(key, "over a plain session");
        Assert.False(plain.IsTransferEncrypted);
        using var encrypted = NewStore();
        Assert.Equal("over a plain session", encrypted.Get(key));
        Assert.True(encrypted.IsTransferEncrypted);
    }

    [Fact]
    public void Items_go_to_the_collection_labelled_claude_code_with_bedrock_when_it_exists()
    {
        using var daemon = SecretServiceDaemon.Start();
        using var inspector = new KeyringInspector(daemon.Address);
        var collection = inspector.CreateCollectionWithPassword(ISecretStore.ServiceName, "collection-password");

        using var store = NewStore(daemon);
        store.Set("profile-credentials", "in its own collection");

        Assert.Single(inspector.ItemsIn(collection, "profile-credentials"));
        Assert.Empty(inspector.ItemsIn(KeyringInspector.LoginCollection, "profile-credentials"));
        Assert.Equal("in its own collection", NewStore(daemon).Get("profile-credentials"));
    }

    [Fact]
    public void Secret_stored_by_the_upstream_go_helper_is_read_and_removed()
    {
        using var daemon = SecretServiceDaemon.Start();
        using var inspector = new KeyringInspector(daemon.Address);
        var collection = inspector.CreateCollectionWithPassword(ISecretStore.ServiceName, "collection-password");
        // The 99designs keyring layout: attribute profile=<key>, secret = its Item JSON with the value in base64.
        var upstreamItem = $$"""{"Key":"dev-client-secret","Data":"{{Convert.ToBase64String("azure-secret-value"u8)}}","Label":"","Description":"","KeychainNotTrustApplication":false,"KeychainNotSynchronizable":false}""";
        Assert.Equal(0, daemon.SecretTool(upstreamItem, "store", "--label=dev-client-secret", "--collection=" + collection,
                                          "profile", "dev-client-secret").ExitCode);

        using var store = NewStore(daemon);
        Assert.Equal("azure-secret-value", store.Get("dev-client-secret"));
        Assert.Null(store.Get("dev-credentials"));

        store.Set("dev-client-secret", "rotated-secret");
        Assert.Equal("rotated-secret", NewStore(daemon).Get("dev-client-secret"));

        Assert.True(store.Remove("dev-client-secret"));
        Assert.Null(NewStore(daemon).Get("dev-client-secret"));
        Assert.NotEqual(0, daemon.SecretTool(null, "lookup", "profile", "dev-client-secret").ExitCode);
    }

    [Fact]
    public void Items_fall_back_to_the_default_collection_when_creating_the_collection_is_refused()
    {
        // This bus has no prompter, so GNOME Keyring cannot ask for the new collection's password and refuses.
        using var daemon = SecretServiceDaemon.Start();
        using var store = NewStore(daemon);
        store.Set("profile-credentials", "in the login keyring");

        using var inspector = new KeyringInspector(daemon.Address);
        Assert.Null(inspector.CollectionLabelled(ISecretStore.ServiceName));
        Assert.Single(inspector.ItemsIn(KeyringInspector.LoginCollection, "profile-credentials"));
        Assert.Equal("in the login keyring", NewStore(daemon).Get("profile-credentials"));
    }

    [Fact]
    public void Locked_collection_whose_unlock_prompt_cannot_be_answered_fails_clearly_and_changes_nothing()
    {
        using var daemon = SecretServiceDaemon.Start();
        using (var store = NewStore(daemon)) store.Set("profile-credentials", "before the lock");
        using var inspector = new KeyringInspector(daemon.Address);
        inspector.Lock(KeyringInspector.LoginCollection);
        Assert.True(inspector.IsLocked(KeyringInspector.LoginCollection));

        using var locked = NewStore(daemon);
        var read = Assert.Throws<SecretStoreException>(() => locked.Get("profile-credentials"));
        Assert.Contains("locked", read.Message, StringComparison.Ordinal);
        var write = Assert.Throws<SecretStoreException>(() => locked.Set("profile-credentials", "after the lock"));
        Assert.Contains("locked", write.Message, StringComparison.Ordinal);

        inspector.UnlockWithPassword(KeyringInspector.LoginCollection, SecretServiceDaemon.LoginPassword);
        Assert.Equal("before the lock", NewStore(daemon).Get("profile-credentials"));
    }

    [Fact]
    public void Bus_without_a_secret_service_gives_a_clear_message_for_every_operation()
    {
        using var daemon = SecretServiceDaemon.StartBusOnly();
        using var store = NewStore(daemon);
        foreach (var operation in new Action[] { () => store.Get("k"), () => store.Set("k", "v"), () => store.Remove("k") })
        {
            var error = Assert.Throws<SecretStoreException>(operation);
            Assert.Contains("No Secret Service is running", error.Message, StringComparison.Ordinal);
            Assert.Contains("credential_storage", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Missing_session_bus_address_gives_a_clear_message()
    {
        using var store = new LinuxSecretServiceStore(null);
        var error = Assert.Throws<SecretStoreException>(() => store.Get("k"));
        Assert.Contains("DBUS_SESSION_BUS_ADDRESS is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_session_bus_gives_a_clear_message()
    {
        using var store = new LinuxSecretServiceStore("unix:path=/nonexistent/ccwb-test-bus");
        var error = Assert.Throws<SecretStoreException>(() => store.Set("k", "v"));
        Assert.Contains("Cannot connect to the D-Bus session bus", error.Message, StringComparison.Ordinal);
    }
}
