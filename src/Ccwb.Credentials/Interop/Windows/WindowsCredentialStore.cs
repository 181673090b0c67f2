using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Ccwb.Credentials.Interop.Windows.Native;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Credentials.Interop.Windows;

/// <summary>
/// Secrets as generic credentials in the Windows Credential Manager, target
/// <c>claude-code-with-bedrock:claude-code-with-bedrock:&lt;key&gt;</c> (prefix, service and key, the naming of the
/// keyring library upstream uses) so entries written by an installed upstream helper are found. Values are stored
/// as UTF-8, which is how upstream writes them, and may not exceed the 2,560-byte blob limit: callers split larger
/// records (<see cref="KeyringLayout.CredentialManagerSplit"/>).
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class WindowsCredentialStore : ISecretStore
{
    public static string TargetName(string key) => $"{ISecretStore.ServiceName}:{ISecretStore.ServiceName}:{key}";

    public string? Get(string key)
    {
        if (!Advapi32.CredRead(TargetName(key), Advapi32.CredTypeGeneric, 0, out var pointer))
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == Advapi32.ErrorNotFound) return null;
            throw Failure("read", key, error);
        }
        try
        {
            // A plain read of the blittable struct: no runtime marshalling, which native AOT would have to support.
            Advapi32.CredentialW credential;
            unsafe
            {
                credential = *(Advapi32.CredentialW*)pointer;
            }
            if (credential.CredentialBlobSize == 0) return "";
            var blob = new byte[credential.CredentialBlobSize];
            Marshal.Copy(credential.CredentialBlob, blob, 0, blob.Length);
            return Encoding.UTF8.GetString(blob);
        }
        finally
        {
            Advapi32.CredFree(pointer);
        }
    }

    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var blob = Encoding.UTF8.GetBytes(value);
        if (blob.Length > Advapi32.MaxCredentialBlobSize)
            throw new SecretStoreException(
                $"'{key}' is {blob.Length} bytes; Windows Credential Manager stores at most {Advapi32.MaxCredentialBlobSize}.");

        var target = Marshal.StringToHGlobalUni(TargetName(key));
        var blobPointer = Marshal.AllocHGlobal(Math.Max(blob.Length, 1));
        try
        {
            Marshal.Copy(blob, 0, blobPointer, blob.Length);
            var credential = new Advapi32.CredentialW
            {
                Type = Advapi32.CredTypeGeneric,
                TargetName = target,
                CredentialBlobSize = (uint)blob.Length,
                CredentialBlob = blobPointer,
                Persist = Advapi32.CredPersistLocalMachine,
            };
            if (!Advapi32.CredWrite(credential, 0)) throw Failure("write", key, Marshal.GetLastPInvokeError());
        }
        finally
        {
            // The blob held a secret: wipe it before giving the memory back.
            Marshal.Copy(new byte[blob.Length], 0, blobPointer, blob.Length);
            Marshal.FreeHGlobal(blobPointer);
            Marshal.FreeHGlobal(target);
        }
    }

    public bool Remove(string key)
    {
        if (Advapi32.CredDelete(TargetName(key), Advapi32.CredTypeGeneric, 0)) return true;
        var error = Marshal.GetLastPInvokeError();
        if (error == Advapi32.ErrorNotFound) return false;
        throw Failure("delete", key, error);
    }

    private static SecretStoreException Failure(string operation, string key, int error) =>
        new($"Windows Credential Manager could not {operation} '{TargetName(key)}': {new Win32Exception(error).Message} (error {error}).");
}
