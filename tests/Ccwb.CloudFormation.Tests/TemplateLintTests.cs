using Ccwb.CloudFormation.Templates;
using Ccwb.Testing;

namespace Ccwb.CloudFormation.Tests;

/// <summary>The templates, and the templates bound to each example's parameter file, pass AWS's cfn-lint.</summary>
public sealed class TemplateLintTests
{
    public static TheoryData<string> Templates()
    {
        var data = new TheoryData<string>();
        foreach (var t in TemplateLibrary.FileNames) data.Add(t);
        return data;
    }

    [Fact]
    public void Templates_have_no_cfn_lint_findings()
    {
        var findings = CfnLint.Run([.. TemplateLibrary.FileNames.Select(t => Repo.PathOf("deployment", "cloudformation", t))], "us-east-1");
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Theory]
    [MemberData(nameof(Examples.All), MemberType = typeof(Examples))]
    public void Each_generated_parameter_file_passes_cfn_lint_with_its_template_and_region(string example)
    {
        var profile = Examples.Load(example);
        using var output = new TempDirectory();
        CloudFormationArtifacts.Write(profile, output.Path);
        var plan = Planning.DeployPlanner.Plan(profile);
        foreach (var stack in plan.Stacks)
        {
            var findings = CfnLint.Run(output.Combine("cloudformation", stack.TemplatePath), stack.Region,
                                       output.Combine("cloudformation", stack.ParameterFile));
            Assert.True(findings.Count == 0, $"{example} {stack.StackName}:\n" + string.Join('\n', findings));
        }
    }

    [Fact]
    public void Cfn_lint_does_check_parameter_values_against_the_resources_they_reach()
    {
        // Control: a value the IAM role schema refuses is reported, so a clean run above means something.
        using var output = new TempDirectory();
        CloudFormationArtifacts.Write(Examples.Load("okta-direct"), output.Path);
        var file = output.Combine("cloudformation", "parameters", "claude-code-auth-stack.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"43200\"", "\"50\"", StringComparison.Ordinal));
        var findings = CfnLint.Run(output.Combine("cloudformation", "templates", TemplateLibrary.AuthOidc), "us-east-1", file);
        Assert.Contains(findings, f => f.Message.Contains("MaxSessionDuration", StringComparison.Ordinal));

        File.WriteAllText(file, File.ReadAllText(file).Replace("\"IdentityPoolName\"", "\"IdentityPool\"", StringComparison.Ordinal));
        findings = CfnLint.Run(output.Combine("cloudformation", "templates", TemplateLibrary.AuthOidc), "us-east-1", file);
        Assert.Contains(findings, f => f.Rule == "E2900");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_arn_in_a_template_takes_its_partition_from_AWS_Partition(string template)
    {
        var lines = File.ReadAllLines(Repo.PathOf("deployment", "cloudformation", template));
        Assert.DoesNotContain(lines, l => l.Contains("arn:", StringComparison.Ordinal) && !l.Contains("arn:${AWS::Partition}:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("arn:aws", StringComparison.Ordinal));
    }
}
