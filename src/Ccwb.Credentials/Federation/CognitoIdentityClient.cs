using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Federation;

/// <summary>
/// Cognito identity pool federation: <c>GetId</c> then <c>GetCredentialsForIdentity</c>, both unsigned calls of the
/// AWS JSON 1.1 protocol. Called directly because AWSSDK.CognitoIdentity is not available here and the API is small.
/// </summary>
public sealed class CognitoIdentityClient(HttpClient http, Uri endpoint)
{
    public async Task<AwsCredentials> GetCredentialsAsync(string identityPoolId, string loginsKey, string idToken, CancellationToken cancellation = default)
    {
        var logins = new Dictionary<string, string>(StringComparer.Ordinal) { [loginsKey] = idToken };
        var id = await CallAsync("GetId", new CognitoGetIdRequest(identityPoolId, logins), CredentialJson.Default.CognitoGetIdRequest,
            CredentialJson.Default.CognitoGetIdResponse, cancellation).ConfigureAwait(false);
        if (string.IsNullOrEmpty(id.IdentityId)) throw new FederationException("Cognito GetId failed: the response has no IdentityId.");

        var answer = await CallAsync("GetCredentialsForIdentity", new CognitoGetCredentialsRequest(id.IdentityId, logins),
            CredentialJson.Default.CognitoGetCredentialsRequest, CredentialJson.Default.CognitoGetCredentialsResponse, cancellation).ConfigureAwait(false);
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

    private async Task<TResponse> CallAsync<TRequest, TResponse>(string operation, TRequest request, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, CancellationToken cancellation) where TResponse : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(StsClient.Timeout);
        HttpStatusCode status;
        string body;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, endpoint);
            message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityService." + operation);
            message.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, requestType));
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
            using var response = await http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            throw new FederationException($"Cognito {operation} failed: cannot reach {endpoint}: " +
                                          (e is OperationCanceledException ? "no answer within 30 s" : e.Message), inner: e);
        }
        if (status != HttpStatusCode.OK)
        {
            var error = TryParse(body, CredentialJson.Default.AwsJsonError);
            var type = error?.Type?.Split('#')[^1];
            var text = error?.Message ?? error?.MessageUpper;
            throw type is not null
                ? new FederationException($"Cognito {operation} failed: {type}: {text} (HTTP {(int)status})", type)
                : new FederationException($"Cognito {operation} failed: HTTP {(int)status} with a body that is not an AWS error.");
        }
        return TryParse(body, responseType) ?? throw new FederationException($"Cognito {operation} failed: the response is not valid JSON.");
    }

    private static T? TryParse<T>(string body, JsonTypeInfo<T> type) where T : class
    {
        try { return JsonSerializer.Deserialize(body, type); }
        catch (JsonException) { return null; }
    }
}
