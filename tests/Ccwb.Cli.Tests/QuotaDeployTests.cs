using System.Text.Json.Nodes;
using Ccwb.Cli.Tests.Support;
using Ccwb.CloudFormation.Functions;
using Ccwb.Testing;

namespace Ccwb.Cli.Tests;

/// <summary>
/// <c>ccwb deploy</c> for a profile with central monitoring and quotas: the quota stack in the plan, its function zips
/// found, keyed by content and uploaded before the stack is deployed. The zips here are small ones made by the test;
/// ./build.sh Functions makes the real ones.
/// </summary>
public sealed class QuotaDeployTests : IAsyncLifetime
{
    private const string Bucket = "ccwb-artifacts";
    private readonly TempDirectory temp = new();
    private S3Peer peer = null!;

    private string Home => Directory.CreateDirectory(temp.Combine("home")).FullName;
    private string Functions => temp.Combine("functions");
    private string PlanFolder => temp.Combine("plan");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Functions);
        foreach (var (name, _) in FunctionZip.QuotaFunctions)
        {
            var bootstrap = temp.Combine(name + "-bootstrap");
            File.WriteAllText(bootstrap, $"#!/bin/sh\necho {name}\n");
            FunctionZip.Write(bootstrap, Path.Combine(Functions, name + ".zip"));
        }
        peer = await S3Peer.StartAsync(temp.Combine("s3"), [Bucket]);
    }

    public async ValueTask DisposeAsync()
    {
        await peer.DisposeAsync();
        temp.Dispose();
    }

    /// <summary>The okta-direct example (central monitoring, analytics) with quotas switched on.</summary>
    private string QuotaProfile()
    {
        var profile = JsonNode.Parse(File.ReadAllText(Repo.PathOf("profiles", "examples", "okta-direct.json")))!.AsObject();
        profile["quota_monitoring_enabled"] = true;
        var path = temp.Combine("okta-quota.json");
        File.WriteAllText(path, profile.ToJsonString());
        return path;
    }

    private static string Key(string zip, string name) => FunctionZip.KeyFor(name, zip);

    private static List<string> CreatedStacks(string output, string aws) =>
        [.. output.Split('\n').Where(l => l.StartsWith(aws + " cloudformation create-stack ", StringComparison.Ordinal)).Select(l => l.Split(' ')[6])];

    [Fact]
    public void Dry_run_prints_every_stack_including_quota_and_the_uploads_of_its_content_keyed_zips()
    {
        var result = Ccwb.Run(Home, null, "deploy", "--dry-run", "--profile-file", QuotaProfile(), "--output", PlanFolder,
                              "--aws", "/nonexistent/aws", "--functions", Functions, "--functions-bucket", Bucket);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["claude-code-auth-stack", "claude-code-auth-networking", "claude-code-auth-monitoring", "claude-code-auth-dashboard",
                      "claude-code-auth-cowork-dashboard", "claude-code-auth-analytics", "claude-code-auth-quota"],
                     CreatedStacks(result.Output, "/nonexistent/aws"));
        var checkKey = Key(Path.Combine(Functions, "quota-check.zip"), "quota-check");
        var monitorKey = Key(Path.Combine(Functions, "usage-monitor.zip"), "usage-monitor");
        Assert.Contains($"/nonexistent/aws s3 cp --region us-east-1 {Path.Combine(Functions, "quota-check.zip")} s3://{Bucket}/{checkKey}\n", result.Output, StringComparison.Ordinal);
        Assert.Contains($"/nonexistent/aws s3 cp --region us-east-1 {Path.Combine(Functions, "usage-monitor.zip")} s3://{Bucket}/{monitorKey}\n", result.Output, StringComparison.Ordinal);

        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(PlanFolder, "parameters", "claude-code-auth-quota.json")))!.AsArray()
            .ToDictionary(p => (string)p!["ParameterKey"]!, p => (string)p!["ParameterValue"]!);
        Assert.Equal((Bucket, checkKey, monitorKey), (parameters["FunctionCodeBucket"], parameters["CheckFunctionCodeKey"], parameters["MonitorFunctionCodeKey"]));
        Assert.Equal("JWT", parameters["ApiAuthorization"]);
        Assert.True(File.Exists(Path.Combine(PlanFolder, "templates", "quota-service.yaml")));
        Assert.Empty(peer.StoredFiles(Bucket));
    }

    [Fact]
    public void Passthrough_profile_dry_run_plans_the_quota_stack_with_iam_authorization_and_no_issuer()
    {
        var profile = JsonNode.Parse(File.ReadAllText(Repo.PathOf("profiles", "examples", "none.json")))!.AsObject();
        profile["quota_monitoring_enabled"] = true;
        var path = temp.Combine("none-quota.json");
        File.WriteAllText(path, profile.ToJsonString());

        var result = Ccwb.Run(Home, null, "deploy", "--dry-run", "--profile-file", path, "--output", PlanFolder,
                              "--aws", "/nonexistent/aws", "--functions", Functions, "--functions-bucket", Bucket);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["claude-ambient-quota"], CreatedStacks(result.Output, "/nonexistent/aws"));
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(PlanFolder, "parameters", "claude-ambient-quota.json")))!.AsArray()
            .ToDictionary(p => (string)p!["ParameterKey"]!, p => (string)p!["ParameterValue"]!);
        Assert.Equal("AWS_IAM", parameters["ApiAuthorization"]);
        Assert.DoesNotContain("OidcIssuerUrl", parameters.Keys);
        Assert.DoesNotContain("OidcAudience", parameters.Keys);
    }

    [Fact]
    public void Dry_run_without_a_bucket_calls_no_aws_and_says_where_the_zips_will_go()
    {
        var result = Ccwb.Run(Home, null, "deploy", "quota", "--dry-run", "--profile-file", QuotaProfile(), "--output", PlanFolder,
                              "--aws", "/nonexistent/aws", "--functions", Functions);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["claude-code-auth-quota"], CreatedStacks(result.Output, "/nonexistent/aws"));
        Assert.Contains("# quota: the function zips go to the distribution stack's DistributionBucket once it is deployed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FunctionCode", File.ReadAllText(Path.Combine(PlanFolder, "parameters", "claude-code-auth-quota.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_function_zips_are_one_error_naming_the_build_target_and_nothing_is_written()
    {
        File.Delete(Path.Combine(Functions, "usage-monitor.zip"));
        var result = Ccwb.Run(Home, null, "deploy", "--dry-run", "--profile-file", QuotaProfile(), "--output", PlanFolder,
                              "--aws", "/nonexistent/aws", "--functions", Functions, "--functions-bucket", Bucket);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: --functions: {Path.Combine(Functions, "usage-monitor.zip")} not found: build the quota functions with './build.sh Functions'",
                        result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PlanFolder));
    }

    [Fact]
    public void Destroy_and_deploying_another_stack_need_no_function_zips()
    {
        File.Delete(Path.Combine(Functions, "quota-check.zip"));
        var destroy = Ccwb.Run(Home, null, "destroy", "--dry-run", "--profile-file", QuotaProfile(), "--output", PlanFolder,
                               "--aws", "/nonexistent/aws", "--functions", Functions);
        Assert.True(destroy.ExitCode == 0, destroy.Error);
        Assert.Contains("/nonexistent/aws cloudformation delete-stack --region us-east-1 --stack-name claude-code-auth-quota", destroy.Output, StringComparison.Ordinal);

        var auth = Ccwb.Run(Home, null, "deploy", "auth", "--dry-run", "--profile-file", QuotaProfile(), "--output", temp.Combine("plan-auth"),
                            "--aws", "/nonexistent/aws", "--functions", Functions);
        Assert.True(auth.ExitCode == 0, auth.Error);
        Assert.Equal(["claude-code-auth-stack"], CreatedStacks(auth.Output, "/nonexistent/aws"));
    }

    [Fact]
    public async Task Deploy_uploads_both_zips_under_their_content_keys_before_creating_the_stack()
    {
        var credentials = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = S3Peer.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Peer.SecretKey };
        // No CloudFormation listens on port 9: the stack step fails after the uploads, which are what is checked here.
        var result = Ccwb.Run(Home, credentials, "deploy", "quota", "--profile-file", QuotaProfile(), "--output", PlanFolder,
                              "--functions", Functions, "--functions-bucket", Bucket, "--s3-endpoint-url", peer.Url,
                              "--endpoint-url", "http://127.0.0.1:9");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: deploy: ", result.Error.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        using var s3 = peer.Client();
        foreach (var (name, _) in FunctionZip.QuotaFunctions)
        {
            var zip = Path.Combine(Functions, name + ".zip");
            var key = Key(zip, name);
            Assert.Contains($"Uploaded {name} to s3://{Bucket}/{key}", result.Output, StringComparison.Ordinal);
            using var stored = await s3.GetObjectAsync(Bucket, key, TestContext.Current.CancellationToken);
            using var bytes = new MemoryStream();
            await stored.ResponseStream.CopyToAsync(bytes, TestContext.Current.CancellationToken);
            Assert.Equal(File.ReadAllBytes(zip), bytes.ToArray());
        }
    }
}
