using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Credentials.Json;

namespace Ccwb.Credentials.Storage;

/// <summary>
/// <c>credential_storage: session</c>: AWS credentials in the profile's section of <c>~/.aws/credentials</c> (which
/// the AWS SDKs read directly, making it the fastest path) and the monitoring token in
/// <c>~/.claude-code-session/&lt;profile&gt;-monitoring.json</c>, both 0600 and written atomically.
/// </summary>
public sealed class SessionCredentialCache(SessionPaths paths) : ICredentialCache
{
    private readonly SharedCredentialsFile credentialsFile = new(paths.AwsCredentials);

    public AwsCredentials? ReadCredentials(string profile)
    {
        var credentials = credentialsFile.Read(profile);
        return credentials is null || credentials.AccessKeyId == CredentialPlaceholder.AccessKeyId ? null : credentials;
    }

    public void SaveCredentials(string profile, AwsCredentials credentials) => credentialsFile.Write(profile, credentials);

    /// <summary>Also forgets the desktop token made from these credentials: it is worth as much as they are.</summary>
    public void ClearCredentials(string profile)
    {
        credentialsFile.Remove(profile);
        AtomicFile.TryDelete(paths.DesktopToken(profile));
    }

    public MonitoringToken? ReadMonitoringToken(string profile)
    {
        try
        {
            // Read without the serializer: otel-helper's warm call reads this file (see CachedRecordReader).
            using var document = CachedRecordReader.Parse(File.ReadAllBytes(paths.MonitoringToken(profile)));
            string? token = null, email = null, owner = null;
            long expires = 0;
            foreach (var property in CachedRecordReader.Properties(document))
            {
                switch (property.Name)
                {
                    case "token": token = CachedRecordReader.StringOrNull(property.Value); break;
                    case "expires": expires = property.Value.GetInt64(); break;
                    case "email": email = CachedRecordReader.StringOrNull(property.Value); break;
                    case "profile": owner = CachedRecordReader.StringOrNull(property.Value); break;
                }
            }
            return string.IsNullOrEmpty(token) ? null : new MonitoringToken(token, expires, email, owner ?? profile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || CachedRecordReader.IsMalformed(e))
        {
            return null;
        }
    }

    public void SaveMonitoringToken(string profile, MonitoringToken token) =>
        AtomicFile.WriteAllText(paths.MonitoringToken(profile), JsonSerializer.Serialize(
            new MonitoringTokenRecord(token.Token, token.Expires, token.Email, token.Profile), CredentialJson.Default.MonitoringTokenRecord));

    public void ClearMonitoringToken(string profile) => AtomicFile.TryDelete(paths.MonitoringToken(profile));

    /// <summary>
    /// <c>&lt;profile&gt;-desktop-token</c>: the token alone, so that the credential-process front can hand it out
    /// again without the platform's crypto (see <see cref="Signing.BedrockBearerToken.IsCurrentFor"/>).
    /// </summary>
    public string? ReadDesktopToken(string profile)
    {
        try
        {
            return File.ReadAllText(paths.DesktopToken(profile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void SaveDesktopToken(string profile, string token) => AtomicFile.WriteAllText(paths.DesktopToken(profile), token);
}
