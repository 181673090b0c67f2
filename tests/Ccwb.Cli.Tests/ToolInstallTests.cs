using System.Diagnostics;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests;

/// <summary>ccwb is a .NET tool: packed, installed from a folder with dotnet tool install, and run by its command name.</summary>
public sealed class ToolInstallTests
{
    [Fact]
    public void Packed_tool_installs_from_a_local_folder_and_prints_version_and_commit()
    {
        using var temp = new TempDirectory();
        var feed = temp.Combine("feed");
        var informational = FileVersionInfo.GetVersionInfo(Ccwb.AssemblyPath).ProductVersion!;
        var version = informational.Split('+')[0];
        // --no-build packs the build under test (the package version is given as the build stamped it), so the tool
        // carries the same version and commit the tests ran.
        var pack = Run.Tool("dotnet", ["pack", Repo.PathOf("src", "Ccwb.Cli", "Ccwb.Cli.csproj"), "--no-build", "-c", Ccwb.Configuration, "-o", feed, "-nologo",
            $"-p:Version={version}"], temp.Path, Isolated(temp));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var package = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        Assert.Equal($"ccwb.{version}.nupkg", Path.GetFileName(package));

        // Only the local folder as a source: the install must not need anything from a registry.
        File.WriteAllText(temp.Combine("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        var tools = temp.Combine("tools");
        var install = Run.Tool("dotnet", ["tool", "install", "ccwb", "--tool-path", tools, "--configfile", temp.Combine("nuget.config"), "--version", version],
            temp.Path, Isolated(temp));
        Assert.True(install.ExitCode == 0, install.ToString());

        var run = Run.Tool(Path.Combine(tools, "ccwb"), ["--version"], temp.Path, Isolated(temp));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(informational, run.Output.Trim());
        // Version and commit: <version>+<commit>, the commit being what the build stamped (or "unknown" locally).
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?\+[0-9a-f]{7,40}$|\+unknown$", run.Output.Trim());
    }

    /// <summary>A private NuGet cache, so an older package of the same version cannot be installed instead.</summary>
    private static Dictionary<string, string?> Isolated(TempDirectory temp) => new()
    {
        ["NUGET_PACKAGES"] = temp.Combine("nuget-packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };
}
