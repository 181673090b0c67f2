namespace Ccwb.Credentials.Storage;

/// <summary>Temporary AWS credentials as the credential_process protocol carries them.</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    /// <summary>Credentials closer than this to expiry are not handed out: the SDK would call again at once or fail mid-request.</summary>
    public static readonly TimeSpan FreshnessMargin = TimeSpan.FromSeconds(30);

    /// <summary>Not the cleared placeholder, and more than <see cref="FreshnessMargin"/> left at <paramref name="now"/>.</summary>
    public bool IsFreshAt(DateTimeOffset now) =>
        AccessKeyId != CredentialPlaceholder.AccessKeyId && Expiration - now > FreshnessMargin;
}

/// <summary>The value a cleared cache entry holds; an access key of <c>EXPIRED</c> is always a cache miss.</summary>
public static class CredentialPlaceholder
{
    public const string AccessKeyId = "EXPIRED";
}

/// <summary>The OIDC id token kept for monitoring (otel-helper) and for re-federation without a browser.</summary>
/// <param name="Expires">The token's <c>exp</c> claim, seconds since the Unix epoch.</param>
public sealed record MonitoringToken(string Token, long Expires, string? Email, string Profile);

/// <summary>
/// Where a profile's AWS credentials and monitoring token are cached: <c>session</c> files or the OS <c>keyring</c>.
/// Reads return null for a miss (absent, placeholder or unreadable), never a partial value.
/// </summary>
public interface ICredentialCache
{
    AwsCredentials? ReadCredentials(string profile);
    void SaveCredentials(string profile, AwsCredentials credentials);
    /// <summary>Makes the cached credentials unusable (session: remove the section; keyring: write the placeholder).</summary>
    void ClearCredentials(string profile);

    MonitoringToken? ReadMonitoringToken(string profile);
    void SaveMonitoringToken(string profile, MonitoringToken token);
    void ClearMonitoringToken(string profile);

    /// <summary>The Claude Desktop bearer token last handed out for the cached credentials, as written (not checked).</summary>
    string? ReadDesktopToken(string profile);
    void SaveDesktopToken(string profile, string token);
}

/// <summary>
/// An OS secret store (Secret Service, Keychain, Credential Manager) holding string secrets by key under the
/// service name <see cref="ServiceName"/>. Get returns null when the key is absent; transport errors throw.
/// </summary>
public interface ISecretStore
{
    public const string ServiceName = "claude-code-with-bedrock";

    string? Get(string key);
    void Set(string key, string value);
    /// <summary>Removes the key; false when it was not there.</summary>
    bool Remove(string key);
}
