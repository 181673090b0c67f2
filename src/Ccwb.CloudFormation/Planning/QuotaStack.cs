using System.Globalization;
using Ccwb.CloudFormation.Functions;
using Ccwb.CloudFormation.Templates;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Planning;

/// <summary>Where the quota functions' zips were uploaded: the bucket and each function's content-hashed key.</summary>
public sealed record FunctionCode(string Bucket, string CheckKey, string MonitorKey);

/// <summary>
/// The quota service stack: policy and usage tables, the /check API and the usage monitor. OIDC profiles' helpers
/// present the user's id token (JWT authorizer); IAM Identity Center and passthrough helpers SigV4-sign the check with
/// the credentials they hand out (AWS_IAM), and the function takes the user from the assumed role's session name.
/// </summary>
internal static class QuotaStack
{
    public static PlannedStack? Plan(DeploymentProfile profile, FunctionCode? code, InputErrors errors)
    {
        var authType = profile.EffectiveAuthType;
        if (!profile.QuotaMonitoringEnabled || authType is not ("oidc" or "idc" or "none")) return null;

        var parameters = new List<StackParameter>
        {
            new("MonthlyTokenLimit", profile.MonthlyTokenLimit.ToString(CultureInfo.InvariantCulture), "monthly_token_limit"),
            new("DailyTokenLimit", (profile.DailyTokenLimit ?? 0).ToString(CultureInfo.InvariantCulture), "daily_token_limit"),
            new("MonthlyCostLimitUsd", profile.MonthlyCostLimitUsd.ToString(CultureInfo.InvariantCulture), "monthly_cost_limit_usd"),
            new("DailyCostLimitUsd", profile.DailyCostLimitUsd.ToString(CultureInfo.InvariantCulture), "daily_cost_limit_usd"),
            new("MonthlyEnforcementMode", profile.MonthlyEnforcementMode, "monthly_enforcement_mode"),
            new("DailyEnforcementMode", profile.DailyEnforcementMode, "daily_enforcement_mode"),
        };
        // OIDC users hold an id token API Gateway can validate; Identity Center and passthrough users only hold AWS
        // credentials, which the helper SigV4-signs the request with.
        if (authType == "oidc")
        {
            if (IdentityProviders.Resolve(profile, errors) is { } provider)
            {
                parameters.Add(new("ApiAuthorization", "JWT", "auth_type"));
                parameters.Add(new("OidcIssuerUrl", provider.IssuerUrl, DeployPlanner.IssuerField(profile)));
                parameters.Add(new("OidcAudience", provider.ClientId, "client_id"));
            }
        }
        else
        {
            parameters.Add(new("ApiAuthorization", "AWS_IAM", "auth_type"));
        }
        parameters.Add(new("EnableFinegrainedQuotas", DeployPlanner.Bool(profile.EnableFinegrainedQuotas), "enable_finegrained_quotas"));
        // Known only once `ccwb deploy quota` has uploaded the zips; the template's rule refuses a deploy without them.
        if (code is not null)
        {
            parameters.Add(new(FunctionZip.BucketParameter, code.Bucket, "--functions-bucket"));
            parameters.Add(new("CheckFunctionCodeKey", code.CheckKey, "--functions"));
            parameters.Add(new("MonitorFunctionCodeKey", code.MonitorKey, "--functions"));
        }
        return DeployPlanner.Stack("quota", profile, TemplateLibrary.QuotaService, parameters, Outputs, errors);
    }

    /// <summary>
    /// Stack outputs saved into the profile: the helper's endpoint and the tables <c>ccwb quota</c> writes. The table
    /// output names are Ccwb.Quota.QuotaSchema's (not referenced here: that would pull the DynamoDB SDK into the build tasks).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Outputs { get; } = new Dictionary<string, string>
    {
        ["QuotaApiEndpoint"] = "quota_api_endpoint",
        ["PoliciesTableName"] = "quota_policies_table",
        ["QuotaTableName"] = "user_quota_metrics_table",
    };
}
