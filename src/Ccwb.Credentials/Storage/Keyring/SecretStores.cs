using Ccwb.Credentials.Interop.Linux;
using Ccwb.Credentials.Interop.MacOS;
using Ccwb.Credentials.Interop.Windows;

namespace Ccwb.Credentials.Storage.Keyring;

public static class SecretStores
{
    /// <summary>
    /// The running OS's secret store: Credential Manager on Windows, the login keychain on macOS, the Secret Service
    /// (GNOME Keyring, KWallet, KeePassXC) elsewhere. Nothing is contacted until the first call.
    /// </summary>
    public static ISecretStore ForCurrentPlatform()
    {
        if (OperatingSystem.IsWindows()) return new WindowsCredentialStore();
        if (OperatingSystem.IsMacOS()) return new MacKeychainStore();
        return new LinuxSecretServiceStore();
    }
}
