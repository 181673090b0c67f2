using System.Text.Json;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.IdentityCenter;

/// <summary>The IAM Identity Center portal's <c>GetRoleCredentials</c> (REST-JSON, authorised by the SSO access token).</summary>
public sealed class SsoPortalClient(HttpTransport http, Uri endpoint)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public AwsCredentials GetRoleCredentials(string accountId, string roleName, string accessToken)
    {
        var url = new Uri(endpoint, $"federation/credentials?account_id={Uri.EscapeDataString(accountId)}&role_name={Uri.EscapeDataString(roleName)}");
        HttpResponse response;
        try
        {
            response = http.Send(new HttpRequest("GET", url, Headers: [new("x-amz-sso_bearer_token", accessToken)]), Timeout);
        }
        catch (HttpTransportException e)
        {
            throw new IdentityCenterException($"GetRoleCredentials failed: cannot reach the IAM Identity Center portal at {endpoint}: {e.Message}", inner: e);
        }
        if (!response.IsSuccess)
        {
            SsoPortalError? error = null;
            try { error = JsonSerializer.Deserialize(response.Body, IdentityCenterJson.Default.SsoPortalError); }
            catch (JsonException) { }
            var code = response.Header("x-amzn-ErrorType")?.Split(':')[0].Trim() is { Length: > 0 } type ? type : $"HTTP {response.StatusCode}";
            var message = error?.Message ?? error?.MessageUpper;
            throw new IdentityCenterException(SsoOidcClient.Printable(
                $"GetRoleCredentials failed: {code}{(message is { Length: > 0 } ? ": " + message : "")} (HTTP {response.StatusCode})"), code);
        }
        RoleCredentials? credentials;
        try { credentials = JsonSerializer.Deserialize(response.Body, IdentityCenterJson.Default.GetRoleCredentialsResponse)?.RoleCredentials; }
        catch (JsonException) { credentials = null; }
        if (credentials is not { AccessKeyId.Length: > 0, SecretAccessKey.Length: > 0, SessionToken.Length: > 0, Expiration: > 0 })
            throw new IdentityCenterException("GetRoleCredentials failed: the portal's answer lacks roleCredentials with keys, a session token and an expiration.");
        return new AwsCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken,
            DateTimeOffset.FromUnixTimeMilliseconds(credentials.Expiration));
    }
}
