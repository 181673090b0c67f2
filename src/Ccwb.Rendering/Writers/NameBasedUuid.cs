using System.Security.Cryptography;
using System.Text;

namespace Ccwb.Rendering.Writers;

/// <summary>RFC 9562 version 5 (SHA-1, name-based) UUIDs: the same name always gives the same UUID.</summary>
/// <remarks>Hand-written: .NET offers versions 4 and 7 only.</remarks>
public static class NameBasedUuid
{
    /// <summary>The RFC's URL namespace; names below are URL-like (<c>mobileconfig:org/profile/payload</c>).</summary>
    public static readonly Guid UrlNamespace = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>The UUID as upper-case text (Apple's profile tools write PayloadUUIDs that way).</summary>
    public static string Create(Guid namespaceId, string name)
    {
        var ns = namespaceId.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
#pragma warning disable CA5350 // SHA-1 is what version 5 is defined with; it is an identifier, not a security control.
        var hash = SHA1.HashData([.. ns, .. nameBytes]);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D").ToUpperInvariant();
    }
}
