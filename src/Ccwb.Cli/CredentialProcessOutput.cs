using System.Globalization;
using System.Text.Json;
using Ccwb.Credentials.Storage;

namespace Ccwb.Cli;

/// <summary>What a <c>credential_process</c> printed, read as the AWS SDKs read it (ccwb test and ccwb doctor --live).</summary>
internal static class CredentialProcessOutput
{
    /// <summary>
    /// The credentials in credential_process output (<c>{"Version":1,"AccessKeyId":…}</c>), or the reason it is not
    /// that. Expiration is optional (long-term keys have none).
    /// </summary>
    public static (AwsCredentials? Credentials, string Problem) Parse(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "the output is not a JSON object");
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (!root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 1)
                return (null, "\"Version\" is not 1");
            if (Text("AccessKeyId") is not { Length: > 0 } key) return (null, "\"AccessKeyId\" is missing");
            if (Text("SecretAccessKey") is not { Length: > 0 } secret) return (null, "\"SecretAccessKey\" is missing");
            var expiration = DateTimeOffset.MaxValue;
            if (Text("Expiration") is { } stamp &&
                !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out expiration))
                return (null, $"\"Expiration\" '{Ccwb.Http.TerminalText.Clean(stamp)}' is not a timestamp");
            return (new AwsCredentials(key, secret, Text("SessionToken") ?? "", expiration), "");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return (null, "the output is not JSON");
        }
    }
}
