using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Ccwb.Credentials.Interop.MacOS.Native;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using static Ccwb.Credentials.Interop.MacOS.Native.CoreFoundation;

namespace Ccwb.Credentials.Interop.MacOS;

/// <summary>
/// Secrets as generic passwords in the user's login keychain: service <see cref="ISecretStore.ServiceName"/>,
/// account = key, as upstream stores them. Values are UTF-8.
/// </summary>
[SupportedOSPlatform("macos")]
public sealed class MacKeychainStore : ISecretStore
{
    public string? Get(string key)
    {
        using var query = ItemQuery(key);
        query.Set(SecurityFramework.Constant("kSecReturnData"), Constant("kCFBooleanTrue"));
        query.Set(SecurityFramework.Constant("kSecMatchLimit"), SecurityFramework.Constant("kSecMatchLimitOne"));
        var status = SecurityFramework.SecItemCopyMatching(query.Handle, out var data);
        if (status == SecurityFramework.ErrSecItemNotFound) return null;
        Check(status, "read", key);
        try
        {
            var bytes = new byte[CFDataGetLength(data)];
            Marshal.Copy(CFDataGetBytePtr(data), bytes, 0, bytes.Length);
            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            CFRelease(data);
        }
    }

    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        using var data = new CFObject(CFDataCreate(IntPtr.Zero, bytes, bytes.Length));
        using var label = CFObject.FromString($"{ISecretStore.ServiceName}:{key}");

        // Update in place when the item exists: deleting and re-adding would drop its access grants.
        using var query = ItemQuery(key);
        using var changes = CFDictionary.Create();
        changes.Set(SecurityFramework.Constant("kSecValueData"), data.Handle);
        var status = SecurityFramework.SecItemUpdate(query.Handle, changes.Handle);
        if (status == SecurityFramework.ErrSecItemNotFound)
        {
            using var item = ItemQuery(key);
            item.Set(SecurityFramework.Constant("kSecAttrLabel"), label.Handle);
            item.Set(SecurityFramework.Constant("kSecValueData"), data.Handle);
            status = SecurityFramework.SecItemAdd(item.Handle, IntPtr.Zero);
        }
        Check(status, "write", key);
    }

    public bool Remove(string key)
    {
        using var query = ItemQuery(key);
        var status = SecurityFramework.SecItemDelete(query.Handle);
        if (status == SecurityFramework.ErrSecItemNotFound) return false;
        Check(status, "delete", key);
        return true;
    }

    /// <summary>kSecClassGenericPassword, kSecAttrService = the service name, kSecAttrAccount = key.</summary>
    private static CFDictionary ItemQuery(string key)
    {
        var query = CFDictionary.Create();
        query.Set(SecurityFramework.Constant("kSecClass"), SecurityFramework.Constant("kSecClassGenericPassword"));
        query.SetString(SecurityFramework.Constant("kSecAttrService"), ISecretStore.ServiceName);
        query.SetString(SecurityFramework.Constant("kSecAttrAccount"), key);
        return query;
    }

    private static void Check(int status, string operation, string key)
    {
        if (status == SecurityFramework.ErrSecSuccess) return;
        var message = SecurityFramework.SecCopyErrorMessageString(status, IntPtr.Zero);
        var text = message == IntPtr.Zero ? "unknown error" : ToManagedString(message);
        if (message != IntPtr.Zero) CFRelease(message);
        throw new SecretStoreException($"The macOS keychain could not {operation} '{key}': {text} (OSStatus {status}).");
    }

    /// <summary>An owned CoreFoundation reference, released once.</summary>
    private class CFObject(IntPtr handle) : IDisposable
    {
        public IntPtr Handle { get; } = handle != IntPtr.Zero
            ? handle
            : throw new SecretStoreException("CoreFoundation could not allocate an object for a keychain query.");

        public static CFObject FromString(string value) => new(CFStringCreateWithCharacters(IntPtr.Zero, value, value.Length));

        public void Dispose()
        {
            CFRelease(Handle);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>A mutable dictionary that retains its keys and values (the CFType callbacks).</summary>
    private sealed class CFDictionary(IntPtr handle) : CFObject(handle)
    {
        public static CFDictionary Create() => new(CFDictionaryCreateMutable(
            IntPtr.Zero, 0, SymbolAddress("kCFTypeDictionaryKeyCallBacks"), SymbolAddress("kCFTypeDictionaryValueCallBacks")));

        public void Set(IntPtr key, IntPtr value) => CFDictionarySetValue(Handle, key, value);

        public void SetString(IntPtr key, string value)
        {
            using var cf = FromString(value);
            Set(key, cf.Handle); // the dictionary retains it
        }
    }
}
