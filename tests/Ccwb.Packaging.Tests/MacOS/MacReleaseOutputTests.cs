using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Packaging.Manifest;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Profiles;
using Ccwb.Rendering;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>The pkg and the zip as the real Package run (the shared fixture) writes them.</summary>
public sealed class MacReleaseOutputTests(PackageFixture package) : IDisposable
{
    private readonly TempDirectory _work = new("ccwb-macrelease");

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Package_writes_one_pkg_carrying_each_macos_build_as_published()
    {
        var pkg = package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Pkg);
        Assert.Equal($"installers/claude-code-with-bedrock-{PackageFixture.Version}.pkg", pkg.Path);
        var parts = _work.Combine("parts");
        Directory.CreateDirectory(parts);
        Run.Checked("bsdtar", "-xf", package.PathOf(pkg.Path), "-C", parts);
        var root = _work.Combine("root");
        Directory.CreateDirectory(root);
        var payload = Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload");
        Assert.Equal(0, Run.Tool("/bin/sh", ["-c", $"gzip -dc '{payload}' | (cd '{root}' && cpio -idm --quiet --no-preserve-owner)"]).ExitCode);

        foreach (var (folder, rid, cpuType) in new[] { ("arm64", "osx-arm64", 0x0100000Cu), ("x86_64", "osx-x64", 0x01000007u) })
        foreach (var program in new[] { "credential-process", "credential-process-full", "otel-helper", "otel-helper-full" })
        {
            var installed = File.ReadAllBytes(Path.Combine(root, "usr/local/lib/claude-code-with-bedrock", folder, program));
            Assert.Equal(File.ReadAllBytes(package.PathOf($"bin/{rid}/{program}")), installed);
            Assert.Equal(0xFEEDFACFu, BinaryPrimitives.ReadUInt32LittleEndian(installed)); // 64-bit Mach-O
            Assert.Equal(cpuType, BinaryPrimitives.ReadUInt32LittleEndian(installed.AsSpan(4)));
        }
        Assert.Equal(File.ReadAllBytes(package.RenderedFile("config.json")),
            File.ReadAllBytes(Path.Combine(root, "usr/local/lib/claude-code-with-bedrock/config.json")));
        var bom = BomReader.ReadPaths(File.ReadAllBytes(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Bom")));
        Assert.Equal(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(root, p)).Append(".").Order(StringComparer.Ordinal),
            bom.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Equal(pkg.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(package.PathOf(pkg.Path)))));
    }

    /// <summary>
    /// The macOS programs keep the ad-hoc signature the linker gave them (Apple silicon runs no unsigned code): every
    /// page still hashes as the CodeDirectory says, so nothing after the link (reproducibility steps, packaging) touched
    /// them. A changed byte is caught.
    /// </summary>
    [Theory]
    [InlineData("osx-arm64")]
    [InlineData("osx-x64")]
    public void Macos_programs_keep_a_valid_ad_hoc_signature(string rid)
    {
        foreach (var program in new[] { "credential-process", "credential-process-full", "otel-helper", "otel-helper-full" })
        {
            var binary = File.ReadAllBytes(package.PathOf($"bin/{rid}/{program}"));

            var signature = MachOCodeSignature.Read(binary);

            Assert.NotNull(signature);
            Assert.Equal((program, true), (signature.Identifier, signature.AdHoc));
            Assert.True(signature.Pages > 1);
            Assert.Empty(signature.PagesNotMatching);
            binary[binary.Length / 3] ^= 0x01;
            Assert.Equal([binary.Length / 3 / 4096], MachOCodeSignature.Read(binary)!.PagesNotMatching);
        }
    }

    [Fact]
    public void Zip_lists_every_platforms_helper_under_the_names_install_sh_and_install_bat_use()
    {
        var zipArtifact = package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Zip);
        using var zip = ZipFile.OpenRead(package.PathOf(zipArtifact.Path));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "install.sh", "install.bat", "config.json", "README.md", "credential-process-macos-arm64",
                     "credential-process-macos-intel", "credential-process-linux-x64", "credential-process-linux-arm64", "credential-process-windows.exe" })
            Assert.Contains(expected, names);
        Assert.Contains(names, n => n.StartsWith("claude-settings/", StringComparison.Ordinal));
        foreach (var (entry, rid) in new[] { ("credential-process-linux-x64", "linux-x64"), ("credential-process-windows.exe", "win-x64") })
        {
            using var stream = zip.GetEntry(entry)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var binary = package.Manifest.Binaries.Single(b => b.Rid == rid);
            Assert.Equal(File.ReadAllBytes(package.PathOf(binary.Path!)), copy.ToArray());
        }
    }

    /// <summary>
    /// The zip as a Linux user takes it: unzipped, install.sh run, then the three commands Claude Code and Claude Desktop
    /// run, from caches as a sign-in leaves them; install.sh run again changes nothing in the home folder.
    /// </summary>
    [Fact]
    public void Zip_installs_with_install_sh_and_the_installed_programs_answer_from_the_cache()
    {
        var (home, install, environment) = InstallFromZip("x64");
        var installed = Path.Combine(home, "claude-code-with-bedrock");
        var profile = package.Manifest.Profile;
        CachedCredentials.Seed(home, profile);
        CachedCredentials.AssertPrinted(Run.Tool(Path.Combine(installed, "credential-process"), ["--profile", profile], home, environment));
        CachedCredentials.AssertDesktopToken(() => Run.Tool(Path.Combine(installed, "credential-process"), ["--desktop", "--profile", profile], home, environment));
        CachedCredentials.SeedOtelHeaders(home, profile);
        CachedCredentials.AssertOtelHeaders(Run.Tool(Path.Combine(installed, "otel-helper"), ["--profile", profile], home, environment));

        var before = Snapshot(home);
        var again = install();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(before, Snapshot(home));
    }

    /// <summary>On an arm64 machine (uname -m says aarch64) install.sh installs the arm64 builds, which run under qemu.</summary>
    [Fact]
    public void Zip_installs_the_arm64_programs_on_an_arm64_machine_and_they_answer_from_the_cache()
    {
        var (home, _, environment) = InstallFromZip("arm64", unameMachine: "aarch64");
        var installed = Path.Combine(home, "claude-code-with-bedrock");
        foreach (var program in new[] { "credential-process", "credential-process-full", "otel-helper", "otel-helper-full" })
            Assert.Equal(File.ReadAllBytes(package.PathOf($"bin/linux-arm64/{program}")), File.ReadAllBytes(Path.Combine(installed, program)));
        var profile = package.Manifest.Profile;
        CachedCredentials.Seed(home, profile);
        CachedCredentials.AssertPrinted(Run.Tool("qemu-aarch64-static", ["-L", "/", Path.Combine(installed, "credential-process"), "--profile", profile], home, environment));
        CachedCredentials.SeedOtelHeaders(home, profile);
        CachedCredentials.AssertOtelHeaders(Run.Tool("qemu-aarch64-static", ["-L", "/", Path.Combine(installed, "otel-helper"), "--profile", profile], home, environment));
    }

    /// <summary>
    /// The zip as a Windows user takes it, under wine's cmd in a fresh prefix: install.bat copies the programs and sets
    /// up the user with ccwb-user-setup (settings, AWS profile, Claude Desktop policy); the installed programs answer
    /// from caches as a sign-in leaves them, and install.bat run again changes nothing in the user's folder.
    /// </summary>
    [Fact]
    public void Zip_installs_with_install_bat_under_wine_and_the_installed_programs_answer_from_the_cache()
    {
        var unzipped = _work.Combine("unzipped-windows");
        ZipFile.ExtractToDirectory(package.PathOf(package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Zip).Path), unzipped);
        using var wine = WinePrefix.ForDotNetPrograms();
        var script = WinePrefix.WindowsPath(Path.Combine(unzipped, "install.bat"));
        var profile = package.Manifest.Profile;

        var first = wine.Exec("cmd", "/c", script);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"OK Created AWS profile {profile}", first.Output, StringComparison.Ordinal);
        var home = wine.UserProfile;
        var installDir = Path.Combine(home, "claude-code-with-bedrock");
        foreach (var program in new[] { "credential-process", "credential-process-full", "otel-helper", "otel-helper-full", "ccwb-user-setup" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(unzipped, program + "-windows.exe")), File.ReadAllBytes(Path.Combine(installDir, program + ".exe")));
        var helper = $"C:\\users\\{Environment.UserName}\\claude-code-with-bedrock\\credential-process.exe";
        Assert.Equal($"[profile {profile}]\r\nregion = us-east-1\r\ncredential_process = \"{helper}\" --profile {profile}\r\n",
            File.ReadAllText(Path.Combine(home, ".aws", "config")));
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(home, ".claude", "settings.json")))!;
        Assert.Equal($"{helper.Replace('\\', '/')} --profile {profile}", (string?)settings["env"]!["AWS_CREDENTIAL_PROCESS"]);
        var policy = File.ReadAllText(Path.Combine(installDir, "cowork-3p.reg"));
        Assert.DoesNotContain("__CCWB_HOME", policy, StringComparison.Ordinal);
        // .reg string values double each backslash.
        Assert.Contains($"\"C:\\\\users\\\\{Environment.UserName}\\\\claude-code-with-bedrock\\\\", policy, StringComparison.Ordinal);

        CachedCredentials.Seed(home, profile, "\r\n");
        CachedCredentials.AssertPrinted(wine.Exec(Path.Combine(installDir, "credential-process.exe"), "--profile", profile));
        CachedCredentials.AssertDesktopToken(() => wine.Exec(Path.Combine(installDir, "credential-process.exe"), "--desktop", "--profile", profile));
        CachedCredentials.SeedOtelHeaders(home, profile);
        CachedCredentials.AssertOtelHeaders(wine.Exec(Path.Combine(installDir, "otel-helper.exe"), "--profile", profile));

        var before = UserFiles(home);
        var again = wine.Exec("cmd", "/c", script);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(before, UserFiles(home));
    }

    /// <summary>
    /// A managed profile's install.bat (entra-cognito's) under wine's cmd, which runs as administrator: ccwb-user-setup
    /// writes the machine-wide managed settings with the install folder's paths in place of the placeholders, and the
    /// user's settings.json is left alone. The package folder is the fixture's zip with that profile's files rendered
    /// over it (the programs do not depend on the profile).
    /// </summary>
    [Fact]
    public void A_managed_profiles_install_bat_writes_the_managed_settings_under_wine()
    {
        var folder = _work.Combine("managed-package");
        ZipFile.ExtractToDirectory(package.PathOf(package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Zip).Path), folder);
        var loaded = ProfileLoader.LoadFile(Repo.PathOf("profiles", "examples", "entra-cognito.json"));
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Messages));
        var profile = loaded.Profile!;
        Assert.Equal("managed", profile.SettingsTarget);
        ProfileArtifacts.Write(profile, folder);
        using var wine = WinePrefix.ForDotNetPrograms();

        var run = wine.Exec("cmd", "/c", WinePrefix.WindowsPath(Path.Combine(folder, "install.bat")));

        Assert.True(run.ExitCode == 0, run.ToString());
        var installDir = $"C:\\users\\{Environment.UserName}\\claude-code-with-bedrock";
        // The placeholders sit inside JSON strings: each path goes in JSON-escaped (the helper with forward slashes, as
        // install.bat has always written it, otel-helper with backslashes).
        static string InJson(string text) => JsonSerializer.Serialize(text)[1..^1];
        var expected = File.ReadAllText(Path.Combine(folder, PackageFiles.SettingsPath(profile)))
            .Replace("__CREDENTIAL_PROCESS_PATH__", InJson(installDir.Replace('\\', '/') + "/credential-process.exe"), StringComparison.Ordinal)
            .Replace("__OTEL_HELPER_PATH__", InJson(installDir + "\\otel-helper.exe"), StringComparison.Ordinal);
        var managed = Path.Combine(wine.UserProfile, "..", "..", "Program Files", "ClaudeCode", "managed-settings.json");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(File.ReadAllText(managed))),
            File.ReadAllText(managed));
        Assert.False(File.Exists(Path.Combine(wine.UserProfile, ".claude", "settings.json")));
    }

    /// <summary>
    /// The wine user's files with a hash of each, without links (wine links Documents, Pictures and the like to the
    /// host user's folders) and without the temporary folders wine itself writes to.
    /// </summary>
    private static List<string> UserFiles(string home) =>
    [
        .. new DirectoryInfo(home).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Select(file => Path.GetRelativePath(home, file.FullName))
            .Where(relative => !relative.StartsWith("Temp/", StringComparison.Ordinal) && !relative.StartsWith("AppData/Local/Temp/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(relative => $"{relative} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(home, relative))))}"),
    ];

    /// <summary>
    /// Unzips the package into its own folder and runs install.sh there for a fresh home; <paramref name="unameMachine"/>
    /// stands in for the machine name install.sh reads from <c>uname -m</c>. Returns the home and a way to run it again.
    /// </summary>
    private (string Home, Func<Run.Result> Install, Dictionary<string, string?> Environment) InstallFromZip(string name, string? unameMachine = null)
    {
        var unzipped = _work.Combine($"unzipped-{name}");
        ZipFile.ExtractToDirectory(package.PathOf(package.Manifest.Artifacts.Single(a => a.Type == ArtifactTypes.Zip).Path), unzipped);
        var script = Directory.GetFiles(unzipped, "install.sh", SearchOption.AllDirectories).Single();
        var home = Directory.CreateDirectory(_work.Combine($"home-{name}")).FullName;
        var path = "/usr/bin:/bin:/usr/sbin:/sbin";
        if (unameMachine is not null)
        {
            var bin = Directory.CreateDirectory(_work.Combine($"bin-{name}")).FullName;
            File.WriteAllText(Path.Combine(bin, "uname"), $"#!/bin/sh\n[ \"$1\" = -m ] && {{ echo {unameMachine}; exit 0; }}\nexec /bin/uname \"$@\"\n");
            File.SetUnixFileMode(Path.Combine(bin, "uname"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            path = bin + ":" + path;
        }
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home, ["USER"] = "tester", ["SUDO_USER"] = null, ["PATH"] = path,
            ["CCWB_MANAGED_SETTINGS_DIR"] = _work.Combine($"managed-{name}"),
        };
        Run.Result Install() => Run.Tool("bash", [script], Path.GetDirectoryName(script), environment);
        var first = Install();
        Assert.True(first.ExitCode == 0, first.ToString());
        return (home, Install, environment);
    }

    /// <summary>Every file and folder under <paramref name="root"/> with its mode and, for files, a hash of its bytes.</summary>
    private static List<string> Snapshot(string root) =>
    [
        .. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(entry =>
            $"{Path.GetRelativePath(root, entry)} {File.GetUnixFileMode(entry)} " +
            (File.Exists(entry) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry))) : "folder")),
    ];
}
