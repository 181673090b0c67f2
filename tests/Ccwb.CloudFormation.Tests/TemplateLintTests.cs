using Ccwb.CloudFormation.Planning;
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
        var findings = CfnLint.Run([.. TemplateLibrary.FileNames.Select(t => Repo.PathOf("deployment", "cloudformation", t))], ["us-east-1"]);
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Fact]
    public void Quota_template_has_no_cfn_lint_findings_in_commercial_and_govcloud_regions()
    {
        // Only one example (commercial) plans it, so the template alone is checked here in both partitions it deploys to.
        var findings = CfnLint.Run([Repo.PathOf("deployment", "cloudformation", TemplateLibrary.QuotaService)], ["us-east-1", "eu-west-1", "us-gov-west-1"]);
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Fact]
    public void Every_examples_parameter_files_pass_cfn_lint_with_their_template_and_region()
    {
        using var output = new TempDirectory();
        var bound = new List<(string Template, string Region, string ParameterFile)>();
        foreach (var example in Examples.Names)
        {
            var profile = Examples.Load(example);
            CloudFormationArtifacts.Write(profile, output.Combine(example));
            foreach (var stack in DeployPlanner.Plan(profile).Stacks.Where(s => s.Parameters.Count > 0))
                bound.Add((stack.TemplateFile, stack.Region, output.Combine(example, "cloudformation", stack.ParameterFile)));
        }
        Assert.Contains(bound, b => b.Template == TemplateLibrary.AuthOidc);
        Assert.Contains(bound, b => b.Template == TemplateLibrary.AuthIdc);

        foreach (var group in bound.GroupBy(b => b.Template))
        {
            var findings = CfnLint.Run([Repo.PathOf("deployment", "cloudformation", group.Key)],
                                       [.. group.Select(b => b.Region).Distinct()], [.. group.Select(b => b.ParameterFile)]);
            Assert.True(findings.Count == 0, $"{group.Key}:\n" + string.Join('\n', findings));
        }
    }

    [Fact]
    public void Cfn_lint_does_check_parameter_files_against_the_template_and_the_resources_they_reach()
    {
        // Control: values the IAM role schema refuses and keys the template lacks are reported, so a clean run above
        // means something.
        using var output = new TempDirectory();
        CloudFormationArtifacts.Write(Examples.Load("okta-direct"), output.Path);
        var file = output.Combine("cloudformation", "parameters", "claude-code-auth-stack.json");
        var tooShort = output.Combine("session-too-short.json");
        var unknownKey = output.Combine("unknown-key.json");
        File.WriteAllText(tooShort, File.ReadAllText(file).Replace("\"43200\"", "\"50\"", StringComparison.Ordinal));
        File.WriteAllText(unknownKey, File.ReadAllText(file).Replace("\"IdentityPoolName\"", "\"IdentityPool\"", StringComparison.Ordinal));

        var findings = CfnLint.Run([Repo.PathOf("deployment", "cloudformation", TemplateLibrary.AuthOidc)], ["us-east-1"], [tooShort, unknownKey]);

        Assert.Contains(findings, f => f.Message.Contains("MaxSessionDuration", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Rule == "E2900" && f.Message.Contains("IdentityPool", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_template_fits_cloudformations_51200_byte_template_body_limit(string template) =>
        Assert.InRange(new FileInfo(Repo.PathOf("deployment", "cloudformation", template)).Length, 1, 51_200);

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_arn_in_a_template_takes_its_partition_from_AWS_Partition(string template)
    {
        // An AllowedPattern that accepts ARNs of any partition ('arn:[a-z-]+:…') is partition-safe, not a hard-coded ARN.
        var lines = File.ReadAllLines(Repo.PathOf("deployment", "cloudformation", template))
            .Where(l => !l.TrimStart().StartsWith("AllowedPattern: '^(arn:[a-z-]+:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("arn:", StringComparison.Ordinal) && !l.Contains("arn:${AWS::Partition}:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("arn:aws", StringComparison.Ordinal));
    }
}
