using System.Reflection;
using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Running;
using Ccwb.CloudFormation.Tests.Fakes;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.CloudFormation.Tests;

/// <summary>
/// <c>ccwb status</c> (the built ccwb, run as a process) reading stacks with the real AWS CLI from the local
/// CloudFormation endpoint, after <see cref="StackDeployer"/> deployed some of them there.
/// </summary>
public sealed class StatusCommandTests : IDisposable
{
    private static readonly string Ccwb = Repo.PathOf("src", "Ccwb.Cli", "bin",
        typeof(StatusCommandTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0", "ccwb.dll");

    private readonly CloudFormationEndpoint _endpoint = new();
    private readonly TempDirectory _work = new();

    public void Dispose()
    {
        _endpoint.Dispose();
        _work.Dispose();
    }

    private Dictionary<string, string> Aws => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["AWS_CONFIG_FILE"] = _work.Combine("no-config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = _work.Combine("no-credentials"),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_PAGER"] = "",
    };

    /// <summary>entra-cognito with distribution on: two stacks, of which only the auth stack is deployed.</summary>
    private async Task<string> ProfileWithAuthDeployedAsync()
    {
        var json = JsonNode.Parse(File.ReadAllText(Examples.PathOf("entra-cognito")))!.AsObject();
        json["enable_distribution"] = true;
        json["distribution_type"] = "presigned-s3";
        var path = _work.Combine("entra-cognito.json");
        File.WriteAllText(path, json.ToJsonString());

        var plan = DeployPlanner.Plan(Examples.Load("entra-cognito") with { EnableDistribution = true, DistributionType = "presigned-s3" });
        var auth = plan with { Stacks = [.. plan.Stacks.Where(s => s.Kind == "auth")] };
        var directory = _work.Combine("plan");
        PlanArtifacts.WriteTo(auth, directory);
        await new StackDeployer(new AwsCli(SystemPrograms.AwsCli, _endpoint.Url, Aws), TextWriter.Null).DeployAsync(auth, directory, TestContext.Current.CancellationToken);
        return path;
    }

    private Run.Result Status(params string[] args) => RunCcwb("status", args, "--endpoint-url");

    private Run.Result RunCcwb(string command, string[] args, string endpointOption)
    {
        Assert.True(File.Exists(Ccwb), $"build src/Ccwb.Cli first: {Ccwb} not found");
        var home = Directory.CreateDirectory(_work.Combine("home")).FullName;
        var environment = new Dictionary<string, string?>(Aws.ToDictionary(p => p.Key, p => (string?)p.Value)) { ["HOME"] = home, ["USERPROFILE"] = home };
        return Run.Tool("dotnet", [Ccwb, command, .. args, "--aws", SystemPrograms.AwsCli, endpointOption, _endpoint.Url], home, environment, timeoutSeconds: 120);
    }

    [Fact]
    public async Task Json_lists_each_stack_with_its_status_and_outputs_and_which_is_not_deployed()
    {
        var profile = await ProfileWithAuthDeployedAsync();
        var result = Status("--profile-file", profile, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal("entra-cognito", json["profile"]!.GetValue<string>());
        var stacks = json["stacks"]!.AsArray();
        Assert.Equal(["auth", "distribution"], stacks.Select(s => s!["kind"]!.GetValue<string>()));
        Assert.True(stacks[0]!["deployed"]!.GetValue<bool>());
        Assert.Equal("CREATE_COMPLETE", stacks[0]!["status"]!.GetValue<string>());
        Assert.NotEmpty(stacks[0]!["outputs"]!.AsObject());
        Assert.False(stacks[1]!["deployed"]!.GetValue<bool>());
        Assert.Null(json["distribution"]);
        Assert.Equal(["DescribeStacks", "DescribeStacks"], _endpoint.Requests.Skip(_endpoint.Requests.Count - 2).Select(r => r.Action));
    }

    [Fact]
    public async Task Text_names_the_outputs_the_missing_stack_and_the_latest_distribution_expiry()
    {
        var profile = await ProfileWithAuthDeployedAsync();
        var record = Path.Combine(_work.Combine("home"), ".ccwb", "distributions", "entra-cognito.json");
        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        File.WriteAllText(record, """
            {"profile":"entra-cognito","bucket":"b","created":"2020-01-01T00:00:00+00:00","expires":"2020-01-03T00:00:00+00:00",
             "files":[{"filename":"claude-code-package-20200101-000000.zip","package_key":"packages/20200101-000000/claude-code-package-20200101-000000.zip",
             "checksum":"00ff","size":1,"url":"https://example.invalid/secret-url"}]}
            """);
        var result = Status("--profile-file", profile);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("auth          claude-entra-stack  CREATE_COMPLETE", result.Output, StringComparison.Ordinal);
        Assert.Contains("distribution  claude-entra-distribution  not deployed (run 'ccwb deploy distribution')", result.Output, StringComparison.Ordinal);
        Assert.Contains("Distribution: 2020-01-01 00:00:00 UTC, expires 2020-01-03 00:00:00 UTC (expired)", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-url", result.Output, StringComparison.Ordinal); // URLs grant downloads: not in status
    }

    [Fact]
    public void Unknown_profile_is_one_error_line()
    {
        var result = Status("--profile", "nosuch");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: profile: 'nosuch' not found in ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Distribute_without_bucket_reads_the_distribution_stack_and_says_when_it_is_not_deployed()
    {
        var profile = await ProfileWithAuthDeployedAsync();
        var package = Directory.CreateDirectory(_work.Combine("package")).FullName;
        var result = RunCcwb("distribute", ["--profile-file", profile, "--package-path", package], "--cloudformation-endpoint-url");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --bucket: stack claude-entra-distribution is not deployed or has no DistributionBucket output; run 'ccwb deploy distribution' or pass --bucket\n", result.Error);
        Assert.Equal("claude-entra-distribution", _endpoint.Requests.Last().Form["StackName"]);
    }

    [Fact]
    public void Distribute_without_bucket_and_with_distribution_disabled_says_so()
    {
        var result = RunCcwb("distribute", ["--profile-file", Examples.PathOf("okta-direct")], "--cloudformation-endpoint-url");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: enable_distribution: distribution is disabled in profile 'okta-direct'; enable it and deploy the distribution stack, or pass --bucket\n", result.Error);
        Assert.Empty(_endpoint.Requests);
    }
}
