using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Ccwb.Contract.Files;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.IdentityCenter;

/// <summary>
/// The AWS CLI v2 / SDK SSO token cache: <c>~/.aws/sso/cache/&lt;hex SHA-1 of the start URL&gt;.json</c>. Sharing it
/// means <c>aws sso login</c> and this helper share one sign-in. Written atomically, 0600 in a 0700 folder.
/// </summary>
public sealed class SsoTokenCache(string home, string startUrl)
{
    /// <summary>An access token closer than this to expiry is refreshed first (as the SDKs do).</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(60);

    public string Path { get; } = System.IO.Path.Combine(home, ".aws", "sso", "cache", FileName(startUrl));

    // SHA-1 names the file (the AWS SDKs' choice); it protects nothing.
#pragma warning disable CA5350
    public static string FileName(string startUrl) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(startUrl))) + ".json";
#pragma warning restore CA5350

    /// <summary>The cached file, or null when there is none.</summary>
    /// <exception cref="IdentityCenterException">The file exists but is not an SSO token cache.</exception>
    public SsoTokenFile? Read()
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(Path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        SsoTokenFile? file;
        try
        {
            file = JsonSerializer.Deserialize(bytes, IdentityCenterJson.Default.SsoTokenFile);
        }
        catch (JsonException e)
        {
            throw Malformed($"it is not valid JSON ({e.Message})");
        }
        if (file is null) throw Malformed("it holds JSON null instead of an object");
        if (file.ExpiresAt is { Length: > 0 } expires && !Rfc3339.TryParse(expires, out _))
            throw Malformed($"its expiresAt '{expires}' is not a timestamp");
        return file;
    }

    public void Write(SsoTokenFile file) =>
        AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(file, IdentityCenterJson.Default.SsoTokenFile));

    /// <summary>An access token with more than <see cref="ExpiryMargin"/> left at <paramref name="now"/>.</summary>
    public static bool HasValidAccessToken(SsoTokenFile? file, DateTimeOffset now) =>
        file is { AccessToken.Length: > 0, ExpiresAt.Length: > 0 } && Rfc3339.TryParse(file.ExpiresAt, out var expires) &&
        expires - now > ExpiryMargin;

    /// <summary>A refresh token and the client registration it was issued to.</summary>
    public static bool IsRefreshable(SsoTokenFile? file) =>
        file is { RefreshToken.Length: > 0, ClientId.Length: > 0, ClientSecret.Length: > 0 };

    /// <summary>A client registration that has not expired (device authorization can reuse it).</summary>
    public static bool HasValidRegistration(SsoTokenFile? file, DateTimeOffset now) =>
        file is { ClientId.Length: > 0, ClientSecret.Length: > 0, RegistrationExpiresAt.Length: > 0 } &&
        Rfc3339.TryParse(file.RegistrationExpiresAt, out var expires) && expires - now > ExpiryMargin;

    private IdentityCenterException Malformed(string why) => new(
        $"the IAM Identity Center token cache {Path} cannot be read: {why}. It is shared with the AWS CLI; delete it and " +
        "sign in again (credential-process --login, or aws sso login).");
}
