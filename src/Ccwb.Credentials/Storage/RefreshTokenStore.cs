using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Credentials.Json;

namespace Ccwb.Credentials.Storage;

/// <summary>
/// The OIDC refresh token, kept as <c>~/.claude-code-session/&lt;profile&gt;-refresh.json</c> (0600, atomic) in every
/// storage mode, so a sign-in can be renewed without a browser.
/// </summary>
public sealed class RefreshTokenStore(SessionPaths paths, TimeProvider clock)
{
    public string? Read(string profile)
    {
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(paths.RefreshToken(profile)), CredentialJson.Default.RefreshTokenRecord);
            return string.IsNullOrEmpty(record?.RefreshToken) ? null : record.RefreshToken;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Stores (or replaces, when the provider rotated it) the token; an empty token is not stored.</summary>
    public void Save(string profile, string? refreshToken)
    {
        if (string.IsNullOrEmpty(refreshToken)) return;
        var record = new RefreshTokenRecord(refreshToken, profile, Rfc3339.Format(clock.GetUtcNow()));
        AtomicFile.WriteAllText(paths.RefreshToken(profile), JsonSerializer.Serialize(record, CredentialJson.Default.RefreshTokenRecord));
    }

    public bool Delete(string profile) => AtomicFile.TryDelete(paths.RefreshToken(profile));

    /// <summary>Deletes the stored token only if it is still <paramref name="refused"/> (another process may have replaced it).</summary>
    public bool DeleteIfUnchanged(string profile, string refused) => Read(profile) == refused && Delete(profile);
}
