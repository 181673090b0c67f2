using Ccwb.Testing;

namespace Ccwb.Cli.Tests;

/// <summary><c>ccwb deploy --dry-run</c> as the built program: every stack a profile with central monitoring needs, nothing run.</summary>
public sealed class DeployDryRunTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string Home => Directory.CreateDirectory(temp.Combine("home")).FullName;

    [Fact]
    public void Dry_run_prints_the_auth_network_collector_dashboard_and_analytics_stacks_in_order()
    {
        var output = temp.Combine("plan");
        // An aws that cannot run: a dry run must not call it.
        var result = Ccwb.Run(Home, null, "deploy", "--dry-run", "--profile-file", Repo.PathOf("profiles", "examples", "okta-direct.json"),
                              "--output", output, "--aws", "/nonexistent/aws");

        Assert.True(result.ExitCode == 0, result.Error);
        var stacks = result.Output.Split('\n').Where(l => l.StartsWith("/nonexistent/aws cloudformation create-stack ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[6]).ToList();
        Assert.Equal(["claude-code-auth-stack", "claude-code-auth-networking", "claude-code-auth-monitoring", "claude-code-auth-dashboard",
                      "claude-code-auth-cowork-dashboard", "claude-code-auth-analytics"], stacks);
        Assert.All(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Matches("^warning: [^:]+: ", l));
        Assert.Contains("warning: monitoring_config.certificate_arn: ", result.Error, StringComparison.Ordinal);
        foreach (var stack in stacks) Assert.True(File.Exists(Path.Combine(output, "parameters", stack + ".json")), stack);
    }

    [Fact]
    public void An_unknown_stack_is_one_error_line_listing_the_valid_ones()
    {
        var result = Ccwb.Run(Home, null, "deploy", "collector", "--dry-run", "--profile-file", Repo.PathOf("profiles", "examples", "okta-direct.json"),
                              "--output", temp.Combine("plan"));
        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("error: stack: unknown stack 'collector'; valid stacks: auth, networking, monitoring, dashboard, cowork-dashboard, analytics, distribution, quota\n",
                        result.Error, StringComparison.Ordinal);
    }
}
