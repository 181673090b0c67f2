using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ccwb.Http;

namespace Ccwb.Credentials.IdentityCenter;

/// <summary>
/// IAM Identity Center OIDC (<c>sso-oidc</c>) over its REST-JSON wire format: RegisterClient, StartDeviceAuthorization
/// and CreateToken. Unsigned, as in the SDKs: the client secret and device code or refresh token are the proof.
/// Called directly over the helper's HTTP client for the reason StsClient gives (AWSSDK's size and start-up cost).
/// </summary>
public sealed class SsoOidcClient(HttpTransport http, Uri endpoint)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    public const string ClientName = "claude-code-with-bedrock";
    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

    public RegisterClientResponse RegisterClient() => Call("RegisterClient", "client/register",
        new RegisterClientRequest(ClientName, "public", ["sso:account:access"], [DeviceCodeGrant, "refresh_token"]),
        IdentityCenterJson.Default.RegisterClientRequest, IdentityCenterJson.Default.RegisterClientResponse);

    public StartDeviceAuthorizationResponse StartDeviceAuthorization(string clientId, string clientSecret, string startUrl) =>
        Call("StartDeviceAuthorization", "device_authorization", new StartDeviceAuthorizationRequest(clientId, clientSecret, startUrl),
            IdentityCenterJson.Default.StartDeviceAuthorizationRequest, IdentityCenterJson.Default.StartDeviceAuthorizationResponse);

    public CreateTokenResponse CreateToken(CreateTokenRequest request) =>
        Call("CreateToken", "token", request, IdentityCenterJson.Default.CreateTokenRequest, IdentityCenterJson.Default.CreateTokenResponse);

    private TResponse Call<TRequest, TResponse>(string operation, string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType)
    {
        var url = new Uri(endpoint, path);
        HttpResponse response;
        try
        {
            response = http.Send(new HttpRequest("POST", url, JsonSerializer.SerializeToUtf8Bytes(body, requestType), "application/json"), Timeout);
        }
        catch (HttpTransportException e)
        {
            throw new IdentityCenterException($"{operation} failed: cannot reach IAM Identity Center at {endpoint}: {e.Message}", inner: e);
        }
        if (!response.IsSuccess)
        {
            var (code, message) = ErrorOf(response);
            throw new IdentityCenterException($"{operation} failed: {code}{(message is { Length: > 0 } ? ": " + message : "")} (HTTP {response.StatusCode})", code);
        }
        try
        {
            return JsonSerializer.Deserialize(response.Body, responseType)
                   ?? throw new IdentityCenterException($"{operation} failed: IAM Identity Center answered JSON null.");
        }
        catch (JsonException)
        {
            throw new IdentityCenterException($"{operation} failed: IAM Identity Center answered HTTP {response.StatusCode} with a body that is not JSON.");
        }
    }

    /// <summary>The error code (<c>x-amzn-ErrorType</c> up to its first colon, else the OAuth <c>error</c>) and description.</summary>
    internal static (string Code, string? Message) ErrorOf(HttpResponse response)
    {
        SsoOidcError? body = null;
        try { body = JsonSerializer.Deserialize(response.Body, IdentityCenterJson.Default.SsoOidcError); }
        catch (JsonException) { }
        var header = response.Header("x-amzn-ErrorType")?.Split(':')[0].Trim();
        var code = header is { Length: > 0 } ? header : body?.Error is { Length: > 0 } error ? OAuthToException(error) : $"HTTP {response.StatusCode}";
        return (Printable(code), body?.ErrorDescription is { } description ? Printable(description) : null);
    }

    private static string OAuthToException(string error) => error switch
    {
        "authorization_pending" => "AuthorizationPendingException",
        "slow_down" => "SlowDownException",
        "expired_token" => "ExpiredTokenException",
        "access_denied" => "AccessDeniedException",
        "invalid_grant" => "InvalidGrantException",
        "invalid_client" => "InvalidClientException",
        _ => error,
    };

    /// <summary>Text from the network reaches a terminal: control characters and direction overrides are dropped.</summary>
    internal static string Printable(string text) => TerminalText.Clean(text);
}
