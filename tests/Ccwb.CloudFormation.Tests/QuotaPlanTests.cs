using System.IO.Compression;
using Ccwb.CloudFormation.Functions;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Templates;
using Ccwb.Profiles;
using Ccwb.Quota;
using Ccwb.Testing;

namespace Ccwb.CloudFormation.Tests;

/// <summary>The quota service stack in the deploy plan, its function code parameters and its function zips.</summary>
public sealed class QuotaPlanTests
{
    private static readonly FunctionCode Code = new("acme-artifacts", "functions/quota-check-0123456789abcdef.zip", "functions/usage-monitor-fedcba9876543210.zip");

    private static DeploymentProfile WithQuota(string example) => Examples.Load(example) with { QuotaMonitoringEnabled = true };

    private static Dictionary<string, string> Parameters(DeployPlan plan) =>
        plan.Stacks.Single(s => s.Kind == "quota").Parameters.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Oidc_profile_gets_a_jwt_authorizer_for_its_issuer_and_client_id()
    {
        var profile = WithQuota("okta-direct");
        var parameters = Parameters(DeployPlanner.Plan(profile, Code));
        Assert.Equal("JWT", parameters["ApiAuthorization"]);
        Assert.Equal($"https://{profile.ProviderDomain}", parameters["OidcIssuerUrl"].Split("/oauth2")[0]);
        Assert.Equal(profile.ClientId, parameters["OidcAudience"]);
    }

    [Fact]
    public void Cognito_issuer_is_the_user_pools_not_the_hosted_ui_domain()
    {
        var parameters = Parameters(DeployPlanner.Plan(Examples.Load("cognito-user-pool"), Code));
        Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123", parameters["OidcIssuerUrl"]);
    }

    [Fact]
    public void Idc_profile_uses_iam_authorization_and_no_issuer()
    {
        var parameters = Parameters(DeployPlanner.Plan(WithQuota("idc"), Code));
        Assert.Equal("AWS_IAM", parameters["ApiAuthorization"]);
        Assert.DoesNotContain("OidcIssuerUrl", parameters.Keys);
        Assert.DoesNotContain("OidcAudience", parameters.Keys);
    }

    [Fact]
    public void Passthrough_profile_gets_the_quota_stack_with_iam_authorization_and_no_issuer_as_its_helper_signs_the_check()
    {
        var profile = WithQuota("none");
        var stack = DeployPlanner.Plan(profile, Code).Stacks.Single(s => s.Kind == "quota");
        var parameters = stack.Parameters.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("AWS_IAM", parameters["ApiAuthorization"]);
        Assert.DoesNotContain("OidcIssuerUrl", parameters.Keys);
        Assert.DoesNotContain("OidcAudience", parameters.Keys);
        Assert.Equal($"{profile.IdentityPoolName}-quota", stack.StackName);
        // Its endpoint and tables go back into the profile as for the other sign-in kinds.
        Assert.Equal(DeployPlanner.Plan(WithQuota("idc"), Code).Stacks.Single(s => s.Kind == "quota").OutputsToProfile, stack.OutputsToProfile);
    }

    [Theory]
    [InlineData("okta-direct", "JWT")]
    [InlineData("auth0", "JWT")]
    [InlineData("cognito-user-pool", "JWT")]
    [InlineData("generic-oidc", "JWT")]
    [InlineData("idc", "AWS_IAM")]
    [InlineData("none", "AWS_IAM")]
    public void Check_api_authorization_follows_the_sign_in_kind_jwt_only_for_oidc(string example, string authorization)
    {
        var parameters = Parameters(DeployPlanner.Plan(WithQuota(example), Code));
        Assert.Equal(authorization, parameters["ApiAuthorization"]);
        Assert.Equal(authorization == "JWT", parameters.ContainsKey("OidcIssuerUrl") && parameters.ContainsKey("OidcAudience"));
    }

    [Fact]
    public void No_quota_stack_with_quota_off()
    {
        Assert.DoesNotContain(DeployPlanner.Plan(Examples.Load("okta-direct") with { QuotaMonitoringEnabled = false }).Stacks, s => s.Kind == "quota");
        Assert.DoesNotContain(DeployPlanner.Plan(Examples.Load("none")).Stacks, s => s.Kind == "quota");
    }

    [Fact]
    public void Quota_stack_is_named_base_dash_quota_and_comes_after_monitoring_and_the_distribution_bucket_its_code_is_in()
    {
        var profile = WithQuota("okta-direct") with { EnableDistribution = true, DistributionType = "presigned-s3" };
        var plan = DeployPlanner.Plan(profile, Code);
        var kinds = plan.Stacks.Select(s => s.Kind).ToList();
        Assert.Equal($"{profile.IdentityPoolName}-quota", plan.Stacks.Single(s => s.Kind == "quota").StackName);
        Assert.True(kinds.IndexOf("monitoring") < kinds.IndexOf("quota") && kinds.IndexOf("distribution") < kinds.IndexOf("quota"), string.Join(",", kinds));
    }

    [Fact]
    public void Limits_and_modes_come_from_the_profile()
    {
        var profile = WithQuota("okta-direct") with
        {
            MonthlyTokenLimit = 5_000_000, DailyTokenLimit = 250_000, MonthlyCostLimitUsd = 12.5, DailyCostLimitUsd = 1.25,
            MonthlyEnforcementMode = "alert", DailyEnforcementMode = "block", EnableFinegrainedQuotas = true,
        };
        var parameters = Parameters(DeployPlanner.Plan(profile, Code));
        Assert.Equal(("5000000", "250000", "12.5", "1.25"),
                     (parameters["MonthlyTokenLimit"], parameters["DailyTokenLimit"], parameters["MonthlyCostLimitUsd"], parameters["DailyCostLimitUsd"]));
        Assert.Equal(("alert", "block", "true"), (parameters["MonthlyEnforcementMode"], parameters["DailyEnforcementMode"], parameters["EnableFinegrainedQuotas"]));
    }

    [Fact]
    public void A_monthly_limit_above_the_templates_maximum_is_reported_by_its_profile_field()
    {
        var e = Assert.Throws<ProfileFindingsException>(() => DeployPlanner.Plan(WithQuota("okta-direct") with { DailyTokenLimit = 100_000_001 }, Code));
        Assert.Contains(e.Findings, f => f.Field == "daily_token_limit");
    }

    [Fact]
    public void Function_code_parameters_are_set_only_when_the_zips_location_is_known()
    {
        var with = Parameters(DeployPlanner.Plan(WithQuota("okta-direct"), Code));
        Assert.Equal((Code.Bucket, Code.CheckKey, Code.MonitorKey), (with["FunctionCodeBucket"], with["CheckFunctionCodeKey"], with["MonitorFunctionCodeKey"]));
        var without = Parameters(DeployPlanner.Plan(WithQuota("okta-direct")));
        Assert.DoesNotContain(without.Keys, k => k.Contains("FunctionCode", StringComparison.Ordinal));
        // Without them the template itself refuses the deploy, with a message naming ccwb deploy quota.
        var template = TemplateLibrary.Get(TemplateLibrary.QuotaService).Body;
        Assert.Contains("FunctionCodeGiven:", template, StringComparison.Ordinal);
        Assert.Contains("ccwb deploy quota", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_saved_into_the_profile_exist_in_the_template_and_name_the_fields_the_helper_and_quota_command_read()
    {
        var stack = DeployPlanner.Plan(WithQuota("okta-direct"), Code).Stacks.Single(s => s.Kind == "quota");
        var template = TemplateLibrary.Get(stack.TemplateFile);
        Assert.All(stack.OutputsToProfile.Keys, o => Assert.Contains(o, template.Outputs));
        Assert.Equal("quota_api_endpoint", stack.OutputsToProfile["QuotaApiEndpoint"]);
        Assert.Equal("quota_policies_table", stack.OutputsToProfile[QuotaSchema.Policies.TableNameOutput]);
        Assert.Equal("user_quota_metrics_table", stack.OutputsToProfile[QuotaSchema.Usage.TableNameOutput]);
    }

    [Fact]
    public void Oidc_idc_and_passthrough_quota_parameter_files_with_function_code_pass_cfn_lint_in_both_partitions()
    {
        using var output = new TempDirectory();
        var files = new List<string>();
        foreach (var (example, region) in (ReadOnlySpan<(string, string)>)[("okta-direct", "us-east-1"), ("idc", "us-east-1"), ("none", "us-west-2"), ("govcloud", "us-gov-west-1")])
        {
            var profile = WithQuota(example);
            var plan = DeployPlanner.Plan(profile, Code);
            if (plan.Stacks.All(s => s.Kind != "quota")) continue;
            PlanArtifacts.WriteTo(plan, output.Combine(example));
            files.Add(output.Combine(example, plan.Stacks.Single(s => s.Kind == "quota").ParameterFile));
        }
        Assert.True(files.Count >= 3, "expected at least the OIDC, IdC and passthrough quota stacks");
        var findings = CfnLint.Run([Repo.PathOf("deployment", "cloudformation", TemplateLibrary.QuotaService)], ["us-east-1", "us-gov-west-1"], files);
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Fact]
    public void Function_zip_holds_only_bootstrap_with_mode_0755_and_a_fixed_time_and_is_byte_identical_when_rebuilt()
    {
        using var temp = new TempDirectory();
        var bootstrap = temp.Combine("bootstrap");
        File.WriteAllBytes(bootstrap, [0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3]);
        FunctionZip.Write(bootstrap, temp.Combine("a.zip"));
        File.SetLastWriteTimeUtc(bootstrap, DateTime.UtcNow.AddDays(-3));
        FunctionZip.Write(bootstrap, temp.Combine("b.zip"));

        Assert.Equal(File.ReadAllBytes(temp.Combine("a.zip")), File.ReadAllBytes(temp.Combine("b.zip")));
        using var zip = ZipFile.OpenRead(temp.Combine("a.zip"));
        var entry = Assert.Single(zip.Entries);
        Assert.Equal("bootstrap", entry.FullName);
        Assert.Equal(0x81ED, (entry.ExternalAttributes >> 16) & 0xFFFF); // regular file, 0755
        Assert.Equal(new DateTime(1980, 1, 1), entry.LastWriteTime.DateTime);
        Assert.False(File.Exists(temp.Combine("a.zip.tmp")));
    }

    [Fact]
    public void Function_key_is_content_hashed_so_only_changed_code_gets_a_new_key()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.Combine("bootstrap"), [1, 2, 3]);
        FunctionZip.Write(temp.Combine("bootstrap"), temp.Combine("one.zip"));
        FunctionZip.Write(temp.Combine("bootstrap"), temp.Combine("same.zip"));
        File.WriteAllBytes(temp.Combine("bootstrap"), [1, 2, 4]);
        FunctionZip.Write(temp.Combine("bootstrap"), temp.Combine("changed.zip"));

        var key = FunctionZip.KeyFor("quota-check", temp.Combine("one.zip"));
        Assert.Matches("^functions/quota-check-[0-9a-f]{16}\\.zip$", key);
        Assert.Equal(key, FunctionZip.KeyFor("quota-check", temp.Combine("same.zip")));
        Assert.NotEqual(key, FunctionZip.KeyFor("quota-check", temp.Combine("changed.zip")));
    }
}
