namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>macOS and Linux: the monitoring token record in one <c>&lt;profile&gt;-monitoring</c> item.</summary>
internal sealed class SingleItemMonitoringToken(ISecretStore store) : IMonitoringTokenItems
{
    public static string Key(string profile) => profile + "-monitoring";

    public StoredMonitoringToken? Read(string profile)
    {
        var record = KeyringJson.Read(store.Get(Key(profile)), KeyringJsonContext.Items.StoredMonitoringToken);
        return record is null || record.Token == StoredCredentials.PlaceholderValue ? null : record;
    }

    public void Write(string profile, StoredMonitoringToken record) =>
        store.Set(Key(profile), KeyringJson.Write(record, KeyringJsonContext.Items.StoredMonitoringToken));

    /// <summary>Overwrites rather than deletes, for the same keychain-grant reason as the credentials placeholder.</summary>
    public void Clear(string profile)
    {
        if (store.Get(Key(profile)) is null) return;
        Write(profile, new StoredMonitoringToken(StoredCredentials.PlaceholderValue, 0, null, profile));
    }
}
