using System.Text;
using Ccwb.Credentials.Interop.Linux.Native;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Tmds.DBus.Protocol;

namespace Ccwb.Credentials.Interop.Linux;

/// <summary>
/// Secrets in the freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC) over the session D-Bus. Items carry
/// the attributes <c>service</c> = <see cref="ISecretStore.ServiceName"/> and <c>key</c>, so other clients find them
/// (<c>secret-tool lookup service claude-code-with-bedrock key &lt;key&gt;</c>).
/// </summary>
/// <remarks>
/// Items live in a collection labelled <see cref="ISecretStore.ServiceName"/>, as upstream keeps them. When that
/// collection does not exist and the service refuses to create it (creation needs a password prompt the user may
/// dismiss), the user's default collection is used instead. A locked collection is unlocked through the service's
/// own prompt. The D-Bus work is asynchronous; this interface is synchronous because the helper is a short-lived
/// console process with nothing else to do while it waits.
/// </remarks>
public sealed class LinuxSecretServiceStore : ISecretStore, IDisposable
{
    private static readonly TimeSpan DefaultPromptTimeout = TimeSpan.FromMinutes(2);

    private readonly string? _busAddress;
    private readonly TimeSpan _promptTimeout;
    private readonly bool _preferEncryption;
    private SecretServiceBus? _bus;
    private SecretTransferSession? _session;
    // Resolved once per store: one helper run reads and saves several items.
    private string? _collection;
    private bool _collectionSearched;
    private string? _defaultCollection;
    private bool _creationRefused; // ask the user for a new keyring at most once per run
    private readonly HashSet<string> _unlocked = new(StringComparer.Ordinal);

    public LinuxSecretServiceStore() : this(DBusAddress.Session) { }

    /// <param name="busAddress">The session bus address (<c>DBUS_SESSION_BUS_ADDRESS</c> by default).</param>
    /// <param name="promptTimeout">How long an unlock or create-collection prompt may stay unanswered.</param>
    /// <param name="preferEncryption">False forces the "plain" transfer algorithm (tests of the fallback).</param>
    internal LinuxSecretServiceStore(string? busAddress, TimeSpan? promptTimeout = null, bool preferEncryption = true)
    {
        _busAddress = busAddress;
        _promptTimeout = promptTimeout ?? DefaultPromptTimeout;
        _preferEncryption = preferEncryption;
    }

    /// <summary>Whether secrets travel encrypted on the bus (known after the first call).</summary>
    internal bool? IsTransferEncrypted => _session?.IsEncrypted;

    public string? Get(string key) => Run(async () =>
    {
        var (bus, session) = await ConnectAsync();
        var collection = await FindReadableCollectionAsync(bus);
        if (collection is null) return null;
        var items = await bus.SearchItemsAsync(collection, Attributes(key));
        if (items.Length > 0)
        {
            await UnlockAsync(bus, collection);
            return Encoding.UTF8.GetString(session.Decode(await bus.GetSecretAsync(items[0], session.Path)));
        }
        return await GetUpstreamItemAsync(bus, session, key);
    });

    public void Set(string key, string value) => Run(async () =>
    {
        ArgumentNullException.ThrowIfNull(value);
        var (bus, session) = await ConnectAsync();
        var collection = await FindCollectionAsync(bus)
                         ?? await TryCreateCollectionAsync(bus)
                         ?? await ReadDefaultCollectionAsync(bus)
                         ?? throw new SecretStoreException(
                             $"The Secret Service has no '{ISecretStore.ServiceName}' collection, refused to create " +
                             "one, and has no default collection. Create a keyring (e.g. in Seahorse) or set " +
                             "credential_storage to \"session\".");
        await UnlockAsync(bus, collection);
        var (item, prompt) = await bus.CreateItemAsync(
            collection, $"{ISecretStore.ServiceName}:{key}", Attributes(key), session.Encode(Encoding.UTF8.GetBytes(value)));
        if (item == SecretServiceBus.NoObject && prompt != SecretServiceBus.NoObject)
            await RequirePromptAsync(bus, prompt, $"Saving '{key}' in the keyring was refused.");
        return true;
    });

    public bool Remove(string key) => Run(async () =>
    {
        var (bus, _) = await ConnectAsync();
        var collection = await FindReadableCollectionAsync(bus);
        if (collection is null) return false;
        var removed = await RemoveItemsAsync(bus, collection, key, Attributes(key));
        // An upstream item under the same key would otherwise resurface on the next read.
        var upstream = await FindCollectionAsync(bus);
        if (upstream is not null)
            removed |= await RemoveItemsAsync(bus, upstream, key, UpstreamAttributes(key));
        return removed;
    });

    public void Dispose()
    {
        _bus?.Dispose();
        _bus = null;
        _session = null;
        _collection = null;
        _collectionSearched = false;
        _defaultCollection = null;
        _unlocked.Clear();
    }

    internal static Dictionary<string, string> Attributes(string key) => new(StringComparer.Ordinal)
    {
        ["service"] = ISecretStore.ServiceName,
        ["key"] = key,
    };

    private static Dictionary<string, string> UpstreamAttributes(string key) => new(StringComparer.Ordinal)
    {
        [UpstreamKeyringItem.AttributeName] = key,
    };

    /// <summary>The value upstream's helper stored under <paramref name="key"/>, if any (see <see cref="UpstreamKeyringItem"/>).</summary>
    private async Task<string?> GetUpstreamItemAsync(SecretServiceBus bus, SecretTransferSession session, string key)
    {
        var collection = await FindCollectionAsync(bus);
        if (collection is null) return null;
        var items = await bus.SearchItemsAsync(collection, UpstreamAttributes(key));
        if (items.Length == 0) return null;
        await UnlockAsync(bus, collection);
        var value = UpstreamKeyringItem.TryDecode(session.Decode(await bus.GetSecretAsync(items[0], session.Path)));
        return value is null ? null : Encoding.UTF8.GetString(value);
    }

    private async Task<bool> RemoveItemsAsync(
        SecretServiceBus bus, string collection, string key, IReadOnlyDictionary<string, string> attributes)
    {
        var items = await bus.SearchItemsAsync(collection, attributes);
        if (items.Length == 0) return false;
        await UnlockAsync(bus, collection);
        foreach (var item in items) // replace-on-create keeps one, but another client may have added duplicates
        {
            var prompt = await bus.DeleteItemAsync(item);
            if (prompt != SecretServiceBus.NoObject)
                await RequirePromptAsync(bus, prompt, $"Removing '{key}' from the keyring was refused.");
        }
        return true;
    }

    private async Task<(SecretServiceBus, SecretTransferSession)> ConnectAsync()
    {
        if (_bus is not null && _session is not null) return (_bus, _session);
        if (string.IsNullOrEmpty(_busAddress))
            throw new SecretStoreException(
                "Keyring storage needs a D-Bus session bus, and DBUS_SESSION_BUS_ADDRESS is not set (no desktop " +
                "session, e.g. over SSH or in WSL). Set credential_storage to \"session\" in config.json, or run " +
                "inside a desktop session with GNOME Keyring or KWallet.");
        SecretServiceBus bus;
        try
        {
            bus = await SecretServiceBus.ConnectAsync(_busAddress);
        }
        catch (Exception e) when (e is not SecretStoreException)
        {
            throw new SecretStoreException(
                $"Cannot connect to the D-Bus session bus ({e.Message}). Keyring storage needs a desktop session " +
                "with a Secret Service; set credential_storage to \"session\" to do without.", e);
        }
        try
        {
            _session = await SecretTransferSession.OpenAsync(bus, _preferEncryption);
        }
        catch
        {
            bus.Dispose();
            throw;
        }
        _bus = bus;
        return (bus, _session);
    }

    /// <summary>Where items are looked for: the labelled collection, else the default one writes fall back to.</summary>
    private async Task<string?> FindReadableCollectionAsync(SecretServiceBus bus) =>
        await FindCollectionAsync(bus) ?? await ReadDefaultCollectionAsync(bus);

    private async Task<string?> FindCollectionAsync(SecretServiceBus bus)
    {
        if (_collectionSearched) return _collection;
        foreach (var collection in await bus.GetCollectionsAsync())
        {
            if (await bus.GetCollectionLabelAsync(collection) == ISecretStore.ServiceName)
            {
                _collection = collection;
                break;
            }
        }
        _collectionSearched = true;
        return _collection;
    }

    private async Task<string?> ReadDefaultCollectionAsync(SecretServiceBus bus)
    {
        if (_defaultCollection is not null) return _defaultCollection;
        var path = await bus.ReadAliasAsync("default");
        return path == SecretServiceBus.NoObject ? null : _defaultCollection = path;
    }

    /// <summary>The new collection, or null when the service or the user declined to create it.</summary>
    private async Task<string?> TryCreateCollectionAsync(SecretServiceBus bus)
    {
        if (_creationRefused) return null;
        try
        {
            var (collection, prompt) = await bus.CreateCollectionAsync(ISecretStore.ServiceName);
            if (collection == SecretServiceBus.NoObject && prompt != SecretServiceBus.NoObject)
            {
                var outcome = await bus.PromptAsync(prompt, _promptTimeout);
                collection = outcome.Dismissed ? null : PathOf(outcome.Result);
            }
            if (collection is null or SecretServiceBus.NoObject)
            {
                _creationRefused = true;
                return null;
            }
            _collectionSearched = true;
            return _collection = collection;
        }
        catch (Exception e) when (e is DBusErrorReplyException or TimeoutException)
        {
            _creationRefused = true; // e.g. services that do not allow creating collections
            return null;
        }
    }

    private async Task UnlockAsync(SecretServiceBus bus, string collection)
    {
        if (_unlocked.Contains(collection)) return;
        if (!await bus.IsCollectionLockedAsync(collection))
        {
            _unlocked.Add(collection);
            return;
        }
        var (_, prompt) = await bus.UnlockAsync(collection);
        if (prompt != SecretServiceBus.NoObject)
            await RequirePromptAsync(bus, prompt, $"The keyring holding '{ISecretStore.ServiceName}' is locked and was not unlocked.");
        if (await bus.IsCollectionLockedAsync(collection))
            throw new SecretStoreException($"The keyring holding '{ISecretStore.ServiceName}' is locked and could not be unlocked.");
        _unlocked.Add(collection);
    }

    private async Task RequirePromptAsync(SecretServiceBus bus, string prompt, string refusal)
    {
        PromptOutcome outcome;
        try
        {
            outcome = await bus.PromptAsync(prompt, _promptTimeout);
        }
        catch (TimeoutException e)
        {
            throw new SecretStoreException($"{refusal} The keyring prompt was not answered within {_promptTimeout.TotalSeconds:0} s.", e);
        }
        if (outcome.Dismissed) throw new SecretStoreException($"{refusal} The keyring prompt was dismissed.");
    }

    private static string? PathOf(VariantValue value) =>
        value.Type == VariantValueType.ObjectPath ? value.GetObjectPathAsString() : null;

    /// <summary>Runs one store operation to completion, turning D-Bus failures into messages a user can act on.</summary>
    private static T Run<T>(Func<Task<T>> operation)
    {
        try
        {
            // Task.Run: never resume on a caller's synchronization context while blocking on it.
            return Task.Run(operation).GetAwaiter().GetResult();
        }
        catch (DBusErrorReplyException e) when (e.ErrorName is "org.freedesktop.DBus.Error.ServiceUnknown"
                                                    or "org.freedesktop.DBus.Error.NameHasNoOwner")
        {
            throw new SecretStoreException(
                "No Secret Service is running on the D-Bus session bus (org.freedesktop.secrets is not provided). " +
                "Start GNOME Keyring or KWallet, or set credential_storage to \"session\" in config.json.", e);
        }
        catch (DBusErrorReplyException e)
        {
            throw new SecretStoreException($"The Secret Service reported an error: {e.ErrorName}: {e.ErrorMessage}", e);
        }
        catch (DBusExceptionBase e)
        {
            throw new SecretStoreException($"The D-Bus conversation with the Secret Service failed: {e.Message}", e);
        }
    }
}
