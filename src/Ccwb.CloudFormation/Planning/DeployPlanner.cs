using System.Globalization;
using Ccwb.Bedrock;
using Ccwb.CloudFormation.Templates;
using Ccwb.Profiles;
using Ccwb.Profiles.Validation;

namespace Ccwb.CloudFormation.Planning;

/// <summary>
/// Turns a profile into the stacks to deploy, with every parameter value computed and checked against the template's
/// own constraints, so a bad value is reported by its profile field before anything is written or run.
/// </summary>
public static class DeployPlanner
{
    /// <summary>Every stack deploys IAM resources with explicit names.</summary>
    public static IReadOnlyList<string> Capabilities { get; } = ["CAPABILITY_NAMED_IAM"];

    /// <exception cref="ProfileFindingsException">
    /// The profile breaks a rule (<see cref="ProfileValidator"/>, purpose Deploy) or holds values the templates cannot take.
    /// </exception>
    /// <param name="functionCode">
    /// Where <c>ccwb deploy</c> uploaded the quota functions' zips; without it (package builds, plans written ahead)
    /// the quota stack's parameter file lacks the code location, and the template refuses a deploy from it.
    /// </param>
    public static DeployPlan Plan(DeploymentProfile profile, FunctionCode? functionCode = null)
    {
        var errors = new InputErrors(ProfileValidator.Validate(profile, ValidationPurpose.Deploy));
        if (!AwsRegions.IsKnown(profile.AwsRegion))
        {
            errors.Add("aws_region", string.IsNullOrEmpty(profile.AwsRegion) ? "is required" : $"'{profile.AwsRegion}' is not an AWS region");
            errors.ThrowIfAny();
        }
        StackNaming.ValidateBase(profile.IdentityPoolName, errors);
        var tags = StackTags.From(profile.Tags);

        var stacks = new List<PlannedStack>();
        foreach (var kind in Order)
            if (PlanStack(kind, profile, functionCode, errors) is { } stack) stacks.Add(stack);

        errors.ThrowIfAny();
        return new DeployPlan(profile.Name, stacks, tags);
    }

    /// <summary>
    /// Every stack kind, in deploy order: a stack comes after those whose exports or resources it uses (the collector
    /// imports the network's VPC; the dashboards and analytics read the collector's log groups). Distribution comes
    /// before quota: the quota functions' code is uploaded to its bucket. (The packages that point at the quota API
    /// are built after the deploy.)
    /// </summary>
    public static IReadOnlyList<string> Order { get; } =
        ["auth", "networking", "monitoring", "dashboard", "cowork-dashboard", "analytics", "distribution", "quota"];

    private static PlannedStack? PlanStack(string kind, DeploymentProfile profile, FunctionCode? functionCode, InputErrors errors) => kind switch
    {
        "auth" => AuthStack(profile, errors),
        "networking" => MonitoringStacks.Networking(profile, errors),
        "monitoring" => MonitoringStacks.Collector(profile, errors),
        "dashboard" => MonitoringStacks.ClaudeCodeDashboard(profile, errors),
        "cowork-dashboard" => MonitoringStacks.CoworkDashboard(profile, errors),
        "analytics" => MonitoringStacks.Analytics(profile, errors),
        "quota" => QuotaStack.Plan(profile, functionCode, errors),
        "distribution" => DistributionStack(profile, errors),
        _ => null,
    };

    private static PlannedStack? AuthStack(DeploymentProfile profile, InputErrors errors)
    {
        var authType = profile.EffectiveAuthType;
        if (authType == "none") return null;
        if (authType is not ("oidc" or "idc"))
        {
            errors.Add("auth_type", $"'{authType}' is not one of oidc, idc, none");
            return null;
        }

        var access = BedrockAccess.Resolve(profile, errors);
        var parameters = new List<StackParameter>();
        Dictionary<string, string> outputs;
        string template;
        if (authType == "idc")
        {
            template = TemplateLibrary.AuthIdc;
            outputs = [];
        }
        else
        {
            template = TemplateLibrary.AuthOidc;
            var federation = profile.FederationType;
            if (federation is not ("direct" or "cognito"))
                errors.Add("federation_type", $"'{federation}' is not one of direct, cognito");
            var provider = IdentityProviders.Resolve(profile, errors);
            if (profile.MaxSessionDuration is < 3600 or > 43200)
                errors.Add("max_session_duration", $"{profile.MaxSessionDuration} is outside 3600-43200 seconds");

            parameters.Add(new("IdentityPoolName", profile.IdentityPoolName, "identity_pool_name"));
            parameters.Add(new("FederationType", federation, "federation_type"));
            if (provider is not null)
            {
                parameters.Add(new("OidcIssuerUrl", provider.IssuerUrl, IssuerField(profile)));
                parameters.Add(new("OidcClientId", provider.ClientId, "client_id"));
                if (provider.Thumbprint.Length > 0) parameters.Add(new("OidcThumbprint", provider.Thumbprint, "oidc_thumbprint"));
                if (provider.CognitoUserPoolId.Length > 0) parameters.Add(new("CognitoUserPoolId", provider.CognitoUserPoolId, "cognito_user_pool_id"));
            }
            parameters.Add(new("MaxSessionDuration", profile.MaxSessionDuration.ToString(CultureInfo.InvariantCulture), "max_session_duration"));
            outputs = federation == "cognito"
                ? new() { ["FederatedRoleArn"] = "federated_role_arn", ["IdentityPoolId"] = "identity_pool_id" }
                : new() { ["DirectSTSRoleArn"] = "federated_role_arn" };
        }

        if (access is not null)
        {
            parameters.Add(new("AllowedBedrockRegions", string.Join(',', access.AllowedRegions), "allowed_bedrock_regions"));
            for (var i = 0; i < access.InferenceProfileIds.Count; i++)
                parameters.Add(new($"InferenceProfile{i + 1}", access.InferenceProfileIds[i], "selected_model"));
            if (access.ApplicationInferenceProfileArns.Count > 0)
                parameters.Add(new("ApplicationInferenceProfileArns", string.Join(',', access.ApplicationInferenceProfileArns), "inference_profile_sonnet_arn"));
        }
        parameters.Add(new("EnableMonitoring", Bool(profile.MonitoringEnabled), "monitoring_enabled"));

        return Stack("auth", profile, template, parameters, outputs, errors);
    }

    private static PlannedStack? DistributionStack(DeploymentProfile profile, InputErrors errors)
    {
        if (!profile.EnableDistribution) return null;
        var type = profile.DistributionType ?? "presigned-s3";
        if (type != "presigned-s3")
        {
            errors.Add("distribution_type", $"'{type}' has no template in this toolkit; use presigned-s3 or disable distribution");
            return null;
        }
        return Stack("distribution", profile, TemplateLibrary.DistributionBucket, [], new Dictionary<string, string>(), errors);
    }

    internal static PlannedStack Stack(string kind, DeploymentProfile profile, string templateFile, List<StackParameter> parameters,
                                      IReadOnlyDictionary<string, string> outputs, InputErrors errors)
    {
        var template = TemplateLibrary.Get(templateFile);
        var ordered = new List<StackParameter>();
        // Template order, so files read like the template; undeclared keys are a bug here, not in the profile.
        foreach (var declared in template.Parameters)
        {
            var given = parameters.FirstOrDefault(p => p.Key == declared.Name);
            if (given is null) continue;
            ordered.Add(given);
            // The template's own constraint is the last word; a field already reported is not reported twice.
            if (declared.Violation(given.Value) is { } why && !errors.Has(given.SourceField)) errors.Add(given.SourceField, $"{templateFile} parameter {declared.Name} cannot take it: {why}");
        }
        var undeclared = parameters.Where(p => template.Parameter(p.Key) is null).Select(p => p.Key).ToList();
        if (undeclared.Count > 0)
            throw new InvalidOperationException($"{templateFile} does not declare {string.Join(", ", undeclared)}");
        if (!errors.Any)
            foreach (var missing in template.Parameters.Where(p => p.IsRequired && ordered.All(o => o.Key != p.Name)))
                throw new InvalidOperationException($"{templateFile} requires {missing.Name}, which the plan does not set");

        return new PlannedStack(kind, StackNaming.NameFor(profile, kind, errors), profile.AwsRegion, templateFile, ordered,
                                Capabilities, outputs);
    }

    internal static string IssuerField(DeploymentProfile profile) => profile.ProviderType switch
    {
        "generic" => "oidc_issuer_url",
        "cognito" => "cognito_user_pool_id",
        _ => "provider_domain",
    };

    /// <summary>CloudFormation's booleans are the strings <c>true</c>/<c>false</c>, never .NET's <c>True</c>.</summary>
    internal static string Bool(bool value) => value ? "true" : "false";
}
