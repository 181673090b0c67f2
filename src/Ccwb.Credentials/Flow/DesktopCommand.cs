using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Flow;

public sealed partial class CredentialCommands
{
    /// <summary>
    /// <c>--desktop</c>, Claude Desktop's <c>inferenceCredentialHelper</c>: fresh AWS credentials from the cache, else
    /// the silent rungs of the ladder (cached id token, refresh token), else, only when Claude Desktop says the user
    /// is there (<c>CLAUDE_HELPER_CONTEXT</c> empty or <c>interactive</c>), the browser sign-in of a normal run. The
    /// credentials become a Bedrock bearer token (the one handed out before while it is as good as a new one, see
    /// <see cref="BedrockBearerToken.IsCurrentFor"/>); the credential JSON itself is never printed.
    /// </summary>
    public async Task<int> DesktopAsync(CancellationToken cancellation = default)
    {
        try
        {
            return await DesktopTokenAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            await quota.LingerAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> DesktopTokenAsync(CancellationToken cancellation)
    {
        var helperContext = environment("CLAUDE_HELPER_CONTEXT") ?? "";
        var interactive = helperContext is "" or "interactive";
        var cached = cache.ReadCredentials(config.Name);
        var credentials = CredentialOutput.IsFresh(cached, clock.GetUtcNow()) ? cached : null;
        if (credentials is not null) CheckQuotaOfCachedCredentials();
        var renewed = credentials is null ? TryRenewSilently() : null;
        credentials ??= renewed;
        if (credentials is null && interactive)
        {
            // A normal run: its lock, its browser, its caching; only its credential JSON is not wanted here.
            var quiet = new CredentialCommands(context with { Stdout = TextWriter.Null });
            await quiet.RunAsync(cancellation).ConfigureAwait(false);
            var signedIn = cache.ReadCredentials(config.Name);
            credentials = CredentialOutput.IsFresh(signedIn, clock.GetUtcNow()) ? signedIn : null;
        }
        if (credentials is null)
        {
            if (cached is not null && cached.AccessKeyId != CredentialPlaceholder.AccessKeyId)
                throw new OidcException($"credentials expired for profile '{config.Name}' and refresh failed.");
            throw new OidcException($"no valid credentials for profile '{config.Name}'. " + (interactive
                ? "Authentication failed."
                : $"Silent refresh failed (CLAUDE_HELPER_CONTEXT={helperContext}). Re-open Claude Desktop to trigger interactive sign-in."));
        }
        var now = clock.GetUtcNow();
        var saved = cache.ReadDesktopToken(config.Name);
        var reused = saved is not null && BedrockBearerToken.IsCurrentFor(saved, credentials, config.AwsRegion, now);
        var token = reused ? saved! : BedrockBearerToken.Create(credentials, config.AwsRegion, now);
        stdout.WriteLine(BedrockBearerToken.DesktopJson(token));
        stdout.Flush();
        if (renewed is not null) Cache(renewed);
        if (!reused) SaveDesktopToken(token);
        return 0;
    }

    /// <summary>
    /// Keeps the token for the next call (the credential-process front hands it out again while the credentials stay
    /// cached); written after the credentials, which it must match. A file that cannot be written costs only speed.
    /// </summary>
    private void SaveDesktopToken(string token)
    {
        try
        {
            cache.SaveDesktopToken(config.Name, token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Debug($"Could not save the desktop token: {e.Message}");
        }
    }
}
