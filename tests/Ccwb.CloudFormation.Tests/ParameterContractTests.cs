using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Templates;
using Ccwb.Testing;

namespace Ccwb.CloudFormation.Tests;

/// <summary>Every parameter file fits its template: declared keys only, every required key, values it accepts.</summary>
public sealed class ParameterContractTests
{
    [Theory]
    [MemberData(nameof(Examples.All), MemberType = typeof(Examples))]
    public void Upstream_defect_undeclared_keys_parameter_file_keys_are_declared_and_cover_every_parameter_without_a_default(string example)
    {
        using var output = new TempDirectory();
        CloudFormationArtifacts.Write(Examples.Load(example), output.Path);
        var plan = JsonNode.Parse(File.ReadAllText(output.Combine("cloudformation", "deploy-plan.json")))!;
        foreach (var step in plan["deployOrder"]!.AsArray())
        {
            // Read the template as written in the output, independently of the planner's own model of it.
            var template = CfnYaml.Parse(File.ReadAllText(output.Combine("cloudformation", step!["template"]!.GetValue<string>())));
            var declared = template["Parameters"]!.AsObject();
            var file = JsonNode.Parse(File.ReadAllText(output.Combine("cloudformation", step["parameters"]!.GetValue<string>())))!.AsArray();
            var keys = file.Select(p => p!["ParameterKey"]!.GetValue<string>()).ToList();

            Assert.Equal(keys.Count, keys.Distinct().Count());
            Assert.All(keys, k => Assert.True(declared.ContainsKey(k), $"{example}: {k} is not declared"));
            foreach (var (name, definition) in declared)
                if (definition!["Default"] is null) Assert.True(keys.Contains(name), $"{example}: required {name} is missing");
            Assert.All(file, p => Assert.Equal(System.Text.Json.JsonValueKind.String, p!["ParameterValue"]!.GetValueKind()));
        }
    }

    [Fact]
    public void Stack_names_for_base_acme_dev_follow_base_dash_suffix()
    {
        var profile = Examples.Load("okta-direct") with
        {
            IdentityPoolName = "acme-dev",
            StackNames = new Dictionary<string, string>(),
            EnableDistribution = true,
            DistributionType = "presigned-s3",
        };
        var plan = DeployPlanner.Plan(profile);
        Assert.Equal(["acme-dev-stack", "acme-dev-networking", "acme-dev-monitoring", "acme-dev-dashboard", "acme-dev-cowork-dashboard",
                      "acme-dev-analytics", "acme-dev-distribution"], plan.Stacks.Select(s => s.StackName));
        Assert.Equal(plan.Stacks.Select(s => s.StackName).Reverse(), plan.DestroyOrder.Select(s => s.StackName));
        Assert.All(plan.Stacks, s => Assert.Equal(["CAPABILITY_NAMED_IAM"], s.Capabilities));
    }

    [Fact]
    public void Booleans_and_numbers_are_written_as_cloudformation_reads_them()
    {
        var off = DeployPlanner.Plan(Examples.Load("okta-direct") with { MonitoringEnabled = false, MaxSessionDuration = 28800 });
        var values = off.Stacks[0].Parameters.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("false", values["EnableMonitoring"]);
        Assert.Equal("28800", values["MaxSessionDuration"]);
        Assert.Equal("true", DeployPlanner.Plan(Examples.Load("okta-direct")).Stacks[0].Parameters.Single(p => p.Key == "EnableMonitoring").Value);
    }

    [Fact]
    public void Idc_uses_the_policy_template_and_none_plans_no_auth_stack()
    {
        Assert.Equal(TemplateLibrary.AuthIdc, DeployPlanner.Plan(Examples.Load("idc")).Stacks.Single().TemplateFile);
        Assert.Empty(DeployPlanner.Plan(Examples.Load("none")).Stacks);
    }
}
