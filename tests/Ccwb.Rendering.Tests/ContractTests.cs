using System.Text;
using System.Text.RegularExpressions;
using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Config;
using Ccwb.Contract.Install;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// The contract between what the toolkit writes and what users' machines run: every program a generated file names
/// is one the package ships for that file's platform, and every command line it writes is one that program accepts,
/// with flags this version has. Run over everything Package renders for every example profile.
/// </summary>
public partial class ContractTests
{
    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Every_command_a_generated_file_runs_names_a_shipped_program_with_arguments_it_accepts(string profile)
    {
        var problems = new List<string>();
        foreach (var file in ExampleProfiles.Render(profile))
            foreach (var command in GeneratedCommands.In(file.Path, Encoding.UTF8.GetString(file.Content)))
                if (GeneratedCommands.Problem(command) is { } problem) problems.Add($"{file.Path}:{command.Line}: {problem} ({command.Text.Trim()})");
        Assert.Empty(problems);
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Config_json_holds_only_keys_the_helper_acts_on_or_that_are_there_for_people_and_installers(string profile)
    {
        using var document = System.Text.Json.JsonDocument.Parse(ExampleProfiles.Text(profile, "config.json"));
        foreach (var entry in document.RootElement.EnumerateObject())
            foreach (var key in entry.Value.EnumerateObject())
            {
                var known = ConfigKeys.Find(key.Name);
                Assert.True(known is not null, $"config.json key {key.Name} is not in the contract's catalogue");
                Assert.True(known!.Use is ConfigKeyUse.Helper or ConfigKeyUse.Informational or ConfigKeyUse.Installer,
                    $"config.json key {key.Name} is {known.Use}: the helper does not act on it");
            }
    }

    [Fact]
    public void The_check_finds_a_flag_the_program_does_not_have()
    {
        var commands = GeneratedCommands.In("install.sh", "exec \"$INSTALL_DIR/credential-process\" --profile p --no-such-flag\n").ToList();
        Assert.Equal("flag provided but not defined: -no-such-flag", GeneratedCommands.Problem(Assert.Single(commands)));
    }

    [Fact]
    public void The_check_finds_a_flag_this_version_does_not_run_yet()
    {
        var unavailable = ShippedPrograms.CredentialProcess.Flags.FirstOrDefault(f => !f.Available && f.Kind == FlagKind.Switch);
        if (unavailable is null) return; // every upstream flag is available
        var command = Assert.Single(GeneratedCommands.In("settings.json", $"  \"awsAuthRefresh\": \"{InstallPlaceholders.CredentialProcess} --{unavailable.Name} --profile p\",\n"));
        Assert.Equal($"--{unavailable.Name} is not available in this version", GeneratedCommands.Problem(command));
    }

    [Theory]
    [InlineData("install.bat", "\"%INSTALL_DIR%\\otel-helper-nope.exe\"\r\n", 0)]
    [InlineData("cowork-3p.mobileconfig", "<string>__CCWB_HOME__/claude-code-with-bedrock/ccwb-user-setup.exe</string>\n", 1)]
    public void The_check_finds_a_program_not_shipped_for_the_file_s_platform(string path, string text, int expected)
    {
        var problems = GeneratedCommands.In(path, text).Select(GeneratedCommands.Problem).Where(p => p is not null).ToList();
        Assert.Equal(expected, problems.Count);
    }
}

/// <summary>A program named in a generated file, with the text that follows it on the line.</summary>
public sealed record GeneratedCommand(string Program, Platforms Platform, int Line, string Text, IReadOnlyList<string> Arguments);

public static partial class GeneratedCommands
{
    // A program's name as a file name: after a path separator, quote, space or line start, and not part of a longer
    // name (credential-process-linux-x64 is a file in the package, not a program).
    [GeneratedRegex(@"(?<![\w.-])(?<name>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?<ext>\.exe|\.cmd|\.sh|\.ps1)?(?![\w.-])")]
    private static partial Regex ProgramToken();

    private static readonly string[] CommandEnds = ["||", "&&", " | ", ";", ">", "<", ")", "`", "\",", "\"}", " #", "\\n"];

    /// <summary>Every mention of a known (or placeholder) program in a file, with its arguments.</summary>
    public static IEnumerable<GeneratedCommand> In(string path, string text)
    {
        var platform = PlatformOf(path);
        var lines = InstallPlaceholders.ResolvePrograms(text, program => program).Split('\n');
        var candidates = ShippedPrograms.All.Select(p => p.Name).Concat(InstallPlaceholders.Programs.Select(p => p.Value)).ToHashSet();
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match match in ProgramToken().Matches(lines[i]))
            {
                var name = match.Groups["name"].Value;
                if (!candidates.Contains(name)) continue;
                var rest = lines[i][(match.Index + match.Length)..].TrimStart('"', '\'', '\\');
                var end = CommandEnds.Select(e => rest.IndexOf(e, StringComparison.Ordinal)).Where(x => x >= 0).DefaultIfEmpty(rest.Length).Min();
                var words = rest[..end].TrimEnd('"', '\r').Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(w => w.Trim('"', '\'')).ToList();
                // Words that do not start with a dash are prose or another command's arguments, not flags.
                if (words.Count > 0 && !words[0].StartsWith('-')) words.Clear();
                yield return new GeneratedCommand(name, platform, i + 1, lines[i], words);
            }
        }
    }

    /// <summary>Why the command would not run on a user's machine, or null.</summary>
    public static string? Problem(GeneratedCommand command)
    {
        var program = ShippedPrograms.Find(command.Program);
        if (program is null) return $"{command.Program} is not a program this version ships";
        if ((program.Platforms & command.Platform) != command.Platform) return $"{command.Program} is not shipped for {command.Platform}";
        var parsed = program.Parse(command.Arguments);
        if (parsed.Error is { } error) return error;
        if (parsed.UnavailableFlags.FirstOrDefault() is { } flag) return $"--{flag.Name} is not available in this version";
        return null;
    }

    private static Platforms PlatformOf(string path)
    {
        var extension = Path.GetExtension(path);
        return extension switch
        {
            ".sh" or ".yaml" => Platforms.Unix,
            ".mobileconfig" => Platforms.MacOS,
            ".bat" or ".cmd" or ".reg" or ".admx" or ".adml" or ".ps1" => Platforms.Windows,
            _ => Platforms.All,
        };
    }
}
