using System.Reflection;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Profiles.Tests;

/// <summary>Runs the built <c>ccwb</c> (from src/Ccwb.Cli's build output) with a given home and working directory.</summary>
internal static class CcwbProcess
{
    /// <summary>The ccwb.dll built in the same configuration as this test assembly.</summary>
    public static string AssemblyPath { get; } = Repo.PathOf("src", "Ccwb.Cli", "bin",
        typeof(CcwbProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0", "ccwb.dll");

    public static Run.Result Run(string home, string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists(AssemblyPath), $"build src/Ccwb.Cli first: {AssemblyPath} not found");
        // ccwb finds ~/.ccwb through the user profile folder, which is HOME on Linux and macOS.
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["USERPROFILE"] = home,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        return Testing.Processes.Run.Tool("dotnet", [AssemblyPath, .. args], workingDirectory, environment, timeoutSeconds: 60);
    }
}
