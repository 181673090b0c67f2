namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>
/// Windows: the monitoring token in 1,000-character items <c>&lt;profile&gt;-monitoring-1..N</c> described by
/// <c>&lt;profile&gt;-monitoring-meta</c> {count, expires, email, profile}. An id token easily exceeds Credential
/// Manager's 2,560-byte blob limit, where a single item would fail to save.
/// </summary>
/// <remarks>
/// Writes void the meta first (count 0) and set the real count last, so a failure part-way leaves a clean miss,
/// never a token stitched from two generations. Reads are all-or-nothing.
/// </remarks>
internal sealed class ChunkedMonitoringToken(ISecretStore store) : IMonitoringTokenItems
{
    public const int ChunkLength = 1000;

    private static string MetaKey(string profile) => profile + "-monitoring-meta";

    private static string ChunkKey(string profile, int index) => $"{profile}-monitoring-{index}";

    public StoredMonitoringToken? Read(string profile)
    {
        var metaJson = store.Get(MetaKey(profile));
        if (metaJson is null) return new SingleItemMonitoringToken(store).Read(profile); // written by an older helper
        var meta = KeyringJson.Read(metaJson, KeyringJsonContext.Items.StoredMonitoringMeta);
        if (meta is null || meta.Count <= 0) return null;

        var chunks = new string[meta.Count];
        for (var i = 0; i < meta.Count; i++)
        {
            var chunk = store.Get(ChunkKey(profile, i + 1));
            if (chunk is null) return null;
            chunks[i] = chunk;
        }
        return new StoredMonitoringToken(string.Concat(chunks), meta.Expires, meta.Email, meta.Profile);
    }

    public void Write(string profile, StoredMonitoringToken record)
    {
        var chunks = Split(record.Token);
        var previousCount = CountChunksFrom(profile, chunks.Count + 1);
        WriteMeta(profile, new StoredMonitoringMeta(0, record.Expires, record.Email, record.Profile));
        var written = 0;
        try
        {
            for (; written < chunks.Count; written++) store.Set(ChunkKey(profile, written + 1), chunks[written]);
            WriteMeta(profile, new StoredMonitoringMeta(chunks.Count, record.Expires, record.Email, record.Profile));
        }
        catch (SecretStoreException)
        {
            for (var i = 1; i <= written; i++) TryRemove(ChunkKey(profile, i)); // meta already says count 0
            throw;
        }

        // A shorter token leaves the old tail behind; remove it so no stale pieces of a secret linger.
        for (var i = chunks.Count + 1; i < chunks.Count + 1 + previousCount; i++) TryRemove(ChunkKey(profile, i));
        TryRemove(SingleItemMonitoringToken.Key(profile));
    }

    /// <summary>Voids the meta first, then overwrites every chunk from 1 up to the first gap.</summary>
    public void Clear(string profile)
    {
        var metaJson = store.Get(MetaKey(profile));
        var meta = KeyringJson.Read(metaJson, KeyringJsonContext.Items.StoredMonitoringMeta);
        if (metaJson is not null)
            WriteMeta(profile, new StoredMonitoringMeta(0, 0, null, meta?.Profile ?? profile));
        for (var i = 1; store.Get(ChunkKey(profile, i)) is not null; i++)
            store.Set(ChunkKey(profile, i), StoredCredentials.PlaceholderValue);
        new SingleItemMonitoringToken(store).Clear(profile);
    }

    /// <summary>1,000-character pieces; an empty token is one empty chunk so that count 0 keeps meaning "cleared".</summary>
    internal static IReadOnlyList<string> Split(string token)
    {
        if (token.Length == 0) return [""];
        var chunks = new List<string>((token.Length + ChunkLength - 1) / ChunkLength);
        for (var start = 0; start < token.Length; start += ChunkLength)
            chunks.Add(token.Substring(start, Math.Min(ChunkLength, token.Length - start)));
        return chunks;
    }

    private int CountChunksFrom(string profile, int first)
    {
        var count = 0;
        while (store.Get(ChunkKey(profile, first + count)) is not null) count++;
        return count;
    }

    private void WriteMeta(string profile, StoredMonitoringMeta meta) =>
        store.Set(MetaKey(profile), KeyringJson.Write(meta, KeyringJsonContext.Items.StoredMonitoringMeta));

    private void TryRemove(string key)
    {
        try
        {
            store.Remove(key);
        }
        catch (SecretStoreException)
        {
            // Leftovers are harmless to reads (the meta bounds them); the write itself succeeded.
        }
    }
}
