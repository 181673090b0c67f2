namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>
/// Windows: the credential record over four items, because a session token alone can exceed Credential Manager's
/// 2,560-byte blob limit: <c>-keys</c> {AccessKeyId, SecretAccessKey}, <c>-token1</c>/<c>-token2</c> (the session
/// token cut at half its length) and <c>-meta</c> {Version, Expiration}. Reads need all four; when <c>-keys</c> is
/// absent the legacy single <c>-credentials</c> item is read and moved to the split form.
/// </summary>
internal sealed class SplitCredentials(ISecretStore store) : ICredentialItems
{
    public StoredCredentials? Read(string profile)
    {
        var keysJson = store.Get(profile + "-keys");
        if (keysJson is null) return ReadLegacy(profile);

        var keys = KeyringJson.Read(keysJson, KeyringJsonContext.Items.StoredKeys);
        var token1 = store.Get(profile + "-token1");
        var token2 = store.Get(profile + "-token2");
        var meta = KeyringJson.Read(store.Get(profile + "-meta"), KeyringJsonContext.Items.StoredMeta);
        if (keys is null || token1 is null || token2 is null || meta is null) return null;
        return new StoredCredentials(meta.Version, keys.AccessKeyId, keys.SecretAccessKey, token1 + token2, meta.Expiration);
    }

    public void Write(string profile, StoredCredentials record)
    {
        var half = record.SessionToken.Length / 2;
        try
        {
            store.Set(profile + "-keys", KeyringJson.Write(
                new StoredKeys(record.AccessKeyId, record.SecretAccessKey), KeyringJsonContext.Items.StoredKeys));
            store.Set(profile + "-token1", record.SessionToken[..half]);
            store.Set(profile + "-token2", record.SessionToken[half..]);
            store.Set(profile + "-meta", KeyringJson.Write(
                new StoredMeta(record.Version, record.Expiration), KeyringJsonContext.Items.StoredMeta));
        }
        catch (SecretStoreException) when (!record.IsPlaceholder)
        {
            // A half-written set would pair new keys with an old token; void it so the next read is a clean miss.
            TryWritePlaceholderKeys(profile);
            throw;
        }
    }

    private StoredCredentials? ReadLegacy(string profile)
    {
        var legacy = KeyringJson.Read(store.Get(SingleItemCredentials.Key(profile)), KeyringJsonContext.Items.StoredCredentials);
        if (legacy is null || legacy.IsPlaceholder) return legacy;
        try
        {
            Write(profile, legacy);
            // The split copy is complete; a second copy of live secrets under the old name serves nobody.
            store.Remove(SingleItemCredentials.Key(profile));
        }
        catch (SecretStoreException)
        {
            // Moving to the split form is best effort: the legacy record is still good for this call, and with the
            // voided -keys gone the next read falls back to it again.
            try
            {
                store.Remove(profile + "-keys");
            }
            catch (SecretStoreException)
            {
                // then the next read is a miss, which only costs a sign-in
            }
        }
        return legacy;
    }

    private void TryWritePlaceholderKeys(string profile)
    {
        try
        {
            store.Set(profile + "-keys", KeyringJson.Write(
                new StoredKeys(StoredCredentials.PlaceholderValue, StoredCredentials.PlaceholderValue),
                KeyringJsonContext.Items.StoredKeys));
        }
        catch (SecretStoreException)
        {
            // The store refuses writes altogether; the caller sees the original error.
        }
    }
}
