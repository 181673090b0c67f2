using System.Security.Cryptography;
using System.Text;

namespace Ccwb.Packaging.Windows;

/// <summary>
/// GUIDs derived from a name (RFC 9562 version 5 layout over SHA-1), so the same product, version and component
/// always get the same codes: upgrades find each other and rebuilding gives the same tables.
/// </summary>
public static class StableGuid
{
    // Namespace for every GUID this toolkit derives; never change it, or upgrades stop recognising old installs.
    private static readonly Guid Namespace = new("6f1c2d4e-8b7a-4c3d-9e2f-1a0b5c6d7e8f");

    public static Guid From(string name)
    {
        var ns = Namespace.ToByteArray(bigEndian: true);
        var bytes = Encoding.UTF8.GetBytes(name);
#pragma warning disable CA5350 // SHA-1 is what the UUID version 5 format specifies; this is naming, not security.
        var hash = SHA1.HashData([.. ns, .. bytes]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>Upper-case, braced: the form MSI tables use.</summary>
    public static string Msi(string name) => From(name).ToString("B").ToUpperInvariant();
}
