using Ccwb.Credentials.Config;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>Turns a validated id token into AWS credentials: STS (direct IAM federation) or a Cognito identity pool.</summary>
public sealed class Federator(ProfileConfig config, ProviderKind kind, HttpTransport http, Func<string, string?> environment)
{
    public AwsCredentials Federate(SignedInUser user)
    {
        // Nothing resolved during federation may come back to this helper through AWS_PROFILE or static keys.
        using var scope = new AwsEnvironmentScope();
        if (config.IsDirectFederation)
        {
            if (config.FederatedRoleArn.Length == 0)
                throw new FederationException("federation_type is 'direct' but federated_role_arn is not set in config.json.");
            var sts = new StsClient(http, AwsEndpoints.Sts(config.AwsRegion, environment));
            return sts.AssumeRoleWithWebIdentity(config.FederatedRoleArn, RoleSessionName.From(user.Claims), user.IdToken,
                config.MaxSessionDuration);
        }
        if (config.IdentityPoolId.Length == 0)
            throw new FederationException("neither federated_role_arn nor identity_pool_id is set in config.json; one of them says how to federate.");
        var cognito = new CognitoIdentityClient(http, AwsEndpoints.CognitoIdentity(config.AwsRegion, environment));
        var loginsKey = CognitoIdentityClient.LoginsKey(kind == ProviderKind.Cognito, user.Claims.Issuer, config.ProviderDomain);
        return cognito.GetCredentials(config.IdentityPoolId, loginsKey, user.IdToken);
    }
}
