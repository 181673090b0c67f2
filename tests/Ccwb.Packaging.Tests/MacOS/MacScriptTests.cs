using Ccwb.Contract.Files;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>
/// The package's scripts, taken out of a built package and run with dash in a temporary root and homes: only the
/// macOS-only commands (sysctl, scutil, launchctl, pkgutil) and sudo (the tests are not root) are stubs, and each
/// stub records its call for the assertions.
/// </summary>
public sealed class MacScriptTests : IDisposable
{
    private const string Lib = "usr/local/lib/claude-code-with-bedrock";
    private const string AliceConfig = "[default]\r\nregion = eu-west-1\r\n\r\n[profile Other]\nregion = ap-south-1\n# kept as it is";
    private readonly MacPackageInputs _inputs = new();
    private readonly TempDirectory _work = new("ccwb-macscripts");
    private readonly string _root;
    private readonly string _scripts;
    private readonly string _stubs;
    private readonly string _calls;

    public MacScriptTests()
    {
        _root = _work.Combine("root");
        _scripts = _work.Combine("scripts");
        _stubs = _work.Combine("stubs");
        _calls = _work.Combine("calls.log");
        var parts = _work.Combine("parts");
        foreach (var d in new[] { _root, _scripts, _stubs, parts }) Directory.CreateDirectory(d);
        Run.Checked("bsdtar", "-xf", _inputs.Build(), "-C", parts);
        Unpack(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload"), _root);
        Unpack(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Scripts"), _scripts);
        Directory.CreateDirectory(Path.Combine(_root, "Users", "alice", ".aws"));
        foreach (var user in new[] { "alice", "bob" }) Directory.CreateDirectory(Path.Combine(_root, "Users", user, "Library", "Application Support"));
        File.WriteAllText(AwsConfig("alice"), AliceConfig);

        Stub("sysctl", """[ "$*" = "-n hw.optional.arm64" ] && echo 1""");
        Stub("scutil", "cat >/dev/null; printf '<dictionary> {\\n  Name : alice\\n  UID : 501\\n  GID : 20\\n}\\n'");
        Stub("launchctl", """if [ "$1" = asuser ]; then shift 2; exec "$@"; fi""");
        Stub("pkgutil", ":");
        // sudo -u USER -H COMMAND...: the command in that user's home under the temporary root.
        Stub("sudo", $"""[ "$1" = -u ] && [ "$3" = -H ] || exit 99; user=$2; shift 3; HOME="{_root}/Users/$user" exec "$@" """);
    }

    public void Dispose()
    {
        _inputs.Dispose();
        _work.Dispose();
    }

    [Fact]
    public void Rendered_scripts_pass_shellcheck()
    {
        var result = Run.Tool("shellcheck", ["-s", "sh", Path.Combine(_scripts, "postinstall"),
            Path.Combine(_root, Lib, "configure-aws-profile"), Path.Combine(_root, Lib, "uninstall")]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Postinstall_installs_this_macs_build_and_adds_the_console_users_profiles_keeping_every_other_byte()
    {
        var result = Sh(Path.Combine(_scripts, "postinstall"), "/path/to/pkg", "/", _root);
        Assert.True(result.ExitCode == 0, result.ToString());

        Assert.Equal(MacPackageInputs.Arm64Program, File.ReadAllText(Path.Combine(_root, Lib, "credential-process")));
        Assert.Equal("../lib/claude-code-with-bedrock/credential-process", new FileInfo(Path.Combine(_root, "usr/local/bin/ccwb-credential-process")).LinkTarget);
        // Set as every installer sets a profile (the C# editor of Ccwb.Contract is the reference): CRLF kept, no other byte touched.
        Assert.Equal(Visible(WithProfiles(AliceConfig)), Visible(File.ReadAllText(AwsConfig("alice"))));
        Assert.Contains("[profile Other]\nregion = eu-west-1\n", File.ReadAllText(AwsConfig("alice")), StringComparison.Ordinal);
        Assert.Equal([
            "sysctl -n hw.optional.arm64",
            "scutil",
            $"launchctl asuser 501 sudo -u alice -H /bin/sh {_root}/{Lib}/configure-aws-profile",
            $"sudo -u alice -H /bin/sh {_root}/{Lib}/configure-aws-profile",
        ], Calls());

        var before = Snapshot();
        File.Delete(_calls);
        Assert.Equal(0, Sh(Path.Combine(_scripts, "postinstall"), "/path/to/pkg", "/", _root).ExitCode);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Postinstall_on_an_intel_mac_installs_the_x64_build()
    {
        Stub("sysctl", "echo 0");
        Assert.Equal(0, Sh(Path.Combine(_scripts, "postinstall"), "/p", "/", _root).ExitCode);
        Assert.Equal(MacPackageInputs.X64Program, File.ReadAllText(Path.Combine(_root, Lib, "credential-process")));
    }

    [Fact]
    public void Login_step_adds_the_profiles_once_per_version_in_a_new_0600_config()
    {
        var bob = new Dictionary<string, string?> { ["HOME"] = Path.Combine(_root, "Users", "bob") };
        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), environment: bob).ExitCode);
        var expected = "[profile ClaudeCode]\ncredential_process = /usr/local/lib/claude-code-with-bedrock/credential-process --profile ClaudeCode\nregion = us-east-1\n\n" +
                       "[profile Other]\ncredential_process = /usr/local/lib/claude-code-with-bedrock/credential-process --profile Other\nregion = eu-west-1\n";
        Assert.Equal(expected, File.ReadAllText(AwsConfig("bob")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AwsConfig("bob")));

        // The next login: nothing changes, even after the user deleted a profile on purpose.
        File.WriteAllText(AwsConfig("bob"), "");
        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), environment: bob).ExitCode);
        Assert.Equal("", File.ReadAllText(AwsConfig("bob")));
    }

    [Fact]
    public void Login_step_sets_the_keys_of_an_existing_profile_in_place_and_remove_puts_the_file_back()
    {
        var alice = new Dictionary<string, string?> { ["HOME"] = Path.Combine(_root, "Users", "alice") };
        const string Before = "[profile ClaudeCode]\nregion = eu-west-1\noutput = json\n\n[profile Mine]\nregion = us-west-2\n";
        File.WriteAllText(AwsConfig("alice"), Before);
        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), environment: alice).ExitCode);
        Assert.Equal(WithProfiles(Before), File.ReadAllText(AwsConfig("alice")));
        Assert.StartsWith("[profile ClaudeCode]\nregion = us-east-1\noutput = json\ncredential_process = ", File.ReadAllText(AwsConfig("alice")), StringComparison.Ordinal);

        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), ["--remove"], alice).ExitCode);
        Assert.Equal(Before, File.ReadAllText(AwsConfig("alice")));
    }

    [Fact]
    public void Remove_after_the_user_changed_an_edited_profile_takes_out_its_section_like_the_csharp_editor()
    {
        var alice = new Dictionary<string, string?> { ["HOME"] = Path.Combine(_root, "Users", "alice") };
        const string Before = "[profile ClaudeCode]\nregion = eu-west-1\n\n[profile Mine]\nregion = us-west-2\n";
        File.WriteAllText(AwsConfig("alice"), Before);
        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), environment: alice).ExitCode);
        var changed = File.ReadAllText(AwsConfig("alice")).Replace("[profile Mine]\nregion = us-west-2", "[profile Mine]\nregion = eu-north-1", StringComparison.Ordinal);
        File.WriteAllText(AwsConfig("alice"), changed);

        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), ["--remove"], alice).ExitCode);
        var expected = AwsIniText.Parse(changed);
        Assert.True(expected.RemoveSection("profile Other"));
        Assert.True(expected.RemoveSection("profile ClaudeCode"));
        Assert.Equal(expected.ToString(), File.ReadAllText(AwsConfig("alice")));
        Assert.Contains("[profile Mine]\nregion = eu-north-1\n", File.ReadAllText(AwsConfig("alice")), StringComparison.Ordinal);
        Assert.DoesNotContain("credential_process", File.ReadAllText(AwsConfig("alice")), StringComparison.Ordinal);
    }

    [Fact]
    public void Uninstall_takes_out_exactly_what_was_added()
    {
        var pristine = Snapshot();
        Assert.Equal(0, Sh(Path.Combine(_scripts, "postinstall"), "/p", "/", _root).ExitCode);
        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"),
            environment: new Dictionary<string, string?> { ["HOME"] = Path.Combine(_root, "Users", "bob") }).ExitCode);
        File.Delete(_calls);

        var result = Sh(Path.Combine(_root, Lib, "uninstall"), _root);
        Assert.True(result.ExitCode == 0, result.ToString());

        Assert.Equal(AliceConfig, File.ReadAllText(AwsConfig("alice")));
        Assert.False(Directory.Exists(Path.Combine(_root, "Users", "bob", ".aws")));
        Assert.False(Directory.Exists(Path.Combine(_root, Lib)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "usr/local/bin")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "Library"), "*", SearchOption.AllDirectories));
        Assert.Equal(pristine.Where(p => p.StartsWith("Users/", StringComparison.Ordinal)), Snapshot().Where(p => p.StartsWith("Users/", StringComparison.Ordinal)));
        Assert.Contains($"sudo -u alice -H /bin/sh {_root}/{Lib}/configure-aws-profile --remove", Calls());
        Assert.Contains($"sudo -u bob -H /bin/sh {_root}/{Lib}/configure-aws-profile --remove", Calls());
        Assert.Contains("pkgutil --forget com.claudecodewithbedrock.pkg", Calls());
        // A LaunchAgent is loaded in the user's gui domain: unloading it from the system domain would do nothing.
        Assert.Contains("launchctl bootout gui/501/com.claudecodewithbedrock.aws-profile", Calls());
        Assert.DoesNotContain(Calls(), c => c.StartsWith("launchctl bootout system", StringComparison.Ordinal));
    }

    [Fact]
    public void Remove_after_the_user_edited_below_the_block_takes_out_only_the_section()
    {
        var alice = new Dictionary<string, string?> { ["HOME"] = Path.Combine(_root, "Users", "alice") };
        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), environment: alice).ExitCode);
        File.AppendAllText(AwsConfig("alice"), "\n[profile Mine]\nregion = us-west-2\n");
        Assert.Equal(0, Sh(Path.Combine(_root, Lib, "configure-aws-profile"), ["--remove"], alice).ExitCode);
        var text = File.ReadAllText(AwsConfig("alice"));
        Assert.DoesNotContain("[profile ClaudeCode]", text);
        Assert.Contains("[profile Mine]\nregion = us-west-2\n", text);
        Assert.StartsWith(AliceConfig.Split('\n')[0], text);
    }

    /// <summary>The text after the package's profiles are set in <paramref name="config"/>, as the C# editor sets them.</summary>
    private static string WithProfiles(string config)
    {
        var text = AwsIniText.Parse(config);
        foreach (var (name, region) in new[] { ("ClaudeCode", "us-east-1"), ("Other", "eu-west-1") })
            text.SetKeys(AwsIniText.ProfileSection(name),
                [new("credential_process", $"/{Lib}/credential-process --profile {name}"), new("region", region)]);
        return text.ToString();
    }

    private static string Visible(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal);

    private string AwsConfig(string user) => Path.Combine(_root, "Users", user, ".aws", "config");

    private void Stub(string name, string body)
    {
        var path = Path.Combine(_stubs, name);
        File.WriteAllText(path, $"#!/bin/sh\nprintf '%s\\n' \"{name}${{*:+ $*}}\" >>'{_calls}'\n{body}\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
    }

    private List<string> Calls() => File.Exists(_calls) ? [.. File.ReadAllLines(_calls)] : [];

    private Run.Result Sh(string script, params string[] arguments) => Sh(script, arguments, null);

    private Run.Result Sh(string script, string[]? arguments = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?> { ["PATH"] = $"{_stubs}:/usr/bin:/bin", ["HOME"] = _work.Combine("nohome") };
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) variables[k] = v;
        return Run.Tool("dash", [script, .. arguments ?? []], environment: variables);
    }

    /// <summary>Every path under the root with its type, mode and content hash: a second run must leave it identical.</summary>
    private List<string> Snapshot() =>
        [.. Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(p =>
        {
            var info = new FileInfo(p);
            var relative = Path.GetRelativePath(_root, p);
            if (info.LinkTarget is not null) return $"{relative} -> {info.LinkTarget}";
            if (Directory.Exists(p)) return $"{relative}/";
            return $"{relative} {File.GetUnixFileMode(p)} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))}";
        })];

    private static void Unpack(string archive, string target) =>
        Assert.Equal(0, Run.Tool("/bin/sh", ["-c", $"gzip -dc '{archive}' | (cd '{target}' && cpio -idm --quiet --no-preserve-owner)"]).ExitCode);
}
