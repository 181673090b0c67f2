using System.Collections.Concurrent;
using System.Diagnostics;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Functions.Tests.Peers;

/// <summary>
/// A function's real native bootstrap, run as Lambda runs a custom runtime: a process polling the Runtime API named by
/// AWS_LAMBDA_RUNTIME_API, with only the environment Lambda would give it.
/// </summary>
public sealed class FunctionProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> errors = new();

    public FunctionProcess(string bootstrap, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(bootstrap) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Clear();
        foreach (var (name, value) in environment) start.Environment[name] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the function wrote to stderr (CloudWatch Logs, deployed).</summary>
    public string Errors => string.Join('\n', errors);

    public bool HasExited => process.HasExited;

    public int WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout) ? process.ExitCode : throw new TimeoutException("the function did not exit");

    /// <summary>The Lambda environment: region, the role's credentials, the runtime API, the tables; plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string> LambdaEnvironment(string runtimeApi, string dynamoDbEndpoint, QuotaTables tables, params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "ASIAFUNCTIONROLE",
            ["AWS_SECRET_ACCESS_KEY"] = "function-role-secret",
            ["AWS_SESSION_TOKEN"] = "function-role-session",
            ["AWS_LAMBDA_FUNCTION_NAME"] = "quota-check",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbEndpoint,
            ["AWS_MAX_ATTEMPTS"] = "1",
            ["QUOTA_TABLE"] = tables.Usage,
            ["POLICIES_TABLE"] = tables.Policies,
            ["ENABLE_FINEGRAINED_QUOTAS"] = "true",
            ["HOME"] = Path.GetTempPath(),
        };
        foreach (var (name, value) in more) environment[name] = value;
        return environment;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}

/// <summary>The quota stack's two tables, by name.</summary>
public sealed record QuotaTables(string Policies, string Usage)
{
    /// <summary>Creates the tables in dynalite from quota-service.yaml's own definitions.</summary>
    public static async Task<QuotaTables> CreateAsync(Ccwb.Testing.Peers.DynamoPeer peer)
    {
        var names = await peer.CreateTablesFromTemplateAsync(
            Ccwb.CloudFormation.Templates.TemplateLibrary.Get(Ccwb.Quota.QuotaSchema.TemplateFile).Document, "acme-quota");
        return new QuotaTables(names[Ccwb.Quota.QuotaSchema.Policies.ResourceName], names[Ccwb.Quota.QuotaSchema.Usage.ResourceName]);
    }

    public Ccwb.Quota.QuotaStore Store(Ccwb.Testing.Peers.DynamoPeer peer) =>
        new(new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials(Ccwb.Testing.Peers.DynamoPeer.AccessKey, Ccwb.Testing.Peers.DynamoPeer.SecretKey),
            new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = peer.Url, AuthenticationRegion = Ccwb.Testing.Peers.DynamoPeer.Region }), Policies, Usage);
}

/// <summary>The check function's native bootstrap (linux-x64 native AOT), published once per test run.</summary>
public static class QuotaCheckBootstrap
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>QUOTA_CHECK_BOOTSTRAP when the build gives one; else published into artifacts/test-functions/.</summary>
    public static string Path => Published.Value;

    private static string Publish()
    {
        if (Environment.GetEnvironmentVariable("QUOTA_CHECK_BOOTSTRAP") is { Length: > 0 } given) return given;
        var output = Repo.PathOf("artifacts", "test-functions", "quota-check");
        // Its own artifacts path: built into the projects' shared bin/ and obj/ (with other properties than the
        // solution build), the referenced libraries would be recompiled under test assemblies running beside this one.
        var result = Run.Tool("dotnet", ["publish", Repo.PathOf("src", "Ccwb.Functions.QuotaCheck"), "-c", "Release", "-r", "linux-x64",
            "--artifacts-path", Repo.PathOf("artifacts", "test-functions", "build"), "-o", output, "-nologo", "-v", "quiet"], Repo.Root, timeoutSeconds: 900);
        if (result.ExitCode != 0) throw new InvalidOperationException("publishing the check function failed: " + result);
        return System.IO.Path.Combine(output, "bootstrap");
    }
}
