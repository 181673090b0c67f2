using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;
using Ccwb.Rendering.Cowork;
using Ccwb.Testing.Processes;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// The .reg files imported by wine's regedit and read back with reg query: every value arrives as REG_SZ with the
/// exact content, and JSON values still parse. Tests in this class share one prefix and run one after another;
/// each clears the policy key after itself.
/// </summary>
public partial class RegistryImportTests(WinePrefix wine) : IClassFixture<WinePrefix>
{
    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Regedit_imports_every_value_as_a_string_with_its_exact_content(string profile)
    {
        var loaded = ExampleProfiles.Load(profile);
        var policy = CoworkPolicyBuilder.Build(loaded, ExampleProfiles.Options.Cowork, TargetOs.Windows);
        var values = Import(profile, ExampleProfiles.Text(profile, CoworkFiles.Reg), out var root);
        try
        {
            Assert.Equal(policy.Settings.Select(s => s.Name).Order(), values.Keys.Order());
            foreach (var setting in policy.Settings)
            {
                Assert.Equal("REG_SZ", values[setting.Name].Type);
                Assert.Equal(setting.MdmString, values[setting.Name].Data);
            }
            Assert.Equal(loaded.CoworkRegistryHive == "HKLM" ? "HKEY_LOCAL_MACHINE" : "HKEY_CURRENT_USER", root);
        }
        finally
        {
            Clear(root);
        }
    }

    [Fact]
    public void Json_values_stay_valid_json_after_import_with_windows_paths_inside_fixing_upstreams_spliced_backslashes()
    {
        // What install.bat does before `reg import`: the home folder goes in .reg-escaped, and doubled once more where
        // it sits inside JSON text.
        var home = @"C:\users\alice o'neil";
        var reg = ExampleProfiles.Text("websearch-everything", CoworkFiles.Reg)
            .Replace("__CCWB_HOME_JSON__", home.Replace(@"\", @"\\\\", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("__CCWB_HOME__", home.Replace(@"\", @"\\", StringComparison.Ordinal), StringComparison.Ordinal);
        var values = Import("websearch-everything", reg, out var root);
        try
        {
            Assert.Equal($@"{home}\claude-code-with-bedrock\cowork-credential-helper.cmd", values["inferenceCredentialHelper"].Data);

            using var servers = JsonDocument.Parse(values["managedMcpServers"].Data);
            var names = servers.RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
            Assert.Equal(["docs", CoworkPolicyBuilder.WebSearchServerName], names);
            var websearch = servers.RootElement[1];
            Assert.Equal($@"{home}\claude-code-with-bedrock\websearch-headers.cmd", websearch.GetProperty("headersHelper").GetString());
            Assert.Equal("https://gateway.example.com/mcp", websearch.GetProperty("url").GetString());

            using var headers = JsonDocument.Parse(values["otlpHeaders"].Data);
            Assert.Equal("tok-\"quoted\"-&-<angle>", headers.RootElement.GetProperty("X-Cowork-Token").GetString());
            using var folders = JsonDocument.Parse(values["allowedWorkspaceFolders"].Data);
            Assert.Equal(@"C:\Work", folders.RootElement[0].GetString());
            using var models = JsonDocument.Parse(values["inferenceModels"].Data);
            Assert.Equal(JsonValueKind.Array, models.RootElement.ValueKind);
            Assert.Equal(["*"], JsonSerializer.Deserialize<string[]>(values["coworkEgressAllowedHosts"].Data)!);
        }
        finally
        {
            Clear(root);
        }
    }

    private Dictionary<string, (string Type, string Data)> Import(string name, string regText, out string root)
    {
        var file = wine.Combine(name + ".reg");
        File.WriteAllText(file, regText, new UTF8Encoding(false));
        var import = wine.Exec("regedit", "/S", WinePrefix.WindowsPath(file));
        Assert.True(import.ExitCode == 0, import.ToString());

        root = regText.Contains("[HKEY_LOCAL_MACHINE\\", StringComparison.Ordinal) ? "HKEY_LOCAL_MACHINE" : "HKEY_CURRENT_USER";
        var query = wine.Exec("reg", "query", $@"{root}\SOFTWARE\Policies\Claude");
        Assert.True(query.ExitCode == 0, query.ToString());
        var values = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in query.Output.Split('\n'))
        {
            var m = ValueLine().Match(line.TrimEnd('\r'));
            if (m.Success) values[m.Groups[1].Value] = (m.Groups[2].Value, m.Groups[3].Value);
        }
        return values;
    }

    private void Clear(string root)
    {
        var delete = wine.Exec("reg", "delete", $@"{root}\SOFTWARE\Policies\Claude", "/f");
        Assert.True(delete.ExitCode == 0, delete.ToString());
    }

    // reg query prints "    <name>    <type>    <data>".
    [GeneratedRegex("^    (\\S+)    (REG_\\w+)    (.*)$")]
    private static partial Regex ValueLine();
}
