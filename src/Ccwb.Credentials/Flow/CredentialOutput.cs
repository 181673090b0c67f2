using System.Text.Json;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Flow;

/// <summary>The credential_process answer: one compact JSON line, the only thing ever written to stdout on success.</summary>
public static class CredentialOutput
{
    public static string Format(AwsCredentials credentials) =>
        JsonSerializer.Serialize(new CredentialProcessOutput(1, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken,
            Rfc3339.Format(credentials.Expiration)), CredentialJson.Default.CredentialProcessOutput);

    /// <summary>Usable only with more than 30 s left (the SDK would otherwise call again at once).</summary>
    public static bool IsFresh(AwsCredentials? credentials, DateTimeOffset now) =>
        credentials is not null && credentials.AccessKeyId != CredentialPlaceholder.AccessKeyId && credentials.Expiration - now > TimeSpan.FromSeconds(30);
}
