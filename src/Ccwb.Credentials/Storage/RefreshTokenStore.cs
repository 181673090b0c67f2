using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Credentials.Storage;

/// <summary>
/// The OIDC refresh token, so a sign-in can be renewed without a browser. Session storage keeps it where upstream
/// does, <c>~/.claude-code-session/&lt;profile&gt;-refresh.json</c> (0600, atomic); keyring storage keeps it in the OS
/// secret store with the other secrets (<see cref="KeyringRefreshToken"/>), and moves a token file left by session
/// storage or an upstream helper there on first use.
/// </summary>
public sealed class RefreshTokenStore
{
    private readonly SessionPaths paths;
    private readonly TimeProvider clock;
    private readonly KeyringRefreshToken? keyring;

    /// <param name="keyring">The secret store when <c>credential_storage</c> is <c>keyring</c>; null for the session file.</param>
    public RefreshTokenStore(SessionPaths paths, TimeProvider clock, ISecretStore? keyring = null, KeyringLayout layout = KeyringLayout.SingleItem)
    {
        this.paths = paths;
        this.clock = clock;
        this.keyring = keyring is null ? null : new KeyringRefreshToken(keyring, layout);
    }

    /// <summary>The store for a profile's <c>credential_storage</c> on this OS.</summary>
    public static RefreshTokenStore For(Config.ProfileConfig config, SessionPaths paths, TimeProvider clock) =>
        config.UsesKeyring ? new(paths, clock, SecretStores.ForCurrentPlatform(), KeyringLayouts.ForCurrentPlatform()) : new(paths, clock);

    public string? Read(string profile) => ReadWithOwner(profile)?.Token;

    /// <summary>The token with the iss and sub of the user it was issued to (null in records that predate them).</summary>
    public StoredRefreshToken? ReadWithOwner(string profile)
    {
        if (keyring is null) return ReadFile(profile);
        if (keyring.Read(profile) is { } stored) return stored;
        // A file from session storage or an upstream helper: move it into the keyring, then delete it, so the secret
        // is not left in two places (the file goes only once the keyring holds it).
        if (ReadFile(profile) is not { } fromFile) return null;
        keyring.Write(profile, fromFile, Rfc3339.Format(clock.GetUtcNow()));
        AtomicFile.TryDelete(paths.RefreshToken(profile));
        return fromFile;
    }

    /// <summary>
    /// Stores (or replaces, when the provider rotated it) the token, with the iss and sub of the id token it came
    /// with; an empty token is not stored.
    /// </summary>
    public void Save(string profile, string? refreshToken, string? issuer = null, string? subject = null)
    {
        if (string.IsNullOrEmpty(refreshToken)) return;
        var updatedAt = Rfc3339.Format(clock.GetUtcNow());
        if (keyring is not null)
        {
            keyring.Write(profile, new StoredRefreshToken(refreshToken, issuer, subject), updatedAt);
            AtomicFile.TryDelete(paths.RefreshToken(profile));
            return;
        }
        var record = new RefreshTokenRecord(refreshToken, profile, updatedAt, issuer, subject);
        AtomicFile.WriteAllText(paths.RefreshToken(profile), JsonSerializer.Serialize(record, CredentialJson.Default.RefreshTokenRecord));
    }

    /// <summary>Forgets the token wherever it is kept (with keyring storage, a leftover file too).</summary>
    public bool Delete(string profile)
    {
        var deleted = keyring?.Delete(profile) ?? false;
        return AtomicFile.TryDelete(paths.RefreshToken(profile)) | deleted;
    }

    /// <summary>Deletes the stored token only if it is still <paramref name="refused"/> (another process may have replaced it).</summary>
    public bool DeleteIfUnchanged(string profile, string refused) => Read(profile) == refused && Delete(profile);

    private StoredRefreshToken? ReadFile(string profile)
    {
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(paths.RefreshToken(profile)), CredentialJson.Default.RefreshTokenRecord);
            return string.IsNullOrEmpty(record?.RefreshToken) ? null : new StoredRefreshToken(record.RefreshToken, record.Issuer, record.Subject);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>A stored refresh token and the iss and sub of the user it was issued to (null when the record predates them).</summary>
public sealed record StoredRefreshToken(string Token, string? Issuer, string? Subject);
