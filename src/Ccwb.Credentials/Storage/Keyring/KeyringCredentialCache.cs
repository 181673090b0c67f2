namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>
/// <c>credential_storage: keyring</c>: a profile's AWS credentials and monitoring token in the OS secret store, laid out
/// as upstream does so that entries written by an installed upstream helper keep working.
/// </summary>
/// <remarks>
/// Reads return null for anything unusable (absent, placeholder, partial, corrupt, or credentials with 30 s or less
/// left). Failures of the store itself (no Secret Service, unlock refused) surface as <see cref="SecretStoreException"/>
/// so the user learns why keyring storage does not work instead of signing in on every call.
/// </remarks>
public sealed class KeyringCredentialCache : ICredentialCache
{
    private readonly ICredentialItems _credentials;
    private readonly IMonitoringTokenItems _monitoring;
    private readonly TimeProvider _time;

    public KeyringCredentialCache(ISecretStore store, KeyringLayout layout, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _time = time ?? TimeProvider.System;
        (_credentials, _monitoring) = layout switch
        {
            KeyringLayout.SingleItem => ((ICredentialItems)new SingleItemCredentials(store),
                                         (IMonitoringTokenItems)new SingleItemMonitoringToken(store)),
            KeyringLayout.CredentialManagerSplit => (new SplitCredentials(store), new ChunkedMonitoringToken(store)),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown keyring layout."),
        };
    }

    /// <summary>The cache over the running OS's secret store and layout.</summary>
    public static KeyringCredentialCache ForCurrentPlatform() =>
        new(SecretStores.ForCurrentPlatform(), KeyringLayouts.ForCurrentPlatform());

    public AwsCredentials? ReadCredentials(string profile)
    {
        var credentials = _credentials.Read(profile)?.ToCredentials();
        return credentials is not null && credentials.IsFreshAt(_time.GetUtcNow()) ? credentials : null;
    }

    public void SaveCredentials(string profile, AwsCredentials credentials) =>
        _credentials.Write(profile, StoredCredentials.From(credentials));

    public void ClearCredentials(string profile) => _credentials.Write(profile, StoredCredentials.Placeholder);

    public MonitoringToken? ReadMonitoringToken(string profile)
    {
        var record = _monitoring.Read(profile);
        return record is null ? null : new MonitoringToken(record.Token, record.Expires, record.Email, record.Profile);
    }

    public void SaveMonitoringToken(string profile, MonitoringToken token) =>
        _monitoring.Write(profile, new StoredMonitoringToken(token.Token, token.Expires, token.Email, token.Profile));

    public void ClearMonitoringToken(string profile) => _monitoring.Clear(profile);

    // Keyring storage keeps no credential in a file, and the credential-process front, the only reader, hands keyring
    // profiles over anyway: the desktop token is made afresh on each call.
    public string? ReadDesktopToken(string profile) => null;

    public void SaveDesktopToken(string profile, string token) { }
}
