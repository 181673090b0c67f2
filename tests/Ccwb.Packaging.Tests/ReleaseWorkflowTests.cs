using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Signing;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;
using YamlDotNet.RepresentationModel;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// .github/workflows/release.yml cannot run here, so it is linted and checked against the repository: its matrix
/// builds native AOT for every RID a Linux host cannot; each <c>./build.sh</c> / <c>build.cmd</c> target is a public
/// target of build/Build.proj, each option is one build.sh documents, each file it reads exists, each artifact folder
/// it uploads is one the build writes; every inline step and every script a step runs passes shellcheck.
/// </summary>
public sealed partial class ReleaseWorkflowTests(PackageFixture package)
{
    private static readonly string WorkflowPath = Repo.PathOf(".github", "workflows", "release.yml");

    [Fact]
    public void Matrix_builds_native_aot_on_windows_and_macos_for_the_rids_linux_cannot()
    {
        var jobs = Jobs();
        var native = (YamlMappingNode)jobs.Children[new YamlScalarNode("native")];
        var entries = MatrixEntries(native)
            .Select(e => (Os: e.Children[new YamlScalarNode("os")].ToString(), Rid: e.Children[new YamlScalarNode("rid")].ToString()))
            .ToList();
        Assert.Equal(["osx-arm64", "osx-x64", "win-arm64", "win-x64"], entries.Select(e => e.Rid).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.StartsWith(e.Rid.StartsWith("win", StringComparison.Ordinal) ? "windows" : "macos", e.Os, StringComparison.Ordinal));
        var packageJob = (YamlMappingNode)jobs.Children[new YamlScalarNode("package")];
        Assert.Equal("native", packageJob.Children[new YamlScalarNode("needs")].ToString());
        Assert.StartsWith("ubuntu", packageJob.Children[new YamlScalarNode("runs-on")].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_job_runs_the_Http_and_credential_suites_on_windows_and_macos()
    {
        var test = (YamlMappingNode)Jobs().Children[new YamlScalarNode("test")];
        var matrix = (YamlMappingNode)((YamlMappingNode)test.Children[new YamlScalarNode("strategy")]).Children[new YamlScalarNode("matrix")];
        var systems = ((YamlSequenceNode)matrix.Children[new YamlScalarNode("os")]).Children.Select(n => n.ToString()).ToList();
        Assert.Contains(systems, os => os.StartsWith("windows", StringComparison.Ordinal));
        Assert.Contains(systems, os => os.StartsWith("macos", StringComparison.Ordinal));
        var runs = string.Join('\n', ScalarsUnder(test).Where(s => s.Key == "run").Select(s => s.Value));
        foreach (var suite in new[] { "tests/Ccwb.Http.Tests", "tests/Ccwb.Credentials.Tests" })
        {
            Assert.Contains($"dotnet test --project {suite}", runs, StringComparison.Ordinal);
            Assert.True(Directory.Exists(Repo.PathOf(suite)), $"{suite} does not exist");
        }
        Assert.Contains("cd tests/peers && npm ci", runs, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_inline_step_passes_shellcheck()
    {
        using var temp = new TempDirectory();
        var scripts = new List<string>();
        foreach (var run in RunSteps())
        {
            // GitHub expressions are substituted before the shell sees the script; stand in a plain word.
            var file = temp.Combine($"step{scripts.Count}.sh");
            File.WriteAllText(file, "#!/usr/bin/env bash\nset -euo pipefail\n" + ExpressionPattern().Replace(run, "EXPR"));
            scripts.Add(file);
        }
        Assert.True(scripts.Count >= 4, $"only {scripts.Count} run steps found");
        var result = Run.Tool("shellcheck", ["-s", "bash", .. scripts]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Every_build_script_target_the_workflow_calls_is_a_public_target_of_Build_proj()
    {
        var publicTargets = XDocument.Load(Repo.PathOf("build", "Build.proj")).Descendants("PublicTargets").Single().Value
            .Split(';', StringSplitOptions.RemoveEmptyEntries);
        var calls = BuildScriptCalls().ToList();
        Assert.True(calls.Count >= 4, $"only {calls.Count} build script calls found");
        foreach (var (target, _) in calls) Assert.Contains(target, publicTargets);
        Assert.Contains(calls, c => c.Target == "Sign");
    }

    [Fact]
    public void Every_option_the_workflow_passes_to_the_build_script_is_one_build_sh_documents()
    {
        var help = Run.Tool(Repo.PathOf("build.sh"), ["--help"], workingDirectory: Repo.Root);
        Assert.Equal(0, help.ExitCode);
        var documented = OptionPattern().Matches(help.Output).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var used = BuildScriptCalls().SelectMany(c => OptionPattern().Matches(c.Arguments).Select(m => m.Value)).ToList();
        Assert.Contains("--sign-pfx", used);
        foreach (var option in used) Assert.Contains(option, documented);
    }

    [Fact]
    public void Files_the_workflow_reads_exist_and_the_folders_it_uploads_are_the_ones_the_build_writes()
    {
        var jobs = Jobs();
        foreach (var (key, value) in ScalarsUnder(jobs).Where(s => s.Key is "global-json-file"))
            Assert.True(File.Exists(Repo.PathOf(value)), $"{key}: {value} does not exist");
        foreach (var script in ScriptsRun()) Assert.True(File.Exists(Repo.PathOf(script)), $"{script} does not exist");

        // What the build writes: the fixture's real output, plus apt/ which only Sign writes.
        var written = Directory.EnumerateFileSystemEntries(package.OutputDirectory).Select(e => Path.GetFileName(e))
            .Append(AptRepository.Folder).ToHashSet(StringComparer.Ordinal);
        var uploads = ScalarsUnder(jobs).Where(s => s.Key == "path").SelectMany(s => s.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(p => p.StartsWith("artifacts/", StringComparison.Ordinal)).ToList();
        Assert.Contains("artifacts/" + ManifestJson.FileName, uploads);
        foreach (var upload in uploads)
            Assert.True(written.Contains(upload.Split('/')[1]), $"the workflow uploads {upload}, which the build does not write");

        // The native jobs' binary path, for each RID of the matrix.
        var native = (YamlMappingNode)jobs.Children[new YamlScalarNode("native")];
        foreach (var rid in MatrixRids(native))
        {
            var binary = package.Manifest.Binaries.Single(b => b.Rid == rid);
            Assert.StartsWith($"bin/{rid}/credential-process", binary.Path!, StringComparison.Ordinal);
        }
        Assert.True(File.Exists(package.PathOf("obj/publish-plan.txt")), "the native job reads artifacts/obj/publish-plan.txt");
    }

    [Fact]
    public void Every_script_a_step_runs_passes_shellcheck()
    {
        var scripts = ScriptsRun().Select(s => Repo.PathOf(s)).ToList();
        Assert.Contains(Repo.PathOf("build.sh"), scripts);
        Assert.Contains(Repo.PathOf("build", "install-prerequisites.sh"), scripts);
        var result = Run.Tool("shellcheck", ["-s", "bash", .. scripts]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Each <c>./build.sh &lt;Target&gt; …</c> or <c>./build.cmd &lt;Target&gt; …</c> in a run step, with its arguments (continuation lines joined).</summary>
    private static IEnumerable<(string Target, string Arguments)> BuildScriptCalls() =>
        RunSteps().Select(s => s.Replace("\\\n", " ", StringComparison.Ordinal))
            .SelectMany(s => BuildCallPattern().Matches(s))
            .Select(m => (m.Groups["target"].Value, m.Groups["arguments"].Value));

    /// <summary>Repository scripts a run step starts (./x.sh, dir/x.sh), relative to the repository root.</summary>
    private static IEnumerable<string> ScriptsRun() =>
        RunSteps().SelectMany(s => ScriptPattern().Matches(s)).Select(m => m.Groups["path"].Value).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> RunSteps() =>
        ScalarsUnder(Jobs()).Where(s => s.Key == "run").Select(s => s.Value);

    internal static YamlMappingNode Jobs()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(WorkflowPath);
        stream.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode).Children[new YamlScalarNode("jobs")];
    }

    internal static IEnumerable<string> MatrixRids(YamlMappingNode job) =>
        MatrixEntries(job).Select(e => e.Children[new YamlScalarNode("rid")].ToString());

    private static IEnumerable<YamlMappingNode> MatrixEntries(YamlMappingNode job)
    {
        var matrix = (YamlMappingNode)((YamlMappingNode)job.Children[new YamlScalarNode("strategy")]).Children[new YamlScalarNode("matrix")];
        return ((YamlSequenceNode)matrix.Children[new YamlScalarNode("include")]).Children.Cast<YamlMappingNode>();
    }

    /// <summary>Every key: scalar pair anywhere under <paramref name="node"/>.</summary>
    private static IEnumerable<(string Key, string Value)> ScalarsUnder(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(pair => pair.Value is YamlScalarNode scalar
            ? [(pair.Key.ToString(), scalar.Value ?? "")]
            : ScalarsUnder(pair.Value)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(ScalarsUnder),
        _ => [],
    };

    [GeneratedRegex(@"\./build\.(?:sh|cmd)\s+(?<target>[A-Za-z]+)(?<arguments>[^;\n]*)")]
    private static partial Regex BuildCallPattern();

    [GeneratedRegex(@"\$\{\{[^}]*\}\}")]
    internal static partial Regex ExpressionPattern();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionPattern();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:\./)?(?<path>[\w./-]+\.sh)\b")]
    private static partial Regex ScriptPattern();
}
