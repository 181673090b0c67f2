using System.Management.Automation.Language;
using System.Management.Automation;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ccwb.Rendering.Cowork;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// The generated PowerShell, read by the real PowerShell engine (Microsoft.PowerShell.SDK): it parses, and
/// Set-CoworkPolicy.ps1 runs with the registry cmdlets replaced by recorders (Linux has no registry), so the values it
/// would write, placeholders substituted, can be checked.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public partial class PowerShellTests
{
    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Set_CoworkPolicy_parses_without_errors(string profile)
    {
        Parser.ParseInput(ExampleProfiles.Text(profile, CoworkFiles.Ps1), out _, out var errors);
        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));
    }

    [Fact]
    public void Set_CoworkPolicy_writes_every_value_as_a_string_with_the_users_home_and_json_that_parses()
    {
        var profile = ExampleProfiles.Load("websearch-everything");
        var policy = CoworkPolicyBuilder.Build(profile, ExampleProfiles.Options.Cowork, TargetOs.Windows);
        const string home = @"C:\Users\alice o'neil";
        const string recorders = """
            $global:written = [ordered]@{}
            function Test-Path { param([string]$LiteralPath) $false }
            function New-Item { param([string]$Path, [switch]$Force) $global:createdKey = $Path }
            function New-ItemProperty {
                param([string]$LiteralPath, [string]$Name, $Value, [string]$PropertyType, [switch]$Force)
                if ($PropertyType -ne 'String') { throw "not a string: $Name" }
                $global:written[$Name] = [string]$Value
            }
            """;
        using var shell = PowerShell.Create();
        shell.AddScript($"$env:USERPROFILE = '{home.Replace("'", "''", StringComparison.Ordinal)}'").Invoke();
        shell.Commands.Clear();
        shell.AddScript(recorders).Invoke();
        shell.Commands.Clear();
        shell.AddScript(ExampleProfiles.Text("websearch-everything", CoworkFiles.Ps1)).Invoke();
        Assert.Empty(shell.Streams.Error.Select(e => e.ToString()));
        shell.Commands.Clear();
        var written = shell.AddScript("$global:written.GetEnumerator() | ForEach-Object { $_.Key + [char]9 + $_.Value }").Invoke()
            .Select(o => o.ToString().Split('\t', 2)).ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(policy.Settings.Select(s => s.Name), written.Keys);
        Assert.Equal($@"{home}\claude-code-with-bedrock\cowork-credential-helper.cmd", written["inferenceCredentialHelper"]);
        using var servers = JsonDocument.Parse(written["managedMcpServers"]);
        Assert.Equal($@"{home}\claude-code-with-bedrock\websearch-headers.cmd", servers.RootElement[1].GetProperty("headersHelper").GetString());
        foreach (var setting in policy.Settings.Where(s => !s.MdmString.Contains("__CCWB_HOME", StringComparison.Ordinal)))
            Assert.Equal(setting.MdmString, written[setting.Name]);
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void PowerShell_commands_inside_install_bat_parse_without_errors(string profile)
    {
        var bat = ExampleProfiles.Render(profile).SingleOrDefault(f => f.Path == "install.bat");
        if (bat is null) return; // IAM Identity Center without the helper binary ships no install.bat
        var text = System.Text.Encoding.UTF8.GetString(bat.Content);
        var commands = InlineCommand().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            // What powershell.exe receives: cmd expands %VARS% first, and \" inside the argument is a literal quote.
            var script = BatchVariable().Replace(command.Replace("\\\"", "\"", StringComparison.Ordinal), "sample");
            Parser.ParseInput(script, out _, out var errors);
            Assert.True(errors.Length == 0, $"{script}\n{string.Join("\n", errors.Select(e => e.Message))}");
        }
    }

    [GeneratedRegex("powershell -NoProfile -Command \"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex InlineCommand();

    [GeneratedRegex("%[A-Za-z_]+%")]
    private static partial Regex BatchVariable();

    [Fact]
    public void Otel_helper_ps1_answers_no_headers_when_otel_helper_exe_is_missing()
    {
        using var dir = new Ccwb.Testing.TempDirectory();
        var script = dir.Combine(PackageFiles.OtelHelperPs1);
        File.WriteAllText(script, ExampleProfiles.Text("okta-direct", PackageFiles.OtelHelperPs1));
        Parser.ParseFile(script, out _, out var errors);
        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));

        using var shell = PowerShell.Create();
        var output = shell.AddCommand(script).AddArgument("--profile").AddArgument("ClaudeCode").Invoke();

        Assert.Equal(["{}"], output.Select(o => o.ToString()));
    }
}
