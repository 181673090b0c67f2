using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ccwb.Cli.Tests.Support;
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
    private Task<string> ProfileWithAuthDeployedAsync() => ProfileWithStacksDeployedAsync("auth");

    /// <summary>entra-cognito with distribution on, with the stacks of <paramref name="kinds"/> deployed.</summary>
    private async Task<string> ProfileWithStacksDeployedAsync(params string[] kinds)
    {
        var json = JsonNode.Parse(File.ReadAllText(Examples.PathOf("entra-cognito")))!.AsObject();
        json["enable_distribution"] = true;
        json["distribution_type"] = "presigned-s3";
        var path = _work.Combine("entra-cognito.json");
        File.WriteAllText(path, json.ToJsonString());

        var plan = DeployPlanner.Plan(Examples.Load("entra-cognito") with { EnableDistribution = true, DistributionType = "presigned-s3" });
        var some = plan with { Stacks = [.. plan.Stacks.Where(s => kinds.Contains(s.Kind))] };
        Assert.Equal(kinds.Length, some.Stacks.Count);
        var directory = _work.Combine("plan");
        PlanArtifacts.WriteTo(some, directory);
        await new StackDeployer(new AwsCli(SystemPrograms.AwsCli, _endpoint.Url, Aws), TextWriter.Null).DeployAsync(some, directory, TestContext.Current.CancellationToken);
        return path;
    }

    private Run.Result Status(params string[] args) => RunCcwb("status", args, "--endpoint-url");

    private Run.Result RunCcwb(string command, string[] args, string endpointOption, IReadOnlyDictionary<string, string>? environmentChanges = null)
    {
        Assert.True(File.Exists(Ccwb), $"build src/Ccwb.Cli first: {Ccwb} not found");
        var home = Directory.CreateDirectory(_work.Combine("home")).FullName;
        var environment = new Dictionary<string, string?>(Aws.ToDictionary(p => p.Key, p => (string?)p.Value)) { ["HOME"] = home, ["USERPROFILE"] = home };
        foreach (var (name, value) in environmentChanges ?? new Dictionary<string, string>()) environment[name] = value;
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

    // What the local CloudFormation endpoint answers for Ref of a bucket without BucketName (CloudFormation makes one up).
    private const string StackBucket = "DistributionBucket-physical-id";

    /// <summary>
    /// <c>ccwb distribute</c> without <c>--bucket</c>, with the auth and distribution stacks deployed on the local
    /// CloudFormation endpoint and s3rver holding the bucket the distribution stack's output names.
    /// </summary>
    private async Task<(Run.Result Result, S3Peer S3, string Zip, string Profile)> DistributeToTheStackBucketAsync()
    {
        var profile = await ProfileWithStacksDeployedAsync("auth", "distribution");
        var s3 = await S3Peer.StartAsync(_work.Combine("s3"), [StackBucket, "some-other-bucket"]);
        var zip = _work.Combine("claude-code-package.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry("claude-code-package/config.json").Open()))
            writer.Write("{}");
        var result = RunCcwb("distribute", ["--profile-file", profile, "--zip", zip, "--expires-hours", "3", "--endpoint-url", s3.Url],
            "--cloudformation-endpoint-url", new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = S3Peer.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Peer.SecretKey,
            });
        return (result, s3, zip, profile);
    }

    [Fact]
    public async Task Distribute_without_bucket_uploads_to_the_bucket_of_the_deployed_distribution_stack()
    {
        var (result, s3, zip, _) = await DistributeToTheStackBucketAsync();
        await using var peer = s3;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("claude-entra-distribution", _endpoint.Requests.Last().Form["StackName"]);
        var file = Regex.Match(result.Output, @"^File: +(claude-code-package-(\d{8}-\d{6})\.zip) ", RegexOptions.Multiline);
        Assert.True(file.Success, result.Output);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zip)));
        Assert.Contains($"SHA256:  {sha256}", result.Output, StringComparison.Ordinal);

        using var client = s3.Client();
        var key = $"packages/{file.Groups[2].Value}/{file.Groups[1].Value}";
        var head = await client.GetObjectMetadataAsync(StackBucket, key, TestContext.Current.CancellationToken);
        Assert.Equal(sha256, head.Metadata["checksum"]);
        Assert.Empty(s3.StoredFiles("some-other-bucket"));
    }

    [Fact]
    public async Task Status_json_gives_the_latest_distribution_its_bucket_files_and_expiry()
    {
        var (distribute, s3, zip, profile) = await DistributeToTheStackBucketAsync();
        await using var peer = s3;
        Assert.True(distribute.ExitCode == 0, distribute.ToString());

        var result = Status("--profile-file", profile, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var distribution = JsonNode.Parse(result.Output)!["distribution"]!;
        Assert.Equal(StackBucket, distribution["bucket"]!.GetValue<string>());
        var created = DateTimeOffset.Parse(distribution["created"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse(distribution["expires"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(3), expires - created);
        Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        Assert.False(distribution["expired"]!.GetValue<bool>());
        var file = Assert.Single(distribution["files"]!.AsArray())!;
        var name = file["filename"]!.GetValue<string>();
        Assert.Matches(@"^claude-code-package-\d{8}-\d{6}\.zip$", name);
        Assert.Equal($"packages/{name["claude-code-package-".Length..^4]}/{name}", file["key"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zip))), file["sha256"]!.GetValue<string>());
        Assert.Equal(new FileInfo(zip).Length, file["size"]!.GetValue<long>());
        Assert.DoesNotContain("X-Amz-Signature", result.Output, StringComparison.Ordinal); // URLs grant downloads: not in status
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
