using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ccwb.Rendering.Cowork;

namespace Ccwb.Rendering.Tests;

/// <summary>ADMX/ADML: well-formed, self-consistent, covering every catalogue key, and agreeing with the .reg.</summary>
public partial class GroupPolicyTests
{
    private static readonly XNamespace Ns = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Every_policy_string_and_presentation_resolves_in_the_adml(string profile)
    {
        var admx = XDocument.Parse(ExampleProfiles.Text(profile, CoworkFiles.Admx));
        var adml = XDocument.Parse(ExampleProfiles.Text(profile, CoworkFiles.Adml));
        var strings = adml.Descendants(Ns + "string").ToDictionary(s => (string)s.Attribute("id")!, s => s.Value);
        var presentations = adml.Descendants(Ns + "presentation").ToDictionary(p => (string)p.Attribute("id")!);

        string Resolve(string reference, string kind)
        {
            var m = Reference().Match(reference);
            Assert.True(m.Success && m.Groups[1].Value == kind, $"{reference} is not a $({kind}.…) reference");
            return m.Groups[2].Value;
        }

        foreach (var category in admx.Descendants(Ns + "category"))
            Assert.True(strings.ContainsKey(Resolve((string)category.Attribute("displayName")!, "string")));

        foreach (var policy in admx.Descendants(Ns + "policy"))
        {
            Assert.False(string.IsNullOrWhiteSpace(strings[Resolve((string)policy.Attribute("displayName")!, "string")]));
            Assert.False(string.IsNullOrWhiteSpace(strings[Resolve((string)policy.Attribute("explainText")!, "string")]));
            var elements = policy.Descendants(Ns + "text").ToList();
            if (policy.Attribute("presentation") is { } presentationRef)
            {
                var presentation = presentations[Resolve(presentationRef.Value, "presentation")];
                var refIds = presentation.Elements(Ns + "textBox").Select(t => (string)t.Attribute("refId")!).ToList();
                Assert.Equal(elements.Select(e => (string)e.Attribute("id")!), refIds);
            }
            else
            {
                Assert.Empty(elements);
            }
            var parent = (string)policy.Element(Ns + "parentCategory")!.Attribute("ref")!;
            Assert.Contains(admx.Descendants(Ns + "category"), c => (string)c.Attribute("name")! == parent);
        }
    }

    [Fact]
    public void Admx_covers_every_catalogue_key_where_upstreams_static_file_covered_nine()
    {
        var admx = XDocument.Parse(ExampleProfiles.Text("okta-direct", CoworkFiles.Admx));
        var valueNames = admx.Descendants(Ns + "policy").Select(ValueName).ToList();
        Assert.Equal(CoworkKeys.All.Select(k => k.Name).Order(), valueNames.Order());
        Assert.True(valueNames.Count > 30, $"only {valueNames.Count} policies");
        Assert.Equal(valueNames.Count, valueNames.Distinct().Count());
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Each_reg_value_has_a_policy_with_the_same_hive_key_and_value_name(string profile)
    {
        var admx = XDocument.Parse(ExampleProfiles.Text(profile, CoworkFiles.Admx));
        var reg = ExampleProfiles.Text(profile, CoworkFiles.Reg).Split("\r\n");
        var keyLine = reg[2];
        var machine = keyLine.StartsWith("[HKEY_LOCAL_MACHINE\\", StringComparison.Ordinal);
        var regKey = keyLine[(keyLine.IndexOf('\\', StringComparison.Ordinal) + 1)..^1];
        var policies = admx.Descendants(Ns + "policy").ToDictionary(ValueName);

        foreach (var line in reg.Skip(3).Where(l => l.Length > 0))
        {
            var name = RegValueName().Match(line).Groups[1].Value;
            if (CoworkKeys.Find(name) is null) continue; // undocumented pass-through keys have no policy
            var policy = policies[name];
            Assert.Equal(regKey, (string)policy.Attribute("key")!);
            Assert.Equal(machine ? "Machine" : "User", (string)policy.Attribute("class")!);
        }
    }

    [Fact]
    public void Switch_policies_write_the_strings_true_and_false_as_the_reg_does()
    {
        var admx = XDocument.Parse(ExampleProfiles.Text("okta-direct", CoworkFiles.Admx));
        var policy = admx.Descendants(Ns + "policy").Single(p => ValueName(p) == "isClaudeCodeForDesktopEnabled");
        Assert.Equal("true", policy.Element(Ns + "enabledValue")!.Element(Ns + "string")!.Value);
        Assert.Equal("false", policy.Element(Ns + "disabledValue")!.Element(Ns + "string")!.Value);
        Assert.Contains("\"isClaudeCodeForDesktopEnabled\"=\"true\"", ExampleProfiles.Text("okta-direct", CoworkFiles.Reg), StringComparison.Ordinal);
    }

    private static string ValueName(XElement policy) =>
        (string?)policy.Attribute("valueName") ?? (string)policy.Descendants(Ns + "text").Single().Attribute("valueName")!;

    [GeneratedRegex(@"^\$\((string|presentation)\.([A-Za-z0-9_]+)\)$")]
    private static partial Regex Reference();

    [GeneratedRegex("^\"((?:[^\"\\\\]|\\\\.)*)\"=")]
    private static partial Regex RegValueName();
}
