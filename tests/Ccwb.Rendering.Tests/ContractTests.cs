using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Config;
using Ccwb.Contract.Install;
using Ccwb.Packaging;
using Ccwb.Packaging.Deb;
using Ccwb.Packaging.MacOS;
using Ccwb.Packaging.Windows;
using Ccwb.Rendering.ClaudeCode;
using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// The contract between what the toolkit writes and what users' machines run: every program a generated file names
/// is one the package ships for that file's platform, and every command line it writes is one that program accepts,
/// with flags this version has. Run over everything Package renders for every example profile, and over the installers'
/// own sources: the MSI's custom actions and Active Setup command, the deb's maintainer scripts and its
/// configure-aws-profile, the macOS package's scripts, LaunchAgent and the files it installs.
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
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Every_command_an_msi_custom_action_or_active_setup_runs_names_a_shipped_windows_program_with_arguments_it_accepts(string profile)
    {
        var profileArguments = MsiProfileArguments(profile);
        var commands = InstallerCommands.InWix(File.ReadAllText(Wxs), profileArguments).ToList();
        // UserSetupInstall (with and without settings), UserSetupRollback, UserSetupUninstall, the Active Setup StubPath.
        Assert.Equal(5, commands.Count);
        Assert.Empty(commands.Select(c => GeneratedCommands.Problem(c) is { } p ? $"{c.Text}: {p}" : null).OfType<string>());
        Assert.Contains(commands, c => c.Arguments.Contains(profileArguments.Split(' ')[1]));
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Every_command_a_deb_maintainer_script_runs_names_a_program_the_deb_ships_with_arguments_it_accepts(string profile)
    {
        var problems = new List<string>();
        var found = 0;
        foreach (var script in DebScripts)
        {
            var text = File.ReadAllText(Repo.PathOf("installers", "linux", script)).Replace("@PACKAGE@", ReleaseRequest.PackageName, StringComparison.Ordinal)
                .Replace("@PROFILE_REGIONS@", string.Join(' ', MsiProfileArguments(profile).Split(' ').Where((_, i) => i % 2 == 1)), StringComparison.Ordinal);
            foreach (var command in InstallerCommands.InShellScript(script, text, Platforms.Linux))
            {
                found++;
                if (GeneratedCommands.Problem(command) is { } problem) problems.Add($"{script}:{command.Line}: {problem} ({command.Text.Trim()})");
            }
        }
        Assert.Empty(problems);
        Assert.True(found >= 2, "postinst's --version check and configure-aws-profile's credential_process line");
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Every_file_and_command_the_macos_package_names_is_one_it_installs_and_a_program_it_ships_accepts(string profile)
    {
        using var rendered = new TempDirectory("ccwb-contract-pkg");
        var payload = MacPackageBuilder.Payload(MacSpec(profile, rendered));
        var lib = "/" + MacPackageBuilder.LibFolder(MacSpec(profile, rendered));
        var installed = payload.Entries.Where(e => !e.IsDirectory).Select(e => "/" + e.Path)
            .Concat(MacReleaseSteps.ProgramNames.Select(p => $"{lib}/{p}")).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var found = 0;
        var postinstall = File.ReadAllText(Repo.PathOf("installers", "macos", "postinstall")).Replace("@PACKAGE@", ReleaseRequest.PackageName, StringComparison.Ordinal);
        var texts = payload.Entries.Where(e => !e.IsDirectory && !e.Path.Contains("/arm64/", StringComparison.Ordinal) && !e.Path.Contains("/x86_64/", StringComparison.Ordinal))
            .Select(e => (e.Path, Text: Encoding.UTF8.GetString(e.Content))).Append(("postinstall", postinstall));
        foreach (var (path, text) in texts)
        {
            // What the package folder holds once postinstall has run: the payload's files and this Mac's build of each program.
            foreach (Match named in Regex.Matches(text, Regex.Escape(lib) + @"/[A-Za-z0-9._-]+"))
                if (!installed.Contains(named.Value)) problems.Add($"{path}: names {named.Value}, which the package does not install");
            Assert.DoesNotContain(InstallPlaceholders.Home, text, StringComparison.Ordinal);
            foreach (var command in InstallerCommands.InShellScript(path, text, Platforms.MacOS))
            {
                found++;
                if (GeneratedCommands.Problem(command) is { } problem) problems.Add($"{path}:{command.Line}: {problem} ({command.Text.Trim()})");
            }
        }
        Assert.Empty(problems);
        Assert.True(found >= 4, "the LaunchAgent's and uninstall's configure-aws-profile, configure-aws-profile's credential_process line, postinstall's commands");
        if (ExampleProfiles.Render(profile).Any(f => f.Path == CoworkFiles.HelperSh))
            Assert.Contains($"{lib}/{CoworkFiles.HelperSh}", installed);
    }

    /// <summary>The macOS package spec Package makes for the profile, from its rendered files and stand-in programs.</summary>
    private static MacPackageSpec MacSpec(string profile, TempDirectory folder)
    {
        var loaded = ExampleProfiles.Load(profile);
        foreach (var file in ExampleProfiles.Render(profile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(folder.Combine(file.Path))!);
            File.WriteAllBytes(folder.Combine(file.Path), file.Content);
        }
        var program = folder.Combine("program");
        File.WriteAllText(program, "a Mach-O build\n");
        string? Rendered(string relative) => File.Exists(folder.Combine(relative)) ? folder.Combine(relative) : null;
        return new MacPackageSpec
        {
            PackageName = ReleaseRequest.PackageName,
            Version = "1.0.0",
            ProfileName = loaded.Name,
            Programs = [.. MacReleaseSteps.ProgramNames.Select(p => new MacProgram(p, program, program))],
            ConfigJsonPath = Rendered(PackageFiles.ConfigJson),
            SettingsPath = Rendered(PackageFiles.SettingsPath(loaded)),
            CoworkMobileconfigPath = Rendered(CoworkFiles.Mobileconfig),
            CoworkCredentialHelperPath = Rendered(CoworkFiles.HelperSh),
            AwsProfiles = [.. ConfigJsonBuilder.AwsProfiles(loaded).Select(p => new AwsProfile(p.Name, p.Region))],
            SourceDateEpoch = 1_700_000_000,
            TemplateDirectory = Repo.PathOf("installers", "macos"),
        };
    }

    [Fact]
    public void The_installer_check_finds_a_custom_action_a_program_does_not_accept_and_a_program_the_deb_does_not_ship()
    {
        const string Wix = """
            <Wix xmlns="http://schemas.microsoft.com/wix/2006/wi"><Product>
              <CustomAction Id="A" FileKey="UserSetupExe" Execute="deferred" ExeCommand="install --no-such-flag" />
              <CustomAction Id="B" FileKey="HelperExe" Execute="deferred" ExeCommand="--login --profile p" />
              <File Id="UserSetupExe" Name="ccwb-user-setup.exe" /><File Id="HelperExe" Name="credential-process.exe" />
            </Product></Wix>
            """;
        Assert.Equal("flag provided but not defined: -no-such-flag | (none)",
            string.Join(" | ", InstallerCommands.InWix(Wix, "").Select(c => GeneratedCommands.Problem(c) ?? "(none)")));

        var deb = InstallerCommands.InShellScript("postinst", "helper=/usr/lib/pkg/credential-process\n\"$helper\" --desktop=maybe\n/usr/lib/pkg/ccwb-user-setup install\n", Platforms.Linux).ToList();
        Assert.Equal("(none) | invalid boolean value \"maybe\" for -desktop | ccwb-user-setup is not shipped for Linux",
            string.Join(" | ", deb.Select(c => GeneratedCommands.Problem(c) ?? "(none)")));
    }

    private static readonly string Wxs = Repo.PathOf("installers", "windows", "claude-code-with-bedrock.wxs");

    private static readonly string[] DebScripts =
        [.. new[] { "preinst", "postinst", "prerm", "postrm", "configure-aws-profile" }.Where(s => File.Exists(Repo.PathOf("installers", "linux", s)))];

    /// <summary>The --profile NAME=REGION arguments the MSI build passes for this profile.</summary>
    private static string MsiProfileArguments(string profile) =>
        MsiBuilder.ProfileArguments([.. ConfigJsonBuilder.AwsProfiles(ExampleProfiles.Load(profile)).Select(p => new AwsProfile(p.Name, p.Region))]);

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void The_aws_profiles_the_installers_create_are_the_config_json_keys_in_their_regions(string profile)
    {
        using var document = System.Text.Json.JsonDocument.Parse(ExampleProfiles.Text(profile, "config.json"));
        var inConfig = document.RootElement.EnumerateObject().Select(e => (e.Name, e.Value.GetProperty("aws_region").GetString()!)).ToList();
        Assert.Equal(inConfig, ConfigJsonBuilder.AwsProfiles(ExampleProfiles.Load(profile)));
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

    /// <summary>
    /// A full program ships beside its front, which alone runs it: a generated command must name the front, while the
    /// installers' copies and checks of the file stay allowed.
    /// </summary>
    [Theory]
    [InlineData("credential-process", "credential-process-full", "install.sh", "exec \"$INSTALL_DIR/credential-process-full\" --profile p\n")]
    [InlineData("otel-helper", "otel-helper-full", "settings.json", "  \"otelHeadersHelper\": \"/opt/ccwb/otel-helper-full --profile p\",\n")]
    public void The_check_finds_a_full_program_run_by_a_generated_file_but_not_where_installers_copy_it(string front, string full, string path, string text)
    {
        Assert.Contains(full, ShippedPrograms.NotRunByGeneratedFiles);
        var run = Assert.Single(GeneratedCommands.In(path, text));
        Assert.Equal($"{full} is run only by the {front} front beside it; run {front}", GeneratedCommands.Problem(run));
        var copies = GeneratedCommands.In("install.sh", $"for f in {front} {full}; do\n  chmod 755 \"$INSTALL_DIR/$f\"\ndone\n")
            .Concat(GeneratedCommands.In("install.bat", $"copy /Y \"{full}-windows.exe\" \"%INSTALL_DIR%\\{full}.exe\" >nul\r\n"))
            .ToList();
        Assert.Equal(2, copies.Count(c => c.Program == full));
        Assert.All(copies, c => Assert.Null(GeneratedCommands.Problem(c)));
    }

    [Fact]
    public void The_check_finds_a_flag_this_version_does_not_run_yet()
    {
        // Every shipped flag runs today, so the check is shown on a surface with a flag that does not.
        var surface = new ProgramSurface("credential-process", Platforms.All, "",
            [Flag.Value("profile", "NAME", "profile"), Flag.Switch("later", "not built yet", available: false)]);
        var command = Assert.Single(GeneratedCommands.In("settings.json", $"  \"awsAuthRefresh\": \"{InstallPlaceholders.CredentialProcess} --later --profile p\",\n"));
        Assert.Equal("--later is not available in this version", GeneratedCommands.Problem(command, _ => surface));
    }

    [Theory]
    [InlineData("otel-helper.cmd", "\"%~dp0otel-helper.exe\" --no-such-flag 2>nul\r\n")]
    [InlineData("cowork-credential-helper.cmd", "\"%~dp0credential-process.exe\" --desktop --no-such-flag\r\n")]
    public void The_check_reads_programs_run_from_the_script_s_own_folder(string path, string text)
    {
        var command = Assert.Single(GeneratedCommands.In(path, text));
        Assert.Equal("flag provided but not defined: -no-such-flag", GeneratedCommands.Problem(command));
    }

    /// <summary>install.bat runs ccwb-user-setup's install command: its flags are checked against that command's.</summary>
    [Theory]
    [InlineData("\"%INSTALL_DIR%\\ccwb-user-setup.exe\" install --settings \"claude-settings\\settings.json\" --profile A=us-east-1\r\n", null)]
    [InlineData("\"%INSTALL_DIR%\\ccwb-user-setup.exe\" install --cowork-reg cowork-3p.reg --no-such-flag\r\n", "flag provided but not defined: -no-such-flag")]
    [InlineData("\"%INSTALL_DIR%\\ccwb-user-setup.exe\" repair --profile A=us-east-1\r\n", "unknown command \"repair\" (commands: install, managed-settings, uninstall)")]
    [InlineData("\"%INSTALL_DIR%\\ccwb-user-setup.exe\" managed-settings --settings s.json --output \"C:\\Program Files\\ClaudeCode\\managed-settings.json\"\r\n", null)]
    [InlineData("REM ccwb-user-setup.exe writes this user's settings, as the MSI does\r\n", null)]
    public void The_check_reads_a_program_s_command_and_its_flags(string text, string? expected)
    {
        var command = Assert.Single(GeneratedCommands.In("install.bat", text));
        Assert.Equal(expected, GeneratedCommands.Problem(command));
    }

    [Theory]
    [InlineData("install.bat", "\"%INSTALL_DIR%\\otel-helper-nope.exe\"\r\n", 0)]
    [InlineData("cowork-3p.mobileconfig", "<string>__CCWB_HOME__/claude-code-with-bedrock/ccwb-user-setup.exe</string>\n", 1)]
    public void The_check_finds_a_program_not_shipped_for_the_file_s_platform(string path, string text, int expected)
    {
        var problems = GeneratedCommands.In(path, text).Select(c => GeneratedCommands.Problem(c)).Where(p => p is not null).ToList();
        Assert.Equal(expected, problems.Count);
    }
}

/// <summary>A program named in a generated file, with the text that follows it on the line.</summary>
public sealed record GeneratedCommand(string Program, Platforms Platform, int Line, string Text, IReadOnlyList<string> Arguments);

/// <summary>The commands the installers' own sources run: MSI custom actions and Active Setup, deb maintainer scripts.</summary>
public static partial class InstallerCommands
{
    private static readonly XNamespace Wix = "http://schemas.microsoft.com/wix/2006/wi";

    /// <summary>
    /// Every custom action that runs an installed file (FileKey + ExeCommand) and every Active Setup StubPath, with
    /// $(var.ProfileArguments) as the build defines it and [#FileId] as a path. Both sides of each &lt;?if?&gt; are read.
    /// </summary>
    public static IEnumerable<GeneratedCommand> InWix(string wxs, string profileArguments)
    {
        var document = XDocument.Parse(wxs, LoadOptions.SetLineInfo);
        var files = document.Descendants(Wix + "File").ToDictionary(f => (string)f.Attribute("Id")!, f => (string)f.Attribute("Name")!);
        string Expand(string command) => FileReference().Replace(
            command.Replace("$(var.ProfileArguments)", profileArguments, StringComparison.Ordinal),
            m => $@"C:\Program Files\claude-code-with-bedrock\{files[m.Groups[1].Value]}");
        foreach (var action in document.Descendants(Wix + "CustomAction").Where(a => a.Attribute("FileKey") is not null))
        {
            var program = Path.GetFileNameWithoutExtension(files[(string)action.Attribute("FileKey")!]);
            yield return Command(program, action, Expand((string?)action.Attribute("ExeCommand") ?? ""), WindowsArguments(Expand((string?)action.Attribute("ExeCommand") ?? "")));
        }
        foreach (var stub in document.Descendants(Wix + "RegistryValue").Where(v => (string?)v.Attribute("Name") == "StubPath"))
        {
            var words = WindowsArguments(Expand((string)stub.Attribute("Value")!));
            yield return Command(Path.GetFileNameWithoutExtension(words[0].Replace('\\', '/')), stub, string.Join(' ', words), words[1..]);
        }
    }

    /// <summary>
    /// The commands of a shell script with its simple NAME=VALUE variables expanded (a script that keeps a program's
    /// path in a variable still names it); a /usr/bin/ccwb-NAME link is the program NAME.
    /// </summary>
    public static IEnumerable<GeneratedCommand> InShellScript(string path, string text, Platforms platform)
    {
        foreach (Match assignment in ShellAssignment().Matches(text))
            text = text.Replace("${" + assignment.Groups[1].Value + "}", assignment.Groups[2].Value, StringComparison.Ordinal)
                .Replace("$" + assignment.Groups[1].Value, assignment.Groups[2].Value, StringComparison.Ordinal);
        text = DebCommandLink().Replace(text, "${program}");
        return GeneratedCommands.In(path, text).Select(c => c with { Platform = platform });
    }

    private static GeneratedCommand Command(string program, XElement element, string text, IReadOnlyList<string> arguments) =>
        new(program, Platforms.Windows, ((System.Xml.IXmlLineInfo)element).LineNumber, text, arguments);

    /// <summary>Splits a Windows command line the way a program's argv is made: spaces separate, double quotes group.</summary>
    private static List<string> WindowsArguments(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in commandLine)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted)
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else { word.Append(c); any = true; }
        }
        if (any) words.Add(word.ToString());
        return words;
    }

    [GeneratedRegex(@"\[#(\w+)\]")]
    private static partial Regex FileReference();

    // The deb's /usr/bin links to its programs (DebPackageBuilder).
    [GeneratedRegex(@"\bccwb-(?<program>credential-process|configure-aws-profile)\b")]
    private static partial Regex DebCommandLink();

    [GeneratedRegex(@"^(\w+)=([^\s""'`$]+)$", RegexOptions.Multiline)]
    private static partial Regex ShellAssignment();
}

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
        var candidates = ShippedPrograms.All.Select(p => p.Name).Concat(InstallPlaceholders.Programs.Select(p => p.Value))
            .Concat(ShippedPrograms.NotRunByGeneratedFiles).ToHashSet();
        for (var i = 0; i < lines.Length; i++)
        {
            // cmd's %~dp0 (the script's own folder, with its trailing backslash) is glued to the program's name.
            var line = lines[i].Replace("%~dp0", "%~dp0\\", StringComparison.Ordinal);
            foreach (Match match in ProgramToken().Matches(line))
            {
                var name = match.Groups["name"].Value;
                if (!candidates.Contains(name)) continue;
                var rest = line[(match.Index + match.Length)..].TrimStart('"', '\'', '\\');
                var end = CommandEnds.Select(e => rest.IndexOf(e, StringComparison.Ordinal)).Where(x => x >= 0).DefaultIfEmpty(rest.Length).Min();
                var words = rest[..end].TrimEnd('"', '\r').Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(w => w.Trim('"', '\'')).ToList();
                // Words that do not start with a dash are prose or another command's arguments, not flags, unless the
                // first names one of the program's commands (ccwb-user-setup install --profile ...) or, for a program
                // of commands, flags follow it: then it is meant as a command, and an unknown one is reported.
                if (words.Count > 0 && !words[0].StartsWith('-')
                    && !(ShippedPrograms.Find(name) is { Subcommands.Count: > 0 } surface
                         && (surface.Subcommands.Any(c => c.Name == words[0]) || words.Skip(1).Any(w => w.StartsWith("--", StringComparison.Ordinal)))))
                    words.Clear();
                yield return new GeneratedCommand(name, platform, i + 1, lines[i], words);
            }
        }
    }

    /// <summary>Why the command would not run on a user's machine, or null.</summary>
    /// <param name="find">The shipped programs' surfaces by name (the contract's, unless a test gives others).</param>
    public static string? Problem(GeneratedCommand command, Func<string, ProgramSurface?>? find = null)
    {
        // Named without flags it is a file being copied or checked; with flags, a command that skips the front.
        if (ShippedPrograms.NotRunByGeneratedFiles.Contains(command.Program))
            return command.Arguments.Count == 0 ? null
                : $"{command.Program} is run only by the {ShippedPrograms.FrontOf(command.Program)} front beside it; run {ShippedPrograms.FrontOf(command.Program)}";
        var program = (find ?? ShippedPrograms.Find)(command.Program);
        if (program is null) return $"{command.Program} is not a program this version ships";
        if ((program.Platforms & command.Platform) != command.Platform) return $"{command.Program} is not shipped for {command.Platform}";
        // A program of commands named without one is a file being copied or mentioned (install.bat copies ccwb-user-setup).
        if (program.Subcommands.Count > 0 && command.Arguments.Count == 0) return null;
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
