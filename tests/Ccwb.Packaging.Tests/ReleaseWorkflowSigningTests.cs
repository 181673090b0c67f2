using Ccwb.Packaging.MacOS;
using Ccwb.Testing;
using YamlDotNet.RepresentationModel;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// The release workflow's macOS signing step, run with bash on stand-in builds: every program the macOS package ships
/// (<see cref="MacReleaseSteps.ProgramNames"/>) is codesigned with the hardened runtime for each macOS RID, since
/// notarisation refuses a package holding a Mach-O file without it. Only the macOS-only tools (security, codesign) and
/// macOS's base64 -D are stubs; each stub records its call. Needs no Package run.
/// </summary>
public sealed class ReleaseWorkflowSigningTests : IDisposable
{
    private readonly TempDirectory _work = new("ccwb-workflow-sign");

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Every_macos_program_the_pkg_ships_is_codesigned_with_the_hardened_runtime_for_each_macos_rid()
    {
        var native = (YamlMappingNode)ReleaseWorkflowTests.Jobs().Children[new YamlScalarNode("native")];
        var rids = ReleaseWorkflowTests.MatrixRids(native).Where(r => r.StartsWith("osx-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["osx-arm64", "osx-x64"], rids.Order(StringComparer.Ordinal));
        foreach (var rid in rids)
        {
            var calls = RunSigningStep(native, rid, MacReleaseSteps.ProgramNames);
            foreach (var program in MacReleaseSteps.ProgramNames)
            {
                var exe = $"artifacts/bin/{rid}/{program}";
                Assert.Contains(calls, c => c.StartsWith("codesign --force --options runtime --timestamp", StringComparison.Ordinal)
                    && c.EndsWith($"--sign Developer ID Application {exe}", StringComparison.Ordinal));
                Assert.Contains($"codesign --verify --strict --verbose=2 {exe}", calls);
            }
            // What is not a Mach-O program (a symbol folder, a text file) is left alone.
            Assert.DoesNotContain(calls, c => c.Contains("notes.txt", StringComparison.Ordinal) || c.Contains(".dSYM", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_signing_step_fails_when_the_folder_holds_no_macos_program()
    {
        var native = (YamlMappingNode)ReleaseWorkflowTests.Jobs().Children[new YamlScalarNode("native")];
        var result = Run.Tool("bash", [StepScript(native, "osx-arm64", [])], workingDirectory: _work.Path, environment: Environment());
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: artifacts/bin/osx-arm64: no Mach-O program to sign", result.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Runs the step for <paramref name="rid"/> over stand-in builds of <paramref name="programs"/>; returns the stubs' calls.</summary>
    private List<string> RunSigningStep(YamlMappingNode native, string rid, IEnumerable<string> programs)
    {
        var result = Run.Tool("bash", [StepScript(native, rid, programs)], workingDirectory: _work.Path, environment: Environment());
        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = File.ReadAllLines(_work.Combine("calls.log")).ToList();
        File.Delete(_work.Combine("calls.log"));
        return calls;
    }

    /// <summary>
    /// The macOS signing step's script with the matrix RID filled in, beside stand-in builds: each program a 64-bit
    /// Mach-O header (which file(1) reads as one), plus a symbol folder and a text file that are not programs.
    /// </summary>
    private string StepScript(YamlMappingNode native, string rid, IEnumerable<string> programs)
    {
        var steps = (YamlSequenceNode)native.Children[new YamlScalarNode("steps")];
        var step = steps.Children.Cast<YamlMappingNode>().Single(s =>
            s.Children.TryGetValue(new YamlScalarNode("run"), out var run) && run.ToString().Contains("codesign", StringComparison.Ordinal));
        Assert.Contains("runner.os == 'macOS'", step.Children[new YamlScalarNode("if")].ToString(), StringComparison.Ordinal);
        var run = step.Children[new YamlScalarNode("run")].ToString().Replace("${{ matrix.rid }}", rid, StringComparison.Ordinal);
        Assert.DoesNotMatch(ReleaseWorkflowTests.ExpressionPattern(), run);

        var bin = _work.Combine("artifacts", "bin", rid);
        Directory.CreateDirectory(Path.Combine(bin, "credential-process.dSYM"));
        File.WriteAllText(Path.Combine(bin, "notes.txt"), "not a program\n");
        foreach (var program in programs)
            File.WriteAllBytes(Path.Combine(bin, program), [0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0]);

        var stubs = _work.Combine("stubs");
        Directory.CreateDirectory(stubs);
        foreach (var tool in new[] { "security", "codesign" })
            Stub(stubs, tool, $"printf '%s\\n' \"{tool} $*\" >>'{_work.Combine("calls.log")}'");
        Stub(stubs, "base64", """[ "$1" = -D ] || exit 99; cat""");
        var script = _work.Combine($"sign-{rid}.sh");
        // GitHub runs a bash step as bash -e.
        File.WriteAllText(script, $"set -e\nexport PATH='{stubs}':\"$PATH\"\n{run}");
        return script;
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["RUNNER_TEMP"] = _work.Path,
        ["MACOS_APP_CERT_P12_BASE64"] = "certificate",
        ["MACOS_CERT_PASSWORD"] = "password",
    };

    private static void Stub(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
    }
}
