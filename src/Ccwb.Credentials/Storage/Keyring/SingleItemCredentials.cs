namespace Ccwb.Credentials.Storage.Keyring;

/// <summary>macOS and Linux: the whole credential JSON in <c>&lt;profile&gt;-credentials</c>.</summary>
internal sealed class SingleItemCredentials(ISecretStore store) : ICredentialItems
{
    public static string Key(string profile) => profile + "-credentials";

    public StoredCredentials? Read(string profile) =>
        KeyringJson.Read(store.Get(Key(profile)), KeyringJsonContext.Items.StoredCredentials);

    public void Write(string profile, StoredCredentials record) =>
        store.Set(Key(profile), KeyringJson.Write(record, KeyringJsonContext.Items.StoredCredentials));
}
