using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Federation;

/// <summary>
/// Cognito identity pool federation: <c>GetId</c> then <c>GetCredentialsForIdentity</c>, both unsigned calls of the
/// AWS JSON 1.1 protocol. Called directly because AWSSDK.CognitoIdentity is not available here and the API is small.
/// </summary>
public sealed class CognitoIdentityClient(HttpTransport http, Uri endpoint)
{
    public AwsCredentials GetCredentials(string identityPoolId, string loginsKey, string idToken)
    {
        var logins = new Dictionary<string, string>(StringComparer.Ordinal) { [loginsKey] = idToken };
        var id = Call("GetId", new CognitoGetIdRequest(identityPoolId, logins), CredentialJson.Default.CognitoGetIdRequest,
            CredentialJson.Default.CognitoGetIdResponse);
        if (string.IsNullOrEmpty(id.IdentityId)) throw new FederationException("Cognito GetId failed: the response has no IdentityId.");

        var answer = Call("GetCredentialsForIdentity", new CognitoGetCredentialsRequest(id.IdentityId, logins),
            CredentialJson.Default.CognitoGetCredentialsRequest, CredentialJson.Default.CognitoGetCredentialsResponse);
        var c = answer.Credentials;
        if (c is null || string.IsNullOrEmpty(c.AccessKeyId) || string.IsNullOrEmpty(c.SecretKey) || string.IsNullOrEmpty(c.SessionToken) || c.Expiration <= 0)
            throw new FederationException("Cognito GetCredentialsForIdentity failed: the response lacks AccessKeyId, SecretKey, SessionToken or Expiration.");
        return new AwsCredentials(c.AccessKeyId, c.SecretKey, c.SessionToken, DateTimeOffset.FromUnixTimeMilliseconds((long)(c.Expiration * 1000)));
    }

    /// <summary>The Logins key: the user pool issuer (without https://) for Cognito user pools, else provider_domain.</summary>
    public static string LoginsKey(bool providerIsCognitoUserPool, string? issuer, string providerDomain)
    {
        if (providerIsCognitoUserPool && !string.IsNullOrEmpty(issuer))
            return issuer.StartsWith("https://", StringComparison.Ordinal) ? issuer["https://".Length..] : issuer;
        return providerDomain;
    }

    private TResponse Call<TRequest, TResponse>(string operation, TRequest request, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType) where TResponse : class
    {
        HttpResponse response;
        try
        {
            response = http.Send(new HttpRequest("POST", endpoint, JsonSerializer.SerializeToUtf8Bytes(request, requestType),
                "application/x-amz-json-1.1", [new("X-Amz-Target", "AWSCognitoIdentityService." + operation)]), StsClient.Timeout);
        }
        catch (HttpTransportException e)
        {
            throw new FederationException($"Cognito {operation} failed: cannot reach {endpoint}: {e.Message}", inner: e);
        }
        var status = response.StatusCode;
        var body = response.BodyText;
        if (status != 200)
        {
            var error = TryParse(body, CredentialJson.Default.AwsJsonError);
            var type = error?.Type?.Split('#')[^1];
            var text = error?.Message ?? error?.MessageUpper;
            throw type is not null
                ? new FederationException($"Cognito {operation} failed: {type}: {text} (HTTP {status})", type)
                : new FederationException($"Cognito {operation} failed: HTTP {status} with a body that is not an AWS error.");
        }
        return TryParse(body, responseType) ?? throw new FederationException($"Cognito {operation} failed: the response is not valid JSON.");
    }

    private static T? TryParse<T>(string body, JsonTypeInfo<T> type) where T : class
    {
        try { return JsonSerializer.Deserialize(body, type); }
        catch (JsonException) { return null; }
    }
}
