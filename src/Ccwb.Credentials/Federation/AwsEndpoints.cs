namespace Ccwb.Credentials.Federation;

/// <summary>
/// Service endpoints as the AWS SDKs choose them: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>
/// (both ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>), then the region's endpoint in its partition
/// (China, GovCloud and the isolated regions included). VPC endpoints and local test peers use the first two.
/// </summary>
public static class AwsEndpoints
{
    public static Uri Sts(string region, Func<string, string?> environment) =>
        Resolve("STS", "sts", region, environment);

    public static Uri CognitoIdentity(string region, Func<string, string?> environment) =>
        Resolve("COGNITO_IDENTITY", "cognito-identity", region, environment);

    /// <summary>IAM Identity Center OIDC (client registration, device authorization, tokens).</summary>
    public static Uri SsoOidc(string region, Func<string, string?> environment) =>
        Resolve("SSO_OIDC", "oidc", region, environment);

    /// <summary>The IAM Identity Center portal (GetRoleCredentials).</summary>
    public static Uri SsoPortal(string region, Func<string, string?> environment) =>
        Resolve("SSO", "portal.sso", region, environment);

    /// <summary>CloudWatch (<c>monitoring</c>), which also takes OTLP over HTTP.</summary>
    public static Uri CloudWatch(string region, Func<string, string?> environment) =>
        Resolve("CLOUDWATCH", "monitoring", region, environment);

    /// <summary>Bedrock's control plane (ListFoundationModels, inference profiles).</summary>
    public static Uri Bedrock(string region, Func<string, string?> environment) =>
        Resolve("BEDROCK", "bedrock", region, environment);

    /// <summary>Bedrock's runtime (Converse, InvokeModel).</summary>
    public static Uri BedrockRuntime(string region, Func<string, string?> environment) =>
        Resolve("BEDROCK_RUNTIME", "bedrock-runtime", region, environment);

    public static string DnsSuffix(string region) => region switch
    {
        _ when region.StartsWith("cn-", StringComparison.Ordinal) => "amazonaws.com.cn",
        _ when region.StartsWith("us-isob-", StringComparison.Ordinal) => "sc2s.sgov.gov",
        _ when region.StartsWith("us-isof-", StringComparison.Ordinal) => "csp.hci.ic.gov",
        _ when region.StartsWith("us-iso-", StringComparison.Ordinal) => "c2s.ic.gov",
        _ when region.StartsWith("eu-isoe-", StringComparison.Ordinal) => "cloud.adc-e.uk",
        _ => "amazonaws.com",
    };

    private static Uri Resolve(string serviceVariable, string hostPrefix, string region, Func<string, string?> environment)
    {
        if (!string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var name in new[] { "AWS_ENDPOINT_URL_" + serviceVariable, "AWS_ENDPOINT_URL" })
            {
                var value = environment(name);
                if (string.IsNullOrWhiteSpace(value)) continue;
                if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var configured) || configured.Scheme is not ("https" or "http"))
                    throw new FederationException($"{name} '{value}' is not an http(s) URL.");
                // Credentials and tokens never cross a network in clear text: plain http only to this computer.
                if (configured.Scheme == "http" && !configured.IsLoopback)
                    throw new FederationException($"{name} '{value}' uses plain http; only https is allowed for an endpoint that is not on this computer.");
                return configured;
            }
        }
        if (string.IsNullOrWhiteSpace(region) || region.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            throw new FederationException($"aws_region '{region}' is not a valid AWS region name.");
        return new Uri($"https://{hostPrefix}.{region}.{DnsSuffix(region)}/");
    }
}
