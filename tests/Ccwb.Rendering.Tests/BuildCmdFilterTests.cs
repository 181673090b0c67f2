using System.Management.Automation;
using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

[CollectionDefinition(nameof(ConsoleStreams), DisableParallelization = true)]
public sealed class ConsoleStreams;

/// <summary>
/// build.cmd's output filter (the PowerShell on the right of its MSBuild pipe), run by the real PowerShell engine on
/// lines as MSBuild prints them: it must do what build.sh's awk does. The filter writes to the process's console
/// streams, so the test swaps them and runs alone.
/// </summary>
[Collection(nameof(ConsoleStreams))]
public class BuildCmdFilterTests
{
    [Fact]
    public void Findings_go_to_stderr_as_written_the_ccwb003_summary_is_dropped_and_msbuilds_exit_code_is_kept()
    {
        string[] msbuild =
        [
            "  Package started",
            "  error: organization_identifier: is required for the mobileconfig (add it, e.g. \"com.example\")",
            "  warning: monitoring: no collector endpoint",
            "/repo/build/Package.targets(62,5): error CCWB003: --profile-file: 1 error (listed above)",
            "  Package failed after 0.4 s",
            "CCWB-EXIT-1",
        ];

        var (output, error, exitCode) = RunFilter(msbuild);

        Assert.Equal("  Package started\n  Package failed after 0.4 s\n", output);
        Assert.Equal("error: organization_identifier: is required for the mobileconfig (add it, e.g. \"com.example\")\n" +
                     "warning: monitoring: no collector endpoint\n", error);
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public void A_successful_build_exits_0_and_prints_everything_on_stdout()
    {
        var (output, error, exitCode) = RunFilter(["  Compile succeeded", "  error CS0000 is not a finding line: it has no 'error: ' at the start", "CCWB-EXIT-0"]);
        Assert.Equal("  Compile succeeded\n  error CS0000 is not a finding line: it has no 'error: ' at the start\n", output);
        Assert.Equal("", error);
        Assert.Equal(0, exitCode);
    }

    private static (string Output, string Error, int ExitCode) RunFilter(string[] lines)
    {
        var buildCmd = File.ReadAllText(Repo.PathOf("build.cmd"));
        var line = buildCmd.Split('\n').Single(l => l.Contains("CCWB-EXIT-", StringComparison.Ordinal) && l.Contains("| powershell", StringComparison.Ordinal));
        var start = line.IndexOf("-Command \"", StringComparison.Ordinal) + "-Command \"".Length;
        var script = line[start..line.LastIndexOf('"')];

        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        Console.SetOut(output);
        Console.SetError(error);
        using var file = new TempDirectory();
        File.WriteAllText(file.Combine("filter.ps1"), script);
        try
        {
            // Run as a script file: its 'exit N' becomes $LASTEXITCODE, as it becomes powershell.exe's exit code, and
            // $input is the pipeline input, as powershell.exe fills it from the pipe.
            using var shell = PowerShell.Create();
            shell.AddScript("param($lines, $path) $lines | & $path; $LASTEXITCODE").AddArgument(lines).AddArgument(file.Combine("filter.ps1"));
            var exitCode = shell.Invoke().Single().BaseObject;
            return (output.ToString(), error.ToString(), Convert.ToInt32(exitCode, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
