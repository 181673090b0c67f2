namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>One layout of a profile's credential record over keyring items.</summary>
internal interface ICredentialItems
{
    /// <summary>The stored record (possibly the placeholder), or null when absent, partial or corrupt.</summary>
    StoredCredentials? Read(string profile);

    void Write(string profile, StoredCredentials record);
}

/// <summary>One layout of a profile's monitoring token record over keyring items.</summary>
internal interface IMonitoringTokenItems
{
    StoredMonitoringToken? Read(string profile);

    void Write(string profile, StoredMonitoringToken record);

    void Clear(string profile);
}
