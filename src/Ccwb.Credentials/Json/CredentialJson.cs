using System.Text.Json.Serialization;

namespace Ccwb.Credentials.Json;

public sealed record MonitoringTokenRecord(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires")] long Expires,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("profile")] string? Profile);

/// <summary>
/// The refresh-token file (and keyring item). The first three fields are upstream's; <c>iss</c> and <c>sub</c> name the
/// user the token was issued to, for the same-user check on refreshed id tokens, and are absent from older records.
/// </summary>
public sealed record RefreshTokenRecord(
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("updated_at")] string UpdatedAt,
    [property: JsonPropertyName("iss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Issuer = null,
    [property: JsonPropertyName("sub"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject = null);

public sealed record TokenResponse(
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType);

public sealed record OAuthError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

public sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string? Issuer,
    [property: JsonPropertyName("authorization_endpoint")] string? AuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string? TokenEndpoint,
    [property: JsonPropertyName("jwks_uri")] string? JwksUri);

public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] List<JsonWebKey>? Keys);

public sealed record JsonWebKey(
    [property: JsonPropertyName("kty")] string? Kty,
    [property: JsonPropertyName("kid")] string? Kid,
    [property: JsonPropertyName("use")] string? Use,
    [property: JsonPropertyName("alg")] string? Alg,
    [property: JsonPropertyName("n")] string? N,
    [property: JsonPropertyName("e")] string? E,
    [property: JsonPropertyName("crv")] string? Crv,
    [property: JsonPropertyName("x")] string? X,
    [property: JsonPropertyName("y")] string? Y);

public sealed record JwtHeader(
    [property: JsonPropertyName("alg")] string? Alg,
    [property: JsonPropertyName("kid")] string? Kid,
    [property: JsonPropertyName("typ")] string? Typ);

public sealed record CognitoGetIdRequest(string IdentityPoolId, Dictionary<string, string> Logins);
public sealed record CognitoGetIdResponse(string? IdentityId);
public sealed record CognitoGetCredentialsRequest(string IdentityId, Dictionary<string, string> Logins);
public sealed record CognitoGetCredentialsResponse(string? IdentityId, CognitoCredentials? Credentials);
public sealed record CognitoCredentials(string? AccessKeyId, string? SecretKey, string? SessionToken, double Expiration);

public sealed record AwsJsonError(
    [property: JsonPropertyName("__type")] string? Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("Message")] string? MessageUpper);

/// <summary>The otel header cache, <c>&lt;profile&gt;-otel-headers.json</c> (schema 2, shared with upstream's helpers).</summary>
public sealed record OtelHeaderCacheRecord(
    [property: JsonPropertyName("schema_version")] int SchemaVersion,
    [property: JsonPropertyName("headers")] Dictionary<string, string>? Headers,
    [property: JsonPropertyName("token_exp")] long TokenExp,
    [property: JsonPropertyName("cached_at")] long CachedAt);

/// <summary>The quota API's answer to <c>GET /check</c>.</summary>
public sealed record QuotaCheckResponse(
    [property: JsonPropertyName("allowed")] bool? Allowed,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("usage")] Quota.QuotaUsage? Usage,
    [property: JsonPropertyName("policy")] QuotaPolicyRecord? Policy);

public sealed record QuotaPolicyRecord(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("identifier")] string? Identifier);

/// <summary>Source-generated serializers for every JSON shape the end-user binaries read or write (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MonitoringTokenRecord))]
[JsonSerializable(typeof(RefreshTokenRecord))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(CognitoGetIdRequest))]
[JsonSerializable(typeof(CognitoGetIdResponse))]
[JsonSerializable(typeof(CognitoGetCredentialsRequest))]
[JsonSerializable(typeof(CognitoGetCredentialsResponse))]
[JsonSerializable(typeof(AwsJsonError))]
[JsonSerializable(typeof(OtelHeaderCacheRecord))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(QuotaCheckResponse))]
[JsonSerializable(typeof(string))]
public sealed partial class CredentialJson : JsonSerializerContext;
