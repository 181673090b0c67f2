using System.Diagnostics;
using System.Reflection;
using Ccwb.Testing;

namespace Ccwb.Profiles.Tests;

/// <summary>Runs the built <c>ccwb</c> (from src/Ccwb.Cli's build output) with a given home and working directory.</summary>
internal static class CcwbProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>The ccwb.dll built in the same configuration as this test assembly.</summary>
    public static string AssemblyPath { get; } = Repo.PathOf("src", "Ccwb.Cli", "bin",
        typeof(CcwbProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0", "ccwb.dll");

    public static Result Run(string home, string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists(AssemblyPath), $"build src/Ccwb.Cli first: {AssemblyPath} not found");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // ccwb finds ~/.ccwb through the user profile folder, which is HOME on Linux and macOS.
        start.Environment["HOME"] = home;
        start.Environment["USERPROFILE"] = home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"ccwb {string.Join(' ', args)} did not finish within 60 s");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
