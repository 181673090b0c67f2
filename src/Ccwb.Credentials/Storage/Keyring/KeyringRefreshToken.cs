using Ccwb.Credentials.Json;

namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>
/// The OIDC refresh token in the OS secret store (<c>credential_storage: keyring</c>). macOS and Linux: one item
/// <c>&lt;profile&gt;-refresh</c> holding the same JSON as the session file. Windows: the token in 1,000-character
/// items <c>&lt;profile&gt;-refresh-1..N</c> described by <c>&lt;profile&gt;-refresh-meta</c> {count, updated_at},
/// because a provider's refresh token (Entra ID's exceed 1,500 characters) with its JSON can pass Credential
/// Manager's 2,560-byte blob limit.
/// </summary>
/// <remarks>
/// As for the chunked monitoring token, writes void the meta first and set the real count last, and reads are
/// all-or-nothing, so a failure part-way leaves a miss rather than a token stitched from two generations.
/// </remarks>
internal sealed class KeyringRefreshToken(ISecretStore store, KeyringLayout layout)
{
    internal static string Key(string profile) => profile + "-refresh";

    private static string MetaKey(string profile) => profile + "-refresh-meta";

    private static string ChunkKey(string profile, int index) => $"{profile}-refresh-{index}";

    public StoredRefreshToken? Read(string profile)
    {
        if (layout == KeyringLayout.SingleItem)
        {
            var record = KeyringJson.Read(store.Get(Key(profile)), CredentialJson.Default.RefreshTokenRecord);
            return string.IsNullOrEmpty(record?.RefreshToken) ? null : new StoredRefreshToken(record.RefreshToken, record.Issuer, record.Subject);
        }
        var meta = KeyringJson.Read(store.Get(MetaKey(profile)), KeyringJsonContext.Items.StoredRefreshMeta);
        if (meta is null || meta.Count <= 0) return null;
        var chunks = new string[meta.Count];
        for (var i = 0; i < meta.Count; i++)
            if ((chunks[i] = store.Get(ChunkKey(profile, i + 1))!) is null) return null;
        return new StoredRefreshToken(string.Concat(chunks), meta.Issuer, meta.Subject);
    }

    public void Write(string profile, StoredRefreshToken refreshToken, string updatedAt)
    {
        if (layout == KeyringLayout.SingleItem)
        {
            store.Set(Key(profile), KeyringJson.Write(new RefreshTokenRecord(refreshToken.Token, profile, updatedAt, refreshToken.Issuer, refreshToken.Subject),
                CredentialJson.Default.RefreshTokenRecord));
            return;
        }
        var chunks = ChunkedMonitoringToken.Split(refreshToken.Token);
        var previous = CountChunksFrom(profile, chunks.Count + 1);
        WriteMeta(profile, new StoredRefreshMeta(0, updatedAt));
        for (var i = 0; i < chunks.Count; i++) store.Set(ChunkKey(profile, i + 1), chunks[i]);
        WriteMeta(profile, new StoredRefreshMeta(chunks.Count, updatedAt, refreshToken.Issuer, refreshToken.Subject));
        for (var i = chunks.Count + 1; i < chunks.Count + 1 + previous; i++) store.Remove(ChunkKey(profile, i));
    }

    /// <summary>Removes every item of the profile's refresh token; true when there was one.</summary>
    public bool Delete(string profile)
    {
        if (layout == KeyringLayout.SingleItem) return store.Remove(Key(profile));
        var removed = store.Remove(MetaKey(profile));
        for (var i = 1; store.Remove(ChunkKey(profile, i)); i++) removed = true;
        return removed;
    }

    private int CountChunksFrom(string profile, int first)
    {
        var count = 0;
        while (store.Get(ChunkKey(profile, first + count)) is not null) count++;
        return count;
    }

    private void WriteMeta(string profile, StoredRefreshMeta meta) =>
        store.Set(MetaKey(profile), KeyringJson.Write(meta, KeyringJsonContext.Items.StoredRefreshMeta));
}
