using Ccwb.Profiles.Validation;

namespace Ccwb.Profiles.Tests;

/// <summary>The rules each output adds to the profile's own (<see cref="ValidationPurpose"/>).</summary>
public class PurposeRuleTests
{
    private static DeploymentProfile Okta => Examples.Load("okta-direct");

    private static List<string> Lines(DeploymentProfile profile, ValidationPurpose purpose, CoworkFormats? formats = null) =>
        [.. ProfileValidator.Validate(profile, purpose, formats).Select(f => f.ToLine())];

    [Fact]
    public void Every_example_profile_packages_deploys_and_writes_its_cowork_files_without_errors()
    {
        foreach (var name in Examples.Names)
            foreach (var purpose in Enum.GetValues<ValidationPurpose>())
                Assert.DoesNotContain(ProfileValidator.Validate(Examples.Load(name), purpose), f => f.Severity == Severity.Error);
    }

    [Fact]
    public void The_mobileconfig_asks_for_the_organisation_with_an_example_made_from_the_provider_domain()
    {
        var profile = Okta with { OrganizationIdentifier = null, OrganizationName = null, ProviderDomain = "example.okta.com" };

        var lines = Lines(profile, ValidationPurpose.CoworkFiles, CoworkFormats.Mobileconfig);

        Assert.Contains("error: organization_identifier: is required: the .mobileconfig needs a reverse-DNS identifier; " +
                        "add \"organization_identifier\": \"com.okta.example\" to the profile", lines);
        Assert.Contains("error: organization_name: is required: the .mobileconfig names the organisation that publishes it; " +
                        "add \"organization_name\": \"Example\" to the profile", lines);
    }

    [Fact]
    public void The_example_identifier_prefers_the_organisation_name()
    {
        var profile = Okta with { OrganizationIdentifier = null, OrganizationName = "Acme Widgets" };
        Assert.Contains("error: organization_identifier: is required: the .mobileconfig needs a reverse-DNS identifier; " +
                        "add \"organization_identifier\": \"com.acmewidgets\" to the profile",
            Lines(profile with { Cowork3pEnabled = true }, ValidationPurpose.Package));
    }

    [Theory]
    [InlineData(CoworkFormats.Json)]
    [InlineData(CoworkFormats.Reg)]
    [InlineData(CoworkFormats.Admx | CoworkFormats.Ps1)]
    public void Formats_without_the_mobileconfig_and_the_profile_itself_do_not_ask_for_the_organisation(CoworkFormats formats)
    {
        var profile = Okta with { OrganizationIdentifier = null, OrganizationName = null };
        Assert.DoesNotContain(ProfileValidator.Validate(profile, ValidationPurpose.CoworkFiles, formats), f => f.Field.StartsWith("organization_", StringComparison.Ordinal));
        Assert.DoesNotContain(ProfileValidator.Validate(profile), f => f.Field.StartsWith("organization_", StringComparison.Ordinal));
        Assert.DoesNotContain(ProfileValidator.Validate(profile with { Cowork3pEnabled = false }, ValidationPurpose.Package), f => f.Field.StartsWith("organization_", StringComparison.Ordinal));
    }

    [Fact]
    public void A_package_needs_the_auth_stack_outputs_the_profile_alone_only_warns_about()
    {
        var profile = Okta with { FederatedRoleArn = null };
        Assert.Equal(["warning: federated_role_arn: not set yet: 'ccwb deploy auth' creates the role and records its ARN; packages need it"],
            Lines(profile, ValidationPurpose.Profile).Where(l => l.Contains("federated_role_arn", StringComparison.Ordinal)));
        // The error replaces the warning rather than joining it.
        Assert.Equal(["error: federated_role_arn: is required: direct federation needs the role ARN (an output of the auth stack)"],
            Lines(profile, ValidationPurpose.Package).Where(l => l.Contains("federated_role_arn", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_field_the_profile_rules_already_reject_is_reported_once()
    {
        var profile = Examples.Load("idc") with { IdcStartUrl = "" };
        Assert.Equal(["error: idc_start_url: IDC auth requires idc_start_url"],
            Lines(profile, ValidationPurpose.Package).Where(l => l.Contains("idc_start_url", StringComparison.Ordinal)));
    }

    [Fact]
    public void Tags_follow_cloudformations_character_rules()
    {
        var profile = Okta with { Tags = new Dictionary<string, string> { ["Cost Center"] = "R&D" } };
        Assert.Contains("error: tags.Cost Center: Tag values may only contain letters, digits, spaces and _ . : / = + - @",
            Lines(profile, ValidationPurpose.Deploy));
    }

    [Fact]
    public void Deploying_central_monitoring_warns_about_plain_http_and_sidecar_and_needs_a_vpc_when_creating_one_is_refused()
    {
        static Dictionary<string, System.Text.Json.JsonElement> Config(string json) =>
            System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var central = Okta with { MonitoringEnabled = true, MonitoringMode = "central" };

        Assert.Contains(Lines(central, ValidationPurpose.Deploy), l => l.StartsWith("warning: monitoring_config.certificate_arn: the collector listens on plain HTTP", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(central with { MonitoringConfig = Config("""{"certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc"}""") }, ValidationPurpose.Deploy),
                              l => l.Contains("plain HTTP", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(central with { MonitoringConfig = Config("""{"custom_domain": "otel.example.com", "hosted_zone_id": "Z0123"}""") }, ValidationPurpose.Deploy),
                              l => l.Contains("plain HTTP", StringComparison.Ordinal));
        Assert.Contains(Lines(central with { MonitoringMode = "sidecar" }, ValidationPurpose.Deploy), l => l.StartsWith("warning: monitoring_mode: 'sidecar' deploys no monitoring stacks", StringComparison.Ordinal));
        Assert.Contains("error: monitoring_config.vpc_id: is required: create_vpc is false, so the collector needs an existing VPC and its subnet_ids",
                        Lines(central with { MonitoringConfig = Config("""{"create_vpc": false}""") }, ValidationPurpose.Deploy));
        // Only a deploy is concerned.
        Assert.DoesNotContain(Lines(central, ValidationPurpose.Package), l => l.Contains("plain HTTP", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(central with { MonitoringEnabled = false }, ValidationPurpose.Deploy), l => l.Contains("plain HTTP", StringComparison.Ordinal));
    }

    [Fact]
    public void Packaging_with_quota_monitoring_before_the_quota_stack_is_deployed_warns_in_one_line_to_deploy_it_and_package_again()
    {
        var quota = Examples.Load("cognito-user-pool");
        const string warning = "warning: quota_api_endpoint: quota monitoring is enabled but the quota API endpoint is not set, so these " +
                               "packages cannot check quotas: run 'ccwb deploy quota' (it saves the endpoint into the profile) and package again";
        foreach (var missing in new[] { null, "", "  " })
        {
            var findings = ProfileValidator.Validate(quota with { QuotaApiEndpoint = missing }, ValidationPurpose.Package);
            Assert.Equal(warning, Assert.Single(findings, f => f.Field == "quota_api_endpoint").ToLine());
            Assert.DoesNotContain(findings, f => f.Severity == Severity.Error);
        }
        Assert.Contains(warning, Lines(quota with { QuotaApiEndpoint = null }, ValidationPurpose.HelperConfig));

        // Passthrough profiles get the quota stack (IAM-authorized) too, so they are warned alike.
        Assert.Contains(warning, Lines(Examples.Load("none") with { QuotaMonitoringEnabled = true, QuotaApiEndpoint = null }, ValidationPurpose.Package));

        // Not once the endpoint is known, not without quota monitoring, and not before deploying, which is what
        // records the endpoint.
        Assert.DoesNotContain(warning, Lines(quota, ValidationPurpose.Package));
        Assert.DoesNotContain(warning, Lines(quota with { QuotaApiEndpoint = null, QuotaMonitoringEnabled = false }, ValidationPurpose.Package));
        Assert.DoesNotContain(ProfileValidator.Validate(quota with { QuotaApiEndpoint = null }, ValidationPurpose.Deploy), f => f.Field == "quota_api_endpoint");
    }

    [Fact]
    public void Finding_lines_replace_control_characters()
    {
        Assert.Equal("error: name: bad ?[31mname", new ProfileMessage("name", "bad \u001b[31mname").ToLine());
    }
}
