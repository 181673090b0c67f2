using Ccwb.Credentials.Config;
using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Credentials.Storage;

/// <summary>Chooses a profile's credential cache from <c>credential_storage</c>, and gives the OS secret store.</summary>
public static class CredentialCaches
{
    public static ICredentialCache For(ProfileConfig config, SessionPaths paths) =>
        config.UsesKeyring ? KeyringCredentialCache.ForCurrentPlatform() : new SessionCredentialCache(paths);

    /// <summary>The OS secret store (client secrets). Nothing is contacted until it is used.</summary>
    public static ISecretStore SecretStore() => SecretStores.ForCurrentPlatform();
}
