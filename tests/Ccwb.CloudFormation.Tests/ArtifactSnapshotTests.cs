using System.Text;
using Ccwb.CloudFormation.Templates;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.CloudFormation.Tests;

public sealed class ArtifactSnapshotTests
{
    [Theory]
    [MemberData(nameof(Examples.All), MemberType = typeof(Examples))]
    public void Generated_files_for_each_example_profile(string example)
    {
        using var output = new TempDirectory();
        var written = CloudFormationArtifacts.Write(Examples.Load(example), output.Path);

        var text = new StringBuilder();
        foreach (var path in written)
        {
            var content = File.ReadAllText(output.Combine(path));
            if (path.StartsWith("cloudformation/templates/", StringComparison.Ordinal))
            {
                // Templates are copied verbatim from deployment/cloudformation, which is itself reviewed.
                Assert.Equal(File.ReadAllText(Repo.PathOf("deployment", "cloudformation", Path.GetFileName(path))), content);
                text.Append("=== ").Append(path).Append(" (verbatim copy of deployment/cloudformation)\n");
                continue;
            }
            text.Append("=== ").Append(path).Append('\n').Append(content);
        }
        Assert.Equal(written.Count, Directory.GetFiles(output.Path, "*", SearchOption.AllDirectories).Length);
        Snapshot.Verify(text.ToString(), "txt", example);
    }

    [Theory]
    [MemberData(nameof(Examples.All), MemberType = typeof(Examples))]
    public void Same_profile_gives_byte_identical_files(string example)
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var a = CloudFormationArtifacts.Write(Examples.Load(example), first.Path);
        var b = CloudFormationArtifacts.Write(Examples.Load(example), second.Path);
        Assert.Equal(a, b);
        foreach (var path in a) Assert.Equal(File.ReadAllBytes(first.Combine(path)), File.ReadAllBytes(second.Combine(path)));
    }

    [Fact]
    public void Every_template_in_the_repository_is_embedded() =>
        Assert.Equal(
            Directory.GetFiles(Repo.PathOf("deployment", "cloudformation"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            TemplateLibrary.FileNames.Order(StringComparer.Ordinal));

    [Fact]
    public void Command_files_pass_shellcheck()
    {
        using var output = new TempDirectory();
        var scripts = new List<string>();
        foreach (var example in Examples.Names)
            scripts.AddRange(CloudFormationArtifacts.Write(Examples.Load(example), output.Combine(example))
                .Where(p => p.EndsWith(".sh", StringComparison.Ordinal)).Select(p => output.Combine(example, p)));
        var report = Run.Tool("shellcheck", ["--shell=sh", .. scripts]);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Equal(Examples.Names.Count * 2, scripts.Count);
    }
}
