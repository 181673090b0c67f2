using Ccwb.Testing;
using YamlDotNet.RepresentationModel;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// The release workflow cannot run here; it is linted instead: it parses as YAML, its matrix builds native AOT for
/// every RID a Linux host cannot, and every shell step passes shellcheck.
/// </summary>
public class WorkflowTests
{
    private static readonly string WorkflowPath = Repo.PathOf(".github", "workflows", "release.yml");

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(WorkflowPath);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    [Fact]
    public void Matrix_builds_native_aot_on_windows_and_macos_for_the_rids_linux_cannot()
    {
        var jobs = Map(Load(), "jobs");
        var include = (YamlSequenceNode)Map(Map(Map(jobs, "native"), "strategy"), "matrix").Children[new YamlScalarNode("include")];
        var entries = include.Children.Cast<YamlMappingNode>()
            .Select(e => (Os: e.Children[new YamlScalarNode("os")].ToString(), Rid: e.Children[new YamlScalarNode("rid")].ToString()))
            .ToList();
        Assert.Equal(["osx-arm64", "osx-x64", "win-arm64", "win-x64"], entries.Select(e => e.Rid).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.StartsWith(e.Rid.StartsWith("win", StringComparison.Ordinal) ? "windows" : "macos", e.Os, StringComparison.Ordinal));
        var package = Map(jobs, "package");
        Assert.Equal("native", package.Children[new YamlScalarNode("needs")].ToString());
        Assert.StartsWith("ubuntu", package.Children[new YamlScalarNode("runs-on")].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_shell_step_passes_shellcheck()
    {
        using var temp = new TempDirectory();
        var scripts = new List<string>();
        foreach (var job in Map(Load(), "jobs").Children.Values.Cast<YamlMappingNode>())
        {
            var steps = (YamlSequenceNode)job.Children[new YamlScalarNode("steps")];
            foreach (var step in steps.Children.Cast<YamlMappingNode>())
            {
                if (!step.Children.TryGetValue(new YamlScalarNode("run"), out var run)) continue;
                // GitHub expressions are substituted before the shell sees the script; stand in a plain word.
                var script = System.Text.RegularExpressions.Regex.Replace(run.ToString(), @"\$\{\{[^}]*\}\}", "EXPR");
                var file = temp.Combine($"step{scripts.Count}.sh");
                File.WriteAllText(file, "#!/usr/bin/env bash\nset -euo pipefail\n" + script);
                scripts.Add(file);
            }
        }
        Assert.True(scripts.Count >= 4, $"only {scripts.Count} run steps found");
        var result = Run.Tool("shellcheck", ["-s", "bash", .. scripts]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
