namespace Ccwb.Credentials.Federation;

/// <summary>STS or Cognito Identity refused or failed; <see cref="ErrorCode"/> is AWS's error code when it sent one.</summary>
public sealed class FederationException(string message, string? errorCode = null, Exception? inner = null) : Exception(message, inner)
{
    public string? ErrorCode { get; } = errorCode;

    private static readonly string[] InvalidTokenPatterns =
    [
        "InvalidParameterException", "NotAuthorizedException", "ValidationError", "Invalid AccessKeyId",
        "ExpiredToken", "Invalid JWT", "Token is not from a supported provider",
    ];

    /// <summary>Errors that mean the token or cached state was bad, so clearing the cache and signing in again helps.</summary>
    public bool MeansInvalidCredentials => InvalidTokenPatterns.Any(p => Message.Contains(p, StringComparison.Ordinal));
}
