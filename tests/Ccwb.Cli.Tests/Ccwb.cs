using System.Reflection;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests;

/// <summary>Runs the built ccwb (src/Ccwb.Cli's build output, same configuration as the tests) in a private home.</summary>
internal static class Ccwb
{
    public static string Configuration { get; } =
        typeof(Ccwb).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    public static string AssemblyPath { get; } = Repo.PathOf("src", "Ccwb.Cli", "bin", Configuration, "net10.0", "ccwb.dll");

    /// <summary>
    /// The environment ccwb sees: HOME is <paramref name="home"/>, AWS settings come only from
    /// <paramref name="aws"/> (nothing of the runner's own AWS configuration leaks in).
    /// </summary>
    public static Dictionary<string, string?> Environment(string home, IReadOnlyDictionary<string, string?>? aws = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["USERPROFILE"] = home,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["AWS_CONFIG_FILE"] = Path.Combine(home, ".aws", "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, ".aws", "credentials"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        foreach (var name in new[] { "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                     "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB" })
            environment[name] = null;
        foreach (var (name, value) in aws ?? new Dictionary<string, string?>()) environment[name] = value;
        return environment;
    }

    public static Run.Result Run(string home, IReadOnlyDictionary<string, string?>? aws, params string[] args)
    {
        Assert.True(File.Exists(AssemblyPath), $"build src/Ccwb.Cli first: {AssemblyPath} not found");
        return Testing.Processes.Run.Tool("dotnet", [AssemblyPath, .. args], home, Environment(home, aws), timeoutSeconds: 120);
    }
}
