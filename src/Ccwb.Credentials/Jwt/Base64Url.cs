namespace Ccwb.Credentials.Jwt;

/// <summary>Unpadded base64url (RFC 4648 §5) as JWTs and PKCE use it.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes with or without padding; throws <see cref="FormatException"/> on bad input.</summary>
    public static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        switch (s.Length % 4)
        {
            case 2: s += "=="; break;
            case 3: s += "="; break;
            case 1: throw new FormatException("not base64url");
            default: break;
        }
        return Convert.FromBase64String(s);
    }
}
