using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// With <c>credential_storage: keyring</c>, the OS secret store answers (the Secret Service over D-Bus on Linux, the
/// keychain on macOS, Credential Manager on Windows), through the helper's own store code. Only a lookup of an item
/// that does not exist is made: nothing is written and no unlock prompt appears.
/// </summary>
internal sealed class KeyringCheck : IDiagnostic
{
    private const string ProbeKey = "ccwb-doctor-probe";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public string Name => "keyring";

    public DiagnosticResult Run(DoctorContext context)
    {
        var storage = context.Profile?.CredentialStorage;
        if (storage != "keyring")
            return DiagnosticResult.Skipped($"credential_storage is {(storage is null ? "unknown (no profile)" : $"'{storage}'")}: the keyring is not used");
        const string fix = "Unlock or start your keyring (GNOME Keyring, KWallet or KeePassXC with Secret Service on Linux), " +
                           "or ask your administrator for a package with credential_storage \"session\".";
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(context.Environment("DBUS_SESSION_BUS_ADDRESS")))
            return DiagnosticResult.Fail("DBUS_SESSION_BUS_ADDRESS is not set: there is no session bus to reach the Secret Service", fix);
        var store = SecretStores.ForCurrentPlatform();
        try
        {
            var lookup = Task.Run(() => store.Get(ProbeKey));
            if (!lookup.Wait(Timeout))
                return DiagnosticResult.Fail($"the keyring did not answer within {Timeout.TotalSeconds:0} s", fix);
            return DiagnosticResult.Pass("the keyring answers");
        }
        catch (AggregateException e) when (e.InnerException is SecretStoreException or IOException or InvalidOperationException)
        {
            return DiagnosticResult.Fail($"the keyring cannot be used: {e.InnerException!.Message}", fix);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }
}
