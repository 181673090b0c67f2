using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Credentials.Storage;

/// <summary>The OS keyring back-ends (Secret Service, Keychain, Credential Manager) behind the two storage seams.</summary>
internal static class KeyringWiring
{
    public static ICredentialCache CreateCache() => KeyringCredentialCache.ForCurrentPlatform();

    public static ISecretStore CreateSecretStore() => Keyring.SecretStores.ForCurrentPlatform();
}
