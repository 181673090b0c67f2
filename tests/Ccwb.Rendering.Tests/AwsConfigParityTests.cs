using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// The installers that set an AWS profile in their own language (install.sh's Python, the deb's and the macOS package's
/// configure-aws-profile in awk) run for real on the same ~/.aws/config inputs as the C#
/// editor of Ccwb.Contract, and must leave the same bytes. The AWS CLI's own writer (the code behind
/// <c>aws configure set</c>) is the oracle for what the result means: read back by the CLI's own config loader,
/// each file holds what the CLI would have written.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(nameof(ProcessEnvironment))]
public class AwsConfigParityTests
{
    private const string Region = "us-east-1";
    private const string UnixInstallDir = "/home/alice/claude-code-with-bedrock";
    private const string WindowsInstallDir = @"C:\Users\alice\claude-code-with-bedrock";
    private const string DebPackage = "claude-code-with-bedrock";

    /// <summary>Inputs by name; null is "no file". {S} is the edited section's header, filled in per profile name.</summary>
    private static readonly Dictionary<string, string?> Inputs = new()
    {
        ["no file"] = null,
        ["empty file"] = "",
        ["section absent"] = "# Company defaults\n[profile other]\nregion = eu-central-1\n",
        ["section present with other keys"] = "[profile other]\nregion = a\n\n{S}\noutput = json\nregion = eu-west-1\n\n[profile after]\nregion = c\n",
        ["section present with the same values"] = "{S}\ncredential_process = {CP}\nregion = us-east-1\n",
        ["duplicate keys"] = "{S}\nregion = eu-west-1\nregion = eu-west-2\n",
        ["duplicate sections"] = "{S}\noutput = json\n\n[profile other]\nregion = b\n\n{S}\nregion = eu-west-2\n",
        ["crlf"] = "[profile other]\r\nregion = b\r\n\r\n{S}\r\noutput = json\r\n\r\n",
        ["crlf section absent"] = "[profile other]\r\nregion = b\r\n",
        ["comments"] = "# top\n{S}\n; a note\noutput = json\n# about the next one\n\n[profile after]\nregion = c\n",
        ["no trailing newline, section absent"] = "[profile other]\nregion = b",
        ["no trailing newline, section last"] = "[profile other]\nregion = b\n\n{S}\noutput = json",
        ["symlinked file"] = "[profile other]\nregion = b\n\n{S}\noutput = json\n",
    };

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (input, profile) in AllCases()) data.Add(input, profile);
            return data;
        }
    }

    /// <summary>Every input for a named profile (<c>[profile ClaudeCode]</c>) and for the default one (<c>[default]</c>).</summary>
    private static IEnumerable<(string Input, string Profile)> AllCases() =>
        Inputs.Keys.SelectMany(input => ((string[])["ClaudeCode", "default"]).Select(profile => (input, profile)));

    [Theory, MemberData(nameof(Cases))]
    public void Install_sh_python_sets_keys_byte_for_byte_like_the_csharp_editor_and_aws_configure_set(string input, string profile)
    {
        var entries = Entries($"{UnixInstallDir}/credential-process --profile {profile}");
        AssertParity(input, profile, entries, "\n", (home, config) => RunInstallShPython(home, config, profile));
    }

    [Theory, MemberData(nameof(Cases))]
    public void Deb_configure_aws_profile_sets_keys_byte_for_byte_like_the_csharp_editor_and_aws_configure_set(string input, string profile)
    {
        var entries = Entries($"/usr/lib/{DebPackage}/credential-process --profile {profile}");
        AssertParity(input, profile, entries, "\n", (home, config) => RunConfigureAwsProfile(home, config, profile));
    }

    [Theory, MemberData(nameof(Cases))]
    public void Macos_configure_aws_profile_sets_keys_byte_for_byte_like_the_csharp_editor_and_aws_configure_set(string input, string profile)
    {
        var entries = Entries($"/usr/local/lib/{DebPackage}/credential-process --profile {profile}");
        // --force: the login step sets the profiles once per version; here both runs must edit.
        AssertParity(input, profile, entries, "\n", (home, config) => RunConfigureAwsProfile(home, config, profile, "macos", "--force"));
    }

    [Theory]
    [InlineData("install.sh")]
    [InlineData("configure-aws-profile")]
    [InlineData("macos configure-aws-profile")]
    public void An_existing_profile_keeps_the_users_other_keys_instead_of_being_replaced(string script)
    {
        using var dir = new TempDirectory();
        var config = dir.Combine(".aws", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, "[profile ClaudeCode]\nregion = eu-west-1\noutput = json\ncli_pager =\n");

        Action<string, string> run = script switch
        {
            "install.sh" => (home, path) => RunInstallShPython(home, path, "ClaudeCode"),
            "configure-aws-profile" => (home, path) => RunConfigureAwsProfile(home, path, "ClaudeCode"),
            _ => (home, path) => RunConfigureAwsProfile(home, path, "ClaudeCode", "macos"),
        };
        run(dir.Path, config);

        var text = File.ReadAllText(config);
        Assert.StartsWith("[profile ClaudeCode]\nregion = us-east-1\noutput = json\ncli_pager =\ncredential_process = ", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith('['));
    }

    [Fact]
    public void Deb_configure_aws_profile_remove_takes_out_only_its_section_like_the_csharp_editor()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine(".aws", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        const string Before = "[profile other]\nregion = a\n\n[profile ClaudeCode]\nregion = b\noutput = json\n# about after\n[profile after]\nregion = c\n";
        File.WriteAllText(config, Before);

        RunConfigureAwsProfile(dir.Path, config, "ClaudeCode", "linux", "--remove");

        var expected = AwsIniText.Parse(Before);
        Assert.True(expected.RemoveSection("profile ClaudeCode"));
        Assert.Equal(expected.ToString(), File.ReadAllText(config));
        Assert.Equal("[profile other]\nregion = a\n\n# about after\n[profile after]\nregion = c\n", File.ReadAllText(config));
    }

    /// <summary>install.bat sets the profiles with ccwb-user-setup, the C# editor itself, and stops when it fails.</summary>
    [Fact]
    public void Install_bat_reports_a_failed_profile_edit_instead_of_claiming_success()
    {
        var bat = ExampleProfiles.Text("okta-direct", "install.bat");
        var call = bat[bat.IndexOf("\\ccwb-user-setup.exe\" install", StringComparison.Ordinal)..];
        Assert.Matches(@"^[^\n]*--profile okta-direct=us-east-1[^\n]*\n\s*if errorlevel 1 \(\r?\n\s*echo ERROR: could not set up Claude Code", call);
        Assert.True(call.IndexOf("if errorlevel 1", StringComparison.Ordinal) < call.IndexOf("echo OK Created AWS profile", StringComparison.Ordinal));
    }

    private static KeyValuePair<string, string>[] Entries(string credentialProcess) =>
        [new("credential_process", credentialProcess), new("region", Region)];

    /// <summary>
    /// Runs the script on the input and compares with the C# editor byte for byte, and checks that a second run
    /// changes nothing and that a symlinked file stays a link.
    /// </summary>
    private static void AssertParity(string input, string profile, KeyValuePair<string, string>[] entries, string newLineIfNone,
        Action<string, string> runScript)
    {
        var section = AwsIniText.ProfileSection(profile);
        var text = Input(input, section, entries);

        using var dir = new TempDirectory();
        var expectedPath = dir.Combine("csharp", "config");
        var home = dir.Combine("home");
        var config = Path.Combine(home, ".aws", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        Directory.CreateDirectory(Path.GetDirectoryName(expectedPath)!);
        var written = config;
        if (text is not null)
        {
            File.WriteAllText(expectedPath, text);
            if (input == "symlinked file")
            {
                written = dir.Combine("dotfiles", "aws-config");
                Directory.CreateDirectory(Path.GetDirectoryName(written)!);
                File.CreateSymbolicLink(config, "../../dotfiles/aws-config");
            }
            File.WriteAllText(written, text);
        }

        AwsIniFile.Update(expectedPath, t => t.SetKeys(section, entries), newLineIfNone);
        var expected = File.ReadAllText(expectedPath);

        runScript(home, config);
        Assert.Equal(Visible(expected), Visible(File.ReadAllText(written)));
        if (written != config) Assert.Equal("../../dotfiles/aws-config", new FileInfo(config).LinkTarget);
        runScript(home, config);
        Assert.Equal(Visible(expected), Visible(File.ReadAllText(written)));
    }

    [Fact]
    public void The_csharp_editor_leaves_what_aws_configure_set_leaves_as_the_aws_cli_reads_it()
    {
        // The oracle: the AWS CLI's own writer on every input, then both results through the CLI's own loader (which
        // refuses a file with a duplicate key or section, so those inputs have no oracle).
        var cases = AllCases().Where(c => !c.Item1.StartsWith("duplicate", StringComparison.Ordinal)).ToList();
        var entries = Entries($"{UnixInstallDir}/credential-process --profile ClaudeCode");
        var jobs = cases.Select(c =>
        {
            var section = AwsIniText.ProfileSection(c.Item2);
            var input = Input(c.Item1, section, entries);
            var ours = AwsIniText.Parse(input ?? "");
            ours.SetKeys(section, entries);
            return new AwsCliJob(input, section, [.. entries.Select(e => new[] { e.Key, e.Value })], ours.ToString());
        }).ToList();

        var readings = AwsCliReadings(jobs);

        Assert.Equal(jobs.Count, readings.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            Assert.True(readings[i].Aws == readings[i].Ours, $"{cases[i]}: aws configure set gives {readings[i].Aws}, the C# editor {readings[i].Ours}");
            Assert.Contains(entries[0].Value, readings[i].Ours, StringComparison.Ordinal);
        }
    }

    private static string? Input(string input, string section, KeyValuePair<string, string>[] entries) =>
        Inputs[input]?.Replace("{S}", $"[{section}]", StringComparison.Ordinal).Replace("{CP}", entries[0].Value, StringComparison.Ordinal);

    private sealed record AwsCliJob(string? Input, string Section, string[][] Entries, string Ours);

    private sealed record AwsCliReading(string Aws, string Ours);

    /// <summary>
    /// For each job, what the AWS CLI reads after <c>aws configure set</c> wrote each entry into the input (its
    /// ConfigFileWriter, run by the Python that runs /usr/bin/aws), and what it reads from our result. One process for
    /// all: the CLI takes seconds to start.
    /// </summary>
    private static List<AwsCliReading> AwsCliReadings(List<AwsCliJob> jobs)
    {
        using var dir = new TempDirectory();
        const string Script = """
            import json, os, sys
            from awscli.customizations.configure.writer import ConfigFileWriter
            from awscli.botocore.configloader import raw_config_parse
            folder, jobs = sys.argv[1], json.load(sys.stdin)
            readings = []
            for i, job in enumerate(jobs):
                aws, ours = os.path.join(folder, "aws-%d" % i), os.path.join(folder, "ours-%d" % i)
                if job["Input"] is not None:
                    with open(aws, "w", newline="") as f:
                        f.write(job["Input"])
                for key, value in job["Entries"]:
                    # What `aws configure set KEY VALUE --profile P` hands to the writer.
                    ConfigFileWriter().update_config({"__section__": job["Section"], key: value}, aws)
                with open(ours, "w", newline="") as f:
                    f.write(job["Ours"])
                readings.append({"Aws": json.dumps(raw_config_parse(aws), sort_keys=True),
                                 "Ours": json.dumps(raw_config_parse(ours), sort_keys=True)})
            print(json.dumps(readings))
            """;
        var run = Run.Tool(SystemPrograms.Python3, ["-c", Script, dir.Path], standardInput: JsonSerializer.Serialize(jobs));
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonSerializer.Deserialize<List<AwsCliReading>>(run.Output)!;
    }

    /// <summary>Line ends made visible, so that a failure shows where bytes differ.</summary>
    private static string Visible(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal);

    /// <summary>install.sh's Python as install.sh runs it: from the package folder, which holds config.json.</summary>
    private static void RunInstallShPython(string home, string config, string profile)
    {
        var package = Path.Combine(home, "package");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(package, "config.json"), $"{{\"{profile}\": {{\"aws_region\": \"{Region}\"}}}}");
        var run = Run.Tool(SystemPrograms.Python3, ["-", config, Region, UnixInstallDir, "0"], package, standardInput: InstallShAwsConfigScript());
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    /// <summary>installers/&lt;system&gt;/configure-aws-profile (linux: the deb's, macos: the pkg's) as the package fills it in.</summary>
    private static void RunConfigureAwsProfile(string home, string config, string profile, string system = "linux", params string[] arguments)
    {
        var script = Path.Combine(home, "configure-aws-profile");
        File.WriteAllText(script, File.ReadAllText(Repo.PathOf("installers", system, "configure-aws-profile"))
            .Replace("@PACKAGE@", DebPackage, StringComparison.Ordinal)
            .Replace("@VERSION@", "1.0.0", StringComparison.Ordinal)
            .Replace("@PROFILE_REGIONS@", $"{profile}={Region}", StringComparison.Ordinal));
        var run = Run.Tool("sh", [script, .. arguments], home, new Dictionary<string, string?> { ["HOME"] = home, ["AWS_CONFIG_FILE"] = config });
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    /// <summary>The Python that the rendered install.sh feeds to python3 to set the AWS profiles.</summary>
    private static string InstallShAwsConfigScript() => InstallShScript.Value;

    private static readonly Lazy<string> InstallShScript = new(() =>
    {
        var script = ExampleProfiles.Text("okta-direct", "install.sh");
        var start = script.IndexOf('\n', script.IndexOf("\"$PYTHON\" - \"$ACTUAL_HOME/.aws/config\"", StringComparison.Ordinal)) + 1;
        return script[start..script.IndexOf("\nPY\n", start, StringComparison.Ordinal)] + "\n";
    });
}
