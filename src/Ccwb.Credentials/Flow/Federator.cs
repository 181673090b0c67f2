using Ccwb.Credentials.Config;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Flow;

/// <summary>Turns a validated id token into AWS credentials: STS (direct IAM federation) or a Cognito identity pool.</summary>
public sealed class Federator(ProfileConfig config, ProviderKind kind, HttpClient http, Func<string, string?> environment)
{
    public async Task<AwsCredentials> FederateAsync(SignedInUser user, CancellationToken cancellation)
    {
        // Nothing resolved during federation may come back to this helper through AWS_PROFILE or static keys.
        using var scope = new AwsEnvironmentScope();
        if (config.IsDirectFederation)
        {
            if (config.FederatedRoleArn.Length == 0)
                throw new FederationException("federation_type is 'direct' but federated_role_arn is not set in config.json.");
            var sts = new StsClient(http, AwsEndpoints.Sts(config.AwsRegion, environment));
            return await sts.AssumeRoleWithWebIdentityAsync(config.FederatedRoleArn, RoleSessionName.From(user.Claims), user.IdToken,
                config.MaxSessionDuration, cancellation).ConfigureAwait(false);
        }
        if (config.IdentityPoolId.Length == 0)
            throw new FederationException("neither federated_role_arn nor identity_pool_id is set in config.json; one of them says how to federate.");
        var cognito = new CognitoIdentityClient(http, AwsEndpoints.CognitoIdentity(config.AwsRegion, environment));
        var loginsKey = CognitoIdentityClient.LoginsKey(kind == ProviderKind.Cognito, user.Claims.Issuer, config.ProviderDomain);
        return await cognito.GetCredentialsAsync(config.IdentityPoolId, loginsKey, user.IdToken, cancellation).ConfigureAwait(false);
    }
}
