using System.CommandLine;
using System.Text.Json.Nodes;
using Ccwb.Cli;
using Ccwb.CloudFormation.Functions;
using Ccwb.CloudFormation.Tests.Fakes;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.CloudFormation.Tests;

/// <summary><c>ccwb deploy</c> and <c>ccwb destroy</c> as an administrator runs them.</summary>
public sealed class DeployCommandTests : IDisposable
{
    private readonly TempDirectory _work = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose() => _work.Dispose();

    private static int Run(Command command, params string[] args)
    {
        var root = new RootCommand { command };
        return root.Parse([command.Name, .. args]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    private string CopyExample(string name)
    {
        var path = _work.Combine(name + ".json");
        File.Copy(Examples.PathOf(name), path);
        return path;
    }

    [Fact]
    public void Dry_run_prints_the_exact_commands_it_writes_and_runs_nothing()
    {
        var output = _work.Combine("out");
        var code = Run(DeployCommands.CreateDeploy(_out, _err), "--profile-file", CopyExample("okta-direct"), "--dry-run", "--output", output,
                       "--aws", "/nonexistent/aws");
        Assert.True(code == 0, _err.ToString());
        var printed = _out.ToString();
        Assert.StartsWith($"cd {output}\n", printed, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/aws cloudformation create-stack --region us-east-1 --stack-name claude-code-auth-stack " +
                        "--template-body file://templates/bedrock-auth-oidc.yaml --parameters file://parameters/claude-code-auth-stack.json " +
                        "--capabilities CAPABILITY_NAMED_IAM --tags file://tags.json", printed, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "parameters", "claude-code-auth-stack.json")));
        Assert.True(File.Exists(Path.Combine(output, "templates", "bedrock-auth-oidc.yaml")));
    }

    [Fact]
    public void Dry_run_prints_every_stack_of_a_profile_with_central_monitoring_in_deploy_order()
    {
        var output = _work.Combine("out");
        var profile = CopyExample("okta-direct");
        var code = Run(DeployCommands.CreateDeploy(_out, _err), "--profile-file", profile, "--dry-run", "--output", output);
        Assert.True(code == 0, _err.ToString());
        var created = _out.ToString().Split('\n').Where(l => l.StartsWith("aws cloudformation create-stack ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[6]).ToList();
        Assert.Equal(["claude-code-auth-stack", "claude-code-auth-networking", "claude-code-auth-monitoring", "claude-code-auth-dashboard",
                      "claude-code-auth-cowork-dashboard", "claude-code-auth-analytics"], created);
        foreach (var template in (string[])["networking.yaml", "otel-collector.yaml", "claude-code-dashboard.yaml", "cowork-dashboard.yaml", "analytics-pipeline.yaml"])
            Assert.True(File.Exists(Path.Combine(output, "templates", template)), template);

        // One stack alone: the collector, which imports the network stack's exports by name.
        _out.GetStringBuilder().Clear();
        code = Run(DeployCommands.CreateDeploy(_out, _err), "monitoring", "--profile-file", profile, "--dry-run", "--output", _work.Combine("one"));
        Assert.True(code == 0, _err.ToString());
        Assert.Single(_out.ToString().Split('\n'), l => l.Contains("create-stack", StringComparison.Ordinal));
        Assert.Contains("NetworkStackName", File.ReadAllText(_work.Combine("one", "parameters", "claude-code-auth-monitoring.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Dry_run_with_an_endpoint_prints_it_on_every_command_also_for_a_quoted_executable()
    {
        var output = _work.Combine("out");
        const string aws = "/opt/aws cli/aws";
        var code = Run(DeployCommands.CreateDestroy(_out, _err), "--profile-file", CopyExample("okta-direct"), "--dry-run", "--output", output,
                       "--aws", aws, "--endpoint-url", "http://127.0.0.1:4566");
        Assert.True(code == 0, _err.ToString());
        var commands = _out.ToString().Split('\n').Where(l => l.StartsWith("'/opt/aws cli/aws' ", StringComparison.Ordinal)).ToList();
        // Two commands (delete, wait) for each of okta-direct's six stacks: auth and the five of central monitoring.
        Assert.Equal(12, commands.Count);
        Assert.All(commands, c => Assert.EndsWith(" --endpoint-url http://127.0.0.1:4566", c, StringComparison.Ordinal));
        // The written script stays the plain one any pipeline runs against AWS.
        Assert.DoesNotContain("--endpoint-url", File.ReadAllText(Path.Combine(output, "destroy-commands.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_runs_the_aws_cli_and_saves_the_role_arn_into_the_profile_file()
    {
        using var endpoint = new CloudFormationEndpoint();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", _work.Combine("no-config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", _work.Combine("no-credentials"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var profile = CopyExample("govcloud");

        var code = Run(DeployCommands.CreateDeploy(_out, _err), "--profile-file", profile, "--output", _work.Combine("out"),
                       "--aws", SystemPrograms.AwsCli, "--endpoint-url", endpoint.Url);

        Assert.True(code == 0, _err.ToString() + _out);
        Assert.Equal("arn:aws-us-gov:iam::123456789012:role/DirectIAMRole",
                     JsonNode.Parse(File.ReadAllText(profile))!["federated_role_arn"]!.GetValue<string>());
        Assert.Contains(endpoint.Requests, r => r.Action == "CreateStack" && r.Region == "us-gov-west-1");

        code = Run(DeployCommands.CreateDestroy(_out, _err), "--profile-file", profile, "--output", _work.Combine("out"),
                   "--aws", SystemPrograms.AwsCli, "--endpoint-url", endpoint.Url);
        Assert.Equal(1, code);
        Assert.DoesNotContain(endpoint.Requests, r => r.Action == "DeleteStack");
        Assert.Contains("--force", _err.ToString(), StringComparison.Ordinal);

        code = Run(DeployCommands.CreateDestroy(_out, _err), "--profile-file", profile, "--output", _work.Combine("out"),
                   "--aws", SystemPrograms.AwsCli, "--endpoint-url", endpoint.Url, "--force");
        Assert.True(code == 0, _err.ToString());
        Assert.False(endpoint.Exists("claude-gov-stack"));
    }

    [Fact]
    public void A_first_full_deploy_puts_the_quota_code_in_the_bucket_of_the_distribution_stack_it_has_just_deployed()
    {
        using var endpoint = new CloudFormationEndpoint();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", _work.Combine("no-config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", _work.Combine("no-credentials"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var profile = CopyExample("okta-direct");
        var json = JsonNode.Parse(File.ReadAllText(profile))!;
        json["quota_monitoring_enabled"] = true;
        json["enable_distribution"] = true;
        json["distribution_type"] = "presigned-s3";
        File.WriteAllText(profile, json.ToJsonString());
        var functions = Directory.CreateDirectory(_work.Combine("functions")).FullName;
        foreach (var (name, _) in FunctionZip.QuotaFunctions)
        {
            File.WriteAllText(_work.Combine(name), "#!/bin/sh\n");
            FunctionZip.Write(_work.Combine(name), Path.Combine(functions, name + ".zip"));
        }
        var output = _work.Combine("out");

        // No bucket is named and no stack exists yet. Nothing listens for S3 on port 9: the deploy stops at the upload,
        // after the stacks the quota stack's code depends on.
        var code = Run(DeployCommands.CreateDeploy(_out, _err), "--profile-file", profile, "--output", output, "--aws", SystemPrograms.AwsCli,
                       "--endpoint-url", endpoint.Url, "--functions", functions, "--s3-endpoint-url", "http://127.0.0.1:9");

        Assert.Equal(1, code);
        Assert.StartsWith("error: upload: could not reach S3 at http://127.0.0.1:9", _err.ToString().Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        var created = endpoint.Requests.Where(r => r.Action == "CreateStack").Select(r => r.Form["StackName"]).ToList();
        Assert.EndsWith("-distribution", created[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(created, s => s.EndsWith("-quota", StringComparison.Ordinal));
        // The quota stack's parameters were written again with the bucket the distribution stack reported.
        var quotaParameters = Directory.GetFiles(Path.Combine(output, "parameters"), "*-quota.json").Single();
        Assert.Contains("\"DistributionBucket-physical-id\"", File.ReadAllText(quotaParameters), StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_the_templates_cannot_take_is_refused_before_anything_is_written()
    {
        var profile = CopyExample("okta-direct");
        var json = JsonNode.Parse(File.ReadAllText(profile))!;
        json["client_id"] = "0oa-too-short";
        File.WriteAllText(profile, json.ToJsonString());
        var output = _work.Combine("out");

        var code = Run(DeployCommands.CreateDeploy(_out, _err), "--profile-file", profile, "--dry-run", "--output", output);

        Assert.Equal(1, code);
        Assert.StartsWith("error: client_id: ", _err.ToString(), StringComparison.Ordinal);
        Assert.All(_err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Matches("^(error|warning): [^:]+: ", l));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Deploy_shows_the_profiles_warnings_on_stderr_and_goes_on()
    {
        var profile = CopyExample("okta-direct");
        var json = JsonNode.Parse(File.ReadAllText(profile))!;
        json["data_retention_days"] = 400;
        File.WriteAllText(profile, json.ToJsonString());

        var code = Run(DeployCommands.CreateDeploy(_out, _err), "--profile-file", profile, "--dry-run", "--output", _work.Combine("out"));

        Assert.True(code == 0, _err.ToString());
        Assert.Equal("warning: monitoring_config.certificate_arn: the collector listens on plain HTTP and cannot check users' id " +
                     "tokens: set certificate_arn, or custom_domain with hosted_zone_id, for HTTPS\n" +
                     "warning: data_retention_days: 400 days is more than a year of analytics data\n", _err.ToString());
        Assert.Contains("cloudformation create-stack", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Destroy_without_force_is_one_error_line()
    {
        var profile = CopyExample("okta-direct");
        var code = Run(DeployCommands.CreateDestroy(_out, _err), "--profile-file", profile, "--output", _work.Combine("out"));
        Assert.Equal(1, code);
        Assert.Equal("error: --force: nothing was deleted: run again with --force to delete these stacks\n", _err.ToString());
    }

    [Fact]
    public void A_single_stack_can_be_named_and_an_unknown_one_is_refused()
    {
        var profile = CopyExample("okta-direct");
        var code = Run(DeployCommands.CreateDestroy(_out, _err), "auth", "--profile-file", profile, "--dry-run", "--output", _work.Combine("one"));
        Assert.True(code == 0, _err.ToString());
        Assert.Contains("delete-stack --region us-east-1 --stack-name claude-code-auth-stack", _out.ToString(), StringComparison.Ordinal);

        code = Run(DeployCommands.CreateDeploy(_out, _err), "websearch", "--profile-file", profile, "--dry-run", "--output", _work.Combine("two"));
        Assert.Equal(1, code);
        Assert.Contains("error: stack: unknown stack 'websearch'; valid stacks: auth, networking, monitoring, dashboard, cowork-dashboard, " +
                        "analytics, distribution, quota\n", _err.ToString(), StringComparison.Ordinal);

        code = Run(DeployCommands.CreateDeploy(_out, _err), "distribution", "--profile-file", profile, "--dry-run", "--output", _work.Combine("three"));
        Assert.Equal(1, code);
        Assert.False(Directory.Exists(_work.Combine("three")));
    }
}
