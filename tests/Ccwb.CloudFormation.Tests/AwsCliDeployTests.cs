using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Running;
using Ccwb.CloudFormation.Tests.Fakes;
using Ccwb.Profiles;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.CloudFormation.Tests;

/// <summary>
/// The real AWS CLI v2 (Debian's, at /usr/bin/aws; the first aws on PATH may be a v1 shim) runs the generated
/// commands and files against a local CloudFormation endpoint that records what it receives.
/// </summary>
public sealed class AwsCliDeployTests : IDisposable
{
    private readonly CloudFormationEndpoint _endpoint = new();
    private readonly TempDirectory _work = new();
    private readonly StringWriter _log = new();

    public void Dispose()
    {
        _endpoint.Dispose();
        _work.Dispose();
    }

    private AwsCli Cli() => File.Exists(SystemPrograms.AwsCli) ? new(SystemPrograms.AwsCli, _endpoint.Url, new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["AWS_CONFIG_FILE"] = _work.Combine("no-config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = _work.Combine("no-credentials"),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    }) : throw new InvalidOperationException($"{SystemPrograms.AwsCli} (Debian's awscli, v2) is missing; build/install-prerequisites.sh installs it");

    /// <param name="only">Deploy only stacks of this kind, as <c>ccwb deploy &lt;kind&gt;</c> does.</param>
    private (DeployPlan Plan, string Directory) Prepare(DeploymentProfile profile, string name = "plan", string? only = null)
    {
        var plan = DeployPlanner.Plan(profile);
        if (only is not null) plan = plan with { Stacks = [.. plan.Stacks.Where(s => s.Kind == only)] };
        var directory = _work.Combine(name);
        PlanArtifacts.WriteTo(plan, directory);
        return (plan, directory);
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DeployAsync(DeployPlan plan, string directory) =>
        await new StackDeployer(Cli(), _log).DeployAsync(plan, directory, TestContext.Current.CancellationToken);

    private static List<(string, string)> ParameterFile(string path) =>
        [.. JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(p => (p!["ParameterKey"]!.GetValue<string>(), p["ParameterValue"]!.GetValue<string>()))];

    [Fact]
    public async Task Create_sends_the_parameter_file_template_capabilities_tags_and_region_then_waits_and_reads_outputs()
    {
        var (plan, dir) = Prepare(Examples.Load("okta-direct"), only: "auth");
        var outputs = await DeployAsync(plan, dir);

        var requests = _endpoint.Requests.ToList();
        Assert.Equal(["DescribeStacks", "CreateStack", "DescribeStacks", "DescribeStacks"], requests.Select(r => r.Action));
        var create = requests[1];
        Assert.Equal("us-east-1", create.Region);
        Assert.Equal("claude-code-auth-stack", create.Form["StackName"]);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "templates", "bedrock-auth-oidc.yaml")), create.Form["TemplateBody"]);
        Assert.Equal(ParameterFile(Path.Combine(dir, "parameters", "claude-code-auth-stack.json")),
                     create.Pairs("Parameters", "ParameterKey", "ParameterValue"));
        Assert.Equal(["CAPABILITY_NAMED_IAM"], create.Values("Capabilities"));
        Assert.Equal([("CostCenter", "1234"), ("Project", "claude-code")], create.Pairs("Tags", "Key", "Value"));
        Assert.Equal("us-east-1,us-east-2,us-west-2",
                     create.Pairs("Parameters", "ParameterKey", "ParameterValue").Single(p => p.Item1 == "AllowedBedrockRegions").Item2);

        Assert.Equal("arn:aws:iam::123456789012:role/DirectIAMRole", outputs["auth"]["DirectSTSRoleArn"]);
        Assert.Equal("direct", outputs["auth"]["FederationType"]);
        Assert.False(outputs["auth"].ContainsKey("IdentityPoolId"));
    }

    [Fact]
    public async Task Deploy_saves_outputs_into_the_profile_and_keeps_every_other_key()
    {
        var profilePath = _work.Combine("okta-direct.json");
        File.Copy(Examples.PathOf("okta-direct"), profilePath);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(profilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var before = JsonNode.Parse(File.ReadAllText(profilePath))!.AsObject();

        var (plan, dir) = Prepare(ProfileLoader.ReadFile(profilePath).Profile!, only: "auth");
        var fields = ProfileOutputWriter.FieldsFrom(plan, await DeployAsync(plan, dir));
        ProfileOutputWriter.Save(profilePath, fields);

        var after = JsonNode.Parse(File.ReadAllText(profilePath))!.AsObject();
        Assert.Equal("arn:aws:iam::123456789012:role/DirectIAMRole", after["federated_role_arn"]!.GetValue<string>());
        foreach (var (key, value) in before)
            if (key is not ("federated_role_arn" or "updated_at")) Assert.True(JsonNode.DeepEquals(value, after[key]), key);
        Assert.Equal(before.Select(p => p.Key).Where(k => k != "updated_at"), after.Select(p => p.Key).Where(k => k != "updated_at"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(profilePath));
        Assert.Single(Directory.GetFiles(_work.Path));
    }

    [Fact]
    public async Task Second_deploy_updates_and_treats_no_updates_as_success()
    {
        var profile = Examples.Load("okta-direct");
        var (plan, dir) = Prepare(profile, only: "auth");
        await DeployAsync(plan, dir);
        await DeployAsync(plan, dir);
        Assert.Contains("already up to date", _log.ToString(), StringComparison.Ordinal);

        var (changed, changedDir) = Prepare(profile with { MonitoringEnabled = false }, "changed", only: "auth");
        await DeployAsync(changed, changedDir);
        var update = _endpoint.Requests.Last(r => r.Action == "UpdateStack");
        Assert.Equal("false", update.Pairs("Parameters", "ParameterKey", "ParameterValue").Single(p => p.Item1 == "EnableMonitoring").Item2);
        Assert.Equal(3, _endpoint.Requests.Count(r => r.Action == "CreateStack" || r.Action == "UpdateStack"));
    }

    [Fact]
    public async Task A_stack_left_in_rollback_complete_is_deleted_and_created_again()
    {
        var (plan, dir) = Prepare(Examples.Load("okta-direct"), only: "auth");
        _endpoint.Seed("claude-code-auth-stack", "us-east-1", "ROLLBACK_COMPLETE");
        await DeployAsync(plan, dir);
        Assert.Equal(["DescribeStacks", "DeleteStack", "DescribeStacks", "CreateStack"],
                     _endpoint.Requests.Select(r => r.Action).Take(4));
    }

    [Fact]
    public async Task Central_monitoring_deploys_network_then_collector_then_dashboards_and_analytics_and_saves_the_endpoint()
    {
        var profilePath = _work.Combine("okta-direct.json");
        File.Copy(Examples.PathOf("okta-direct"), profilePath);
        var (plan, dir) = Prepare(ProfileLoader.ReadFile(profilePath).Profile!);
        var outputs = await DeployAsync(plan, dir);

        Assert.Equal(["claude-code-auth-stack", "claude-code-auth-networking", "claude-code-auth-monitoring", "claude-code-auth-dashboard",
                      "claude-code-auth-cowork-dashboard", "claude-code-auth-analytics"],
                     _endpoint.Requests.Where(r => r.Action == "CreateStack").Select(r => r.Form["StackName"]));
        // No certificate in the example: plain HTTP on the load balancer's own name.
        Assert.Equal("http://LoadBalancer.DNSName", outputs["monitoring"]["CollectorEndpoint"]);
        ProfileOutputWriter.Save(profilePath, ProfileOutputWriter.FieldsFrom(plan, outputs));
        Assert.Equal("http://LoadBalancer.DNSName", JsonNode.Parse(File.ReadAllText(profilePath))!["otel_collector_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_collector_cannot_be_created_before_the_network_stack_it_imports()
    {
        var (plan, dir) = Prepare(Examples.Load("okta-direct"), only: "monitoring");
        var failure = await Assert.ThrowsAsync<StackOperationException>(() => DeployAsync(plan, dir));
        Assert.Contains("No export named claude-code-auth-networking-VpcId found", failure.Message, StringComparison.Ordinal);
        Assert.False(_endpoint.Exists("claude-code-auth-monitoring"));
    }

    [Fact]
    public async Task GovCloud_deploys_in_us_gov_west_1_with_aws_us_gov_arns()
    {
        var (plan, dir) = Prepare(Examples.Load("govcloud"));
        var outputs = await DeployAsync(plan, dir);
        Assert.All(_endpoint.Requests, r => Assert.Equal("us-gov-west-1", r.Region));
        Assert.Equal("arn:aws-us-gov:iam::123456789012:role/DirectIAMRole", outputs["auth"]["DirectSTSRoleArn"]);
    }

    [Fact]
    public async Task Destroy_deletes_in_reverse_deploy_order_and_skips_missing_stacks()
    {
        var profile = Examples.Load("entra-cognito") with { EnableDistribution = true, DistributionType = "presigned-s3" };
        var (plan, dir) = Prepare(profile);
        Assert.Equal(["auth", "distribution"], plan.Stacks.Select(s => s.Kind));
        var outputs = await DeployAsync(plan, dir);
        Assert.StartsWith(profile.AwsRegion + ":", outputs["auth"]["IdentityPoolId"], StringComparison.Ordinal);
        Assert.Equal(["CreateStack", "CreateStack"], _endpoint.Requests.Where(r => r.Action == "CreateStack").Select(r => r.Action));
        Assert.DoesNotContain(_endpoint.Requests.Last(r => r.Action == "CreateStack").Form.Keys, k => k.StartsWith("Parameters.", StringComparison.Ordinal));

        await new StackDeployer(Cli(), _log).DestroyAsync(plan, dir, TestContext.Current.CancellationToken);
        var deletes = _endpoint.Requests.Where(r => r.Action == "DeleteStack").Select(r => r.Form["StackName"]).ToList();
        Assert.Equal(["claude-entra-distribution", "claude-entra-stack"], deletes);
        Assert.False(_endpoint.Exists("claude-entra-stack"));

        await new StackDeployer(Cli(), _log).DestroyAsync(plan, dir, TestContext.Current.CancellationToken);
        Assert.Equal(2, _endpoint.Requests.Count(r => r.Action == "DeleteStack"));
        Assert.Contains("not found, nothing to delete", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_file_cloudformation_would_refuse_fails_with_the_clis_message()
    {
        var (plan, dir) = Prepare(Examples.Load("okta-direct"), only: "auth");
        var file = Path.Combine(dir, "parameters", "claude-code-auth-stack.json");
        var edited = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        edited.RemoveAt(edited.ToList().FindIndex(p => p!["ParameterKey"]!.GetValue<string>() == "OidcClientId"));
        File.WriteAllText(file, edited.ToJsonString());

        var failure = await Assert.ThrowsAsync<StackOperationException>(() => DeployAsync(plan, dir));
        Assert.Contains("Parameters: [OidcClientId] must have values", failure.Message, StringComparison.Ordinal);
        Assert.False(_endpoint.Exists("claude-code-auth-stack"));
    }

    [Fact]
    public async Task The_written_deploy_commands_file_runs_as_is_with_the_aws_cli()
    {
        var (_, dir) = Prepare(Examples.Load("entra-cognito") with { EnableDistribution = true, DistributionType = "presigned-s3" });
        // An "aws" first on PATH that is the real CLI pointed at the local endpoint; the file itself is untouched.
        var bin = Directory.CreateDirectory(_work.Combine("bin")).FullName;
        var wrapper = Path.Combine(bin, "aws");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec {SystemPrograms.AwsCli} --endpoint-url {_endpoint.Url} \"$@\"\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await Run.ToolAsync("sh", ["-e", "deploy-commands.sh"], dir, new Dictionary<string, string?>
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ["AWS_CONFIG_FILE"] = _work.Combine("no-config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = _work.Combine("no-credentials"),
            ["AWS_PAGER"] = "",
        }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["claude-entra-stack", "claude-entra-distribution"],
                     _endpoint.Requests.Where(r => r.Action == "CreateStack").Select(r => r.Form["StackName"]));
        Assert.Contains("IdentityPoolId", run.Output, StringComparison.Ordinal);
    }
}
