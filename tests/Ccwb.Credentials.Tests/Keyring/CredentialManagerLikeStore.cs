using System.Text;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>
/// An in-memory secret store that refuses what Windows Credential Manager refuses: a blob over
/// CRED_MAX_CREDENTIAL_BLOB_SIZE (5 × 512 = 2,560 bytes; values are stored as UTF-8 as the Windows store writes them).
/// Failures can be injected per key to prove all-or-nothing behaviour; every write and remove is recorded.
/// </summary>
internal sealed class CredentialManagerLikeStore : ISecretStore
{
    public const int MaxBlobBytes = 2560;

    private readonly Dictionary<string, string> _items = new(StringComparer.Ordinal);

    /// <param name="enforceBlobLimit">False models the macOS/Linux stores, which take any size.</param>
    public CredentialManagerLikeStore(bool enforceBlobLimit = true) => EnforceBlobLimit = enforceBlobLimit;

    public bool EnforceBlobLimit { get; }

    public Func<string, bool> FailWrite { get; set; } = _ => false;

    public Func<string, bool> FailRead { get; set; } = _ => false;

    public List<string> Writes { get; } = [];

    public List<string> Removes { get; } = [];

    public IReadOnlyDictionary<string, string> Items => _items;

    public string? Get(string key)
    {
        if (FailRead(key)) throw new SecretStoreException($"injected read failure for '{key}'");
        return _items.GetValueOrDefault(key);
    }

    public void Set(string key, string value)
    {
        if (FailWrite(key)) throw new SecretStoreException($"injected write failure for '{key}'");
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (EnforceBlobLimit && bytes > MaxBlobBytes)
            throw new SecretStoreException($"'{key}' is {bytes} bytes; Windows Credential Manager stores at most {MaxBlobBytes}.");
        _items[key] = value;
        Writes.Add(key);
    }

    public bool Remove(string key)
    {
        Removes.Add(key);
        return _items.Remove(key);
    }

    /// <summary>Places an item directly, as another program (or an older helper) would have left it.</summary>
    public void Put(string key, string value) => _items[key] = value;

    public string Dump() => string.Concat(_items.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value}\n"));
}

/// <summary>A clock that stays where the test puts it.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
