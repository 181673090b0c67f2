namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>How cache records are laid out over keyring items.</summary>
public enum KeyringLayout
{
    /// <summary>macOS and Linux: one item per record (<c>&lt;profile&gt;-credentials</c>, <c>&lt;profile&gt;-monitoring</c>).</summary>
    SingleItem,

    /// <summary>
    /// Windows: records split over several items so that none exceeds Credential Manager's 2,560-byte blob limit
    /// (<c>-keys/-token1/-token2/-meta</c> for credentials, 1,000-character chunks for the monitoring token).
    /// </summary>
    CredentialManagerSplit,
}

public static class KeyringLayouts
{
    public static KeyringLayout ForCurrentPlatform() =>
        OperatingSystem.IsWindows() ? KeyringLayout.CredentialManagerSplit : KeyringLayout.SingleItem;
}
