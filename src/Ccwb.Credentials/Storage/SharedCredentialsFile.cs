using Ccwb.Contract.Files;

namespace Ccwb.Credentials.Storage;

/// <summary>
/// The profile's section of the AWS shared credentials file (<c>~/.aws/credentials</c>). Only that section is read or
/// replaced, through the shared INI editor (every other line kept byte for byte, updates under a lock so that two
/// profiles refreshing at once lose nothing, a symlinked file written through its link).
/// </summary>
public sealed class SharedCredentialsFile(string path)
{
    private const string AccessKeyKey = "aws_access_key_id";
    private const string SecretKeyKey = "aws_secret_access_key";
    private const string SessionTokenKey = "aws_session_token";
    private const string ExpirationKey = "x-expiration";

    public string Path { get; } = path;

    /// <summary>The section's credentials, or null when the file, section or a key is missing or unparsable.</summary>
    public AwsCredentials? Read(string profile)
    {
        if (AwsIniFile.Read(Path).Entries(profile) is not { } entries) return null;
        string? accessKey = null, secretKey = null, sessionToken = null, expiration = null;
        foreach (var (key, value) in entries)
        {
            switch (key)
            {
                case AccessKeyKey: accessKey ??= value; break;
                case SecretKeyKey: secretKey ??= value; break;
                case SessionTokenKey: sessionToken ??= value; break;
                case ExpirationKey: expiration ??= value; break;
                default: break;
            }
        }
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey) || string.IsNullOrEmpty(sessionToken)) return null;
        var expires = Rfc3339.TryParse(expiration, out var e) ? e : DateTimeOffset.MinValue;
        return new AwsCredentials(accessKey, secretKey, sessionToken, expires);
    }

    public void Write(string profile, AwsCredentials credentials) =>
        AwsIniFile.Update(Path, text => text.ReplaceSection(profile,
            [
                new(AccessKeyKey, credentials.AccessKeyId),
                new(SecretKeyKey, credentials.SecretAccessKey),
                new(SessionTokenKey, credentials.SessionToken),
                new(ExpirationKey, Rfc3339.Format(credentials.Expiration)),
            ]));

    /// <summary>Removes the section (a placeholder would shadow credential_process in every AWS SDK); false when absent.</summary>
    public bool Remove(string profile) => File.Exists(Path) && AwsIniFile.Update(Path, text => text.RemoveSection(profile));
}
