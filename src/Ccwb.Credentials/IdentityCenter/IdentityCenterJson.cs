using System.Text.Json.Serialization;

namespace Ccwb.Credentials.IdentityCenter;

/// <summary>
/// The SSO token cache file the AWS CLI v2 and SDKs share (<c>~/.aws/sso/cache/&lt;sha1&gt;.json</c>), with their field
/// names. Fields a writer did not set are left out, as the CLI does.
/// </summary>
public sealed record SsoTokenFile
{
    public string? StartUrl { get; init; }
    public string? Region { get; init; }
    public string? AccessToken { get; init; }
    public string? ExpiresAt { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string? RegistrationExpiresAt { get; init; }
    public string? RefreshToken { get; init; }
}

public sealed record RegisterClientRequest(string ClientName, string ClientType, string[] Scopes, string[] GrantTypes);
public sealed record RegisterClientResponse(string? ClientId, string? ClientSecret, long ClientIdIssuedAt, long ClientSecretExpiresAt);
public sealed record StartDeviceAuthorizationRequest(string ClientId, string ClientSecret, string StartUrl);
public sealed record StartDeviceAuthorizationResponse(string? DeviceCode, string? UserCode, string? VerificationUri,
    string? VerificationUriComplete, int ExpiresIn, int Interval);

public sealed record CreateTokenRequest
{
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public required string GrantType { get; init; }
    public string? DeviceCode { get; init; }
    public string? RefreshToken { get; init; }
}

public sealed record CreateTokenResponse(string? AccessToken, string? TokenType, int ExpiresIn, string? RefreshToken);

/// <summary>SSO-OIDC's error body (OAuth style), beside the <c>x-amzn-ErrorType</c> header.</summary>
public sealed record SsoOidcError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

public sealed record GetRoleCredentialsResponse(RoleCredentials? RoleCredentials);
/// <param name="Expiration">Milliseconds since the Unix epoch.</param>
public sealed record RoleCredentials(string? AccessKeyId, string? SecretAccessKey, string? SessionToken, long Expiration);

/// <summary>The SSO portal's error body (REST-JSON: the code is in <c>x-amzn-ErrorType</c>).</summary>
public sealed record SsoPortalError(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("Message")] string? MessageUpper);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(SsoTokenFile))]
[JsonSerializable(typeof(RegisterClientRequest))]
[JsonSerializable(typeof(RegisterClientResponse))]
[JsonSerializable(typeof(StartDeviceAuthorizationRequest))]
[JsonSerializable(typeof(StartDeviceAuthorizationResponse))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreateTokenResponse))]
[JsonSerializable(typeof(SsoOidcError))]
[JsonSerializable(typeof(GetRoleCredentialsResponse))]
[JsonSerializable(typeof(SsoPortalError))]
public sealed partial class IdentityCenterJson : JsonSerializerContext;
