namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>
/// The OS secret store could not be used: no Secret Service on the bus, a locked keyring whose unlock was refused,
/// a value too large for the store, or an error from the native API. The message says which, for the user.
/// </summary>
public sealed class SecretStoreException : Exception
{
    public SecretStoreException(string message) : base(message) { }

    public SecretStoreException(string message, Exception innerException) : base(message, innerException) { }

    public SecretStoreException() { }
}
