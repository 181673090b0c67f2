namespace Ccwb.Profiles.Validation;

/// <summary>How packages reach users: presigned S3 links or an authenticated landing page.</summary>
internal static class DistributionRules
{
    private static readonly string[] LandingPageProviders = ["okta", "auth0", "azure", "cognito", "generic"];

    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        r.OneOf("distribution_type", p.DistributionType, "presigned-s3", "landing-page");

        if (!string.IsNullOrWhiteSpace(p.DistributionCustomDomain) && !Urls.IsDomain(p.DistributionCustomDomain))
            r.Error("distribution_custom_domain", $"Invalid distribution_custom_domain format: {p.DistributionCustomDomain}");

        if (p.DistributionType is "presigned-s3" or "landing-page") CheckBucketNaming(p, r);
        if (p.DistributionType == "landing-page") CheckLandingPage(p, r);
    }

    // The distribution templates build S3 bucket names from the base name, and S3 allows only lowercase,
    // no underscores. (Length is safe: 20 characters of base keep "{base}-landing-page-dist-{account}" within 63.)
    private static void CheckBucketNaming(DeploymentProfile p, ValidationReport r)
    {
        var name = p.IdentityPoolName;
        if (name.Length == 0) return;
        if (name.Any(c => char.IsAsciiLetterUpper(c) || c == '_'))
            r.Error("identity_pool_name", "must be lowercase without underscores when distribution is enabled (it becomes part of S3 bucket names)");
    }

    private static void CheckLandingPage(DeploymentProfile p, ValidationReport r)
    {
        var provider = p.DistributionIdpProvider;
        if (string.IsNullOrWhiteSpace(provider))
            r.Error("distribution_idp_provider", "distribution_idp_provider is required when distribution_type is 'landing-page'");
        else if (!LandingPageProviders.Contains(provider, StringComparer.Ordinal))
            r.Error("distribution_idp_provider",
                $"Invalid distribution_idp_provider: {provider}. Must be one of {string.Join(", ", LandingPageProviders)}");

        if (string.IsNullOrWhiteSpace(p.DistributionIdpClientId))
            r.Error("distribution_idp_client_id", "distribution_idp_client_id is required when distribution_type is 'landing-page'");

        if (provider == "generic")
        {
            RequireHttps(r, "distribution_idp_issuer", p.DistributionIdpIssuer);
            RequireHttps(r, "distribution_idp_authorization_endpoint", p.DistributionIdpAuthorizationEndpoint);
            RequireHttps(r, "distribution_idp_token_endpoint", p.DistributionIdpTokenEndpoint);
            RequireHttps(r, "distribution_idp_userinfo_endpoint", p.DistributionIdpUserinfoEndpoint);
        }
        else if (string.IsNullOrWhiteSpace(p.DistributionIdpDomain))
            r.Error("distribution_idp_domain", "distribution_idp_domain is required when distribution_type is 'landing-page'");
        else if (!Urls.IsDomain(p.DistributionIdpDomain))
            r.Error("distribution_idp_domain", $"Invalid distribution_idp_domain format: {p.DistributionIdpDomain}");

        if (string.IsNullOrWhiteSpace(p.DistributionCustomDomain))
            r.Error("distribution_custom_domain", "Custom domain is required for authenticated landing page");

        if (!string.IsNullOrWhiteSpace(p.DistributionIdpClientSecretArn))
            ArnRules.CheckInPartition(r, "distribution_idp_client_secret_arn", p.DistributionIdpClientSecretArn, p.AwsRegion);
    }

    private static void RequireHttps(ValidationReport r, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) r.Error(field, $"{field} is required when distribution_idp_provider is 'generic'");
        else if (!Urls.IsHttps(value)) r.Error(field, $"must be an https URL, got '{value}'");
    }
}
