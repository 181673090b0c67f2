using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Packaging.Deb;
using Ccwb.Packaging.Tests.Infrastructure;
using Ccwb.Testing;
using Ccwb.Testing.Peers;

namespace Ccwb.Packaging.Tests;

/// <summary>The .deb packages of a real build: contents, lintian, and dpkg in a throw-away Debian root.</summary>
public class DebPackageTests(PackageFixture package)
{
    private const string Amd64 = "claude-code-with-bedrock_1.0.0_amd64.deb";
    private const string Arm64 = "claude-code-with-bedrock_1.0.0_arm64.deb";
    private const string NextAmd64 = "claude-code-with-bedrock_1.0.1_amd64.deb";

    [Theory]
    [InlineData(Amd64)]
    [InlineData(Arm64)]
    public void Contents(string deb)
    {
        Snapshot.Verify(DebListing.Describe(package.Installer(deb)), "txt", deb);
    }

    [Theory]
    [InlineData(Amd64)]
    [InlineData(Arm64)]
    public void Lintian_reports_no_errors_or_warnings(string deb)
    {
        var result = Run.Tool("lintian", ["--tag-display-limit", "0", "--fail-on", "error,warning", package.Installer(deb)]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotMatch("(?m)^[EW]: ", result.Output);
    }

    [Fact]
    public void Managed_settings_are_the_rendered_settings_with_the_installed_helper_path()
    {
        var rendered = File.Exists(package.RenderedFile("claude-settings/managed-settings.json"))
            ? package.RenderedFile("claude-settings/managed-settings.json")
            : package.RenderedFile("claude-settings/settings.json");
        var inDeb = DebListing.ReadFile(package.Installer(Amd64), "./" + DebPackageBuilder.ManagedSettingsPath);
        var expected = File.ReadAllText(rendered)
            .Replace("__CREDENTIAL_PROCESS_PATH__", "/usr/lib/claude-code-with-bedrock/credential-process", StringComparison.Ordinal)
            .Replace("__OTEL_HELPER_PATH__", "/usr/lib/claude-code-with-bedrock/otel-helper", StringComparison.Ordinal);
        Assert.Equal(expected, inDeb);
        Assert.DoesNotContain("__", inDeb, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_inputs_build_a_byte_identical_package()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var spec = new DebPackageSpec
        {
            PackageName = "claude-code-with-bedrock",
            Version = "2.0.0",
            Architecture = "amd64",
            Maintainer = "Example <ops@example.com>",
            ProfileName = "example",
            CredentialProcessPath = package.PathOf("bin/linux-x64/credential-process"),
            ConfigJsonPath = package.RenderedFile("config.json"),
            AwsProfiles = [new AwsProfile("ClaudeCode", "us-east-1")],
            SourceDateEpoch = 1_700_000_000,
            TemplateDirectory = Repo.PathOf("installers", "linux"),
        };
        var a = new DebPackageBuilder().Build(spec, first.Combine("work"), first.Combine("out"));
        Thread.Sleep(1100); // a different wall-clock second must not matter
        var b = new DebPackageBuilder().Build(spec, second.Combine("work"), second.Combine("out"));
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(a)), SHA256.HashData(File.ReadAllBytes(b)));
    }

    [Fact]
    public void Installs_runs_upgrades_removes_and_purges_in_a_debian_root()
    {
        using var root = DebianRoot.Bookworm();
        var deb = root.CopyIn(package.Installer(Amd64));
        var install = root.Exec("dpkg", "-i", deb);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("Each user runs 'ccwb-configure-aws-profile' once", install.Output, StringComparison.Ordinal);

        var version = root.Exec("ccwb-credential-process", "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal($"credential-process {PackageFixture.Version} ({package.Manifest.Commit})", version.Output.Trim());
        Assert.True(File.Exists(root.HostPath("/etc/claude-code/managed-settings.json")));
        Assert.True(File.Exists(root.HostPath("/usr/lib/claude-code-with-bedrock/config.json")));
        // The installed helper finds its config.json beside itself and answers from the user's session cache.
        CachedCredentials.Seed(root.HostPath("/root"), package.Manifest.Profile);
        CachedCredentials.AssertPrinted(root.Exec("ccwb-credential-process", "--profile", package.Manifest.Profile));

        // The per-user profile command: adds the block, keeps the neighbours, and --remove takes only its own block.
        Directory.CreateDirectory(root.HostPath("/root/.aws"));
        File.WriteAllText(root.HostPath("/root/.aws/config"), "[default]\nregion = eu-west-1\n\n[profile other]\nregion = eu-central-1\n");
        var add = root.Exec("ccwb-configure-aws-profile");
        Assert.True(add.ExitCode == 0, add.ToString());
        var profileName = package.Manifest.Profile;
        Assert.Equal(
            "[default]\nregion = eu-west-1\n\n[profile other]\nregion = eu-central-1\n\n" +
            $"[profile {profileName}]\ncredential_process = /usr/lib/claude-code-with-bedrock/credential-process --profile {profileName}\nregion = us-east-1\n",
            File.ReadAllText(root.HostPath("/root/.aws/config")));
        Assert.True(root.Exec("ccwb-configure-aws-profile").ExitCode == 0); // again: replaced, not duplicated
        Assert.Single(File.ReadAllLines(root.HostPath("/root/.aws/config")), l => l == $"[profile {profileName}]");
        Assert.True(root.Exec("ccwb-configure-aws-profile", "--remove").ExitCode == 0);
        Assert.Equal("[default]\nregion = eu-west-1\n\n[profile other]\nregion = eu-central-1\n", File.ReadAllText(root.HostPath("/root/.aws/config")));

        var upgrade = root.Exec("dpkg", "-i", root.CopyIn(package.NextInstaller(NextAmd64)));
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal("1.0.1", root.Exec("dpkg-query", "-W", "-f=${Version}", "claude-code-with-bedrock").Output);

        var remove = root.Exec("dpkg", "-r", "claude-code-with-bedrock");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.False(File.Exists(root.HostPath("/usr/lib/claude-code-with-bedrock/credential-process")));
        Assert.False(File.Exists(root.HostPath("/usr/bin/ccwb-credential-process")));
        Assert.True(File.Exists(root.HostPath("/etc/claude-code/managed-settings.json")), "dpkg -r keeps conffiles");

        var purge = root.Exec("dpkg", "--purge", "claude-code-with-bedrock");
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.False(Directory.Exists(root.HostPath("/etc/claude-code")));
        Assert.False(Directory.Exists(root.HostPath("/usr/lib/claude-code-with-bedrock")));
        Assert.NotEqual(0, root.Exec("dpkg-query", "-W", "claude-code-with-bedrock").ExitCode);
    }

    /// <summary>
    /// Debian 11 has glibc 2.31 and OpenSSL 1.1, the oldest the binaries are built for: the package's Depends are met
    /// there, and the helper installed from it answers from a seeded cache and signs in for real (the npm OpenID
    /// provider, the STS peer), as in the credential suite's end-to-end tests. arm64 runs under qemu-user-static.
    /// </summary>
    [Theory]
    [InlineData("amd64", Amd64)]
    [InlineData("arm64", Arm64)]
    public async Task Installs_in_a_debian_11_root_answers_from_the_cache_signs_in_and_serves_otel_headers_and_the_desktop_token(string architecture, string deb)
    {
        using var root = DebianRoot.Bullseye(architecture);
        var install = root.Exec("dpkg", "-i", root.CopyIn(package.Installer(deb)));
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal("2.31", root.Exec("sh", "-c", "ldd --version | sed -n '1s/.* //p'").Output.Trim());

        CachedCredentials.Seed(root.HostPath("/root"), package.Manifest.Profile);
        CachedCredentials.AssertPrinted(root.Exec("ccwb-credential-process", "--profile", package.Manifest.Profile));

        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        // The installed config.json (beside the helper, where it looks first) replaced by one naming the peers.
        File.WriteAllText(root.HostPath("/usr/lib/claude-code-with-bedrock/config.json"), new JsonObject
        {
            ["SignIn"] = new JsonObject
            {
                ["provider_domain"] = oidc.Issuer,
                ["provider_type"] = "generic",
                ["client_id"] = "claude-code-client",
                ["aws_region"] = "us-east-1",
                ["credential_storage"] = "session",
                ["federated_role_arn"] = AwsPeer.RoleArn,
                ["federation_type"] = "direct",
            },
        }.ToJsonString());
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Browsers", "follow-redirects.sh"), root.HostPath("/usr/local/bin/test-browser"));
        File.SetUnixFileMode(root.HostPath("/usr/local/bin/test-browser"), (UnixFileMode)0b111_101_101);

        var signIn = await root.ExecAsync(new Dictionary<string, string>
        {
            ["BROWSER"] = "/usr/local/bin/test-browser",
            ["REDIRECT_PORT"] = AwsPeer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AWS_ENDPOINT_URL"] = aws.Endpoint,
            ["CCWB_AUTH_TIMEOUT_SECONDS"] = "120",
        }, "ccwb-credential-process", "--profile", "SignIn");

        Assert.True(signIn.ExitCode == 0, signIn.ToString());
        var json = JsonDocument.Parse(signIn.Output).RootElement;
        Assert.StartsWith("ASIA", json.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, oidc.Authorizations);
        Assert.Equal(1, oidc.TokenRequests("authorization_code"));
        Assert.Equal(["sts:AssumeRoleWithWebIdentity"], aws.Calls);
        Assert.Equal("alice@example.com", aws.LastSessionName);

        // What Claude Code and Claude Desktop run besides, as installed, answered from what the sign-in cached.
        var headers = root.Exec("/usr/lib/claude-code-with-bedrock/otel-helper", "--profile", "SignIn");
        Assert.True(headers.ExitCode == 0, headers.ToString());
        Assert.Equal("alice@example.com", JsonDocument.Parse(headers.Output).RootElement.GetProperty("x-user-email").GetString());
        var desktop = root.Exec("ccwb-credential-process", "--desktop", "--profile", "SignIn");
        Assert.True(desktop.ExitCode == 0, desktop.ToString());
        Assert.StartsWith("bedrock-api-key-", JsonDocument.Parse(desktop.Output).RootElement.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, oidc.Authorizations);
    }

    /// <summary>
    /// The glibc floor, read with objdump (not the packaging's own reader) from every Linux binary the build shipped:
    /// at most Debian 11's 2.31, and exactly the deb's libc6 dependency and the manifest's glibc_floor.
    /// </summary>
    [Theory]
    [InlineData("linux-x64", Amd64)]
    [InlineData("linux-arm64", Arm64)]
    public void Linux_binaries_need_glibc_2_31_at_most_and_the_deb_depends_on_exactly_that(string rid, string deb)
    {
        var binaries = Directory.GetFiles(package.PathOf($"bin/{rid}")).Where(IsElf).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(binaries);
        var floors = new Dictionary<string, Version>(StringComparer.Ordinal);
        foreach (var binary in binaries)
        {
            var symbols = Run.Checked("objdump", "-T", binary).Output;
            var versions = System.Text.RegularExpressions.Regex.Matches(symbols, @"\bGLIBC_(\d+(?:\.\d+)+)\b")
                .Select(m => Version.Parse(m.Groups[1].Value)).ToList();
            Assert.NotEmpty(versions);
            floors[binary] = versions.Max()!;
            Assert.True(floors[binary] <= new Version(2, 31), $"{binary} requires GLIBC_{floors[binary]}");
            var listed = package.Manifest.Artifacts.Single(a => a.Path == $"bin/{rid}/{Path.GetFileName(binary)}");
            Assert.Equal(floors[binary].ToString(), listed.GlibcFloor);
        }

        var depends = Run.Checked("dpkg-deb", "-f", package.Installer(deb), "Depends").Output.Trim();
        var libc6 = System.Text.RegularExpressions.Regex.Match(depends, @"(?:^|, )libc6 \(>= ([0-9.]+)\)");
        Assert.True(libc6.Success, depends);
        Assert.Equal(floors.Values.Max()!.ToString(), libc6.Groups[1].Value);
        Assert.Contains("libssl3 | libssl1.1", depends, StringComparison.Ordinal);
    }

    private static bool IsElf(string path)
    {
        var magic = new byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic.AsSpan().SequenceEqual("\u007fELF"u8);
    }

    [Fact]
    public void Arm64_package_holds_an_arm64_helper_that_runs_under_qemu()
    {
        using var temp = new TempDirectory();
        Run.Checked("dpkg-deb", "-x", package.Installer(Arm64), temp.Path);
        var helper = temp.Combine("usr", "lib", "claude-code-with-bedrock", "credential-process");
        Assert.Equal("arm64", Run.Checked("dpkg-deb", "-f", package.Installer(Arm64), "Architecture").Output.Trim());
        var result = Run.Checked("qemu-aarch64-static", "-L", "/", helper, "--version");
        Assert.StartsWith($"credential-process {PackageFixture.Version} ", result.Output, StringComparison.Ordinal);

        // A cached-credential call: config.json beside the helper (as installed), the session cache in HOME.
        var home = temp.Combine("home");
        CachedCredentials.Seed(home, package.Manifest.Profile);
        CachedCredentials.AssertPrinted(Run.Tool("qemu-aarch64-static", ["-L", "/", helper, "--profile", package.Manifest.Profile],
            environment: new Dictionary<string, string?> { ["HOME"] = home }));
    }
}

/// <summary>A text listing of a .deb for snapshots: control files, then every entry with mode, owner, size, hash.</summary>
internal static class DebListing
{
    // Files whose bytes come from other components (the helper build, the profile renderer): their presence, mode
    // and owner are pinned here; their content is tested where it is made.
    private static readonly HashSet<string> Foreign = new(StringComparer.Ordinal)
    {
        "./usr/lib/claude-code-with-bedrock/credential-process",
        "./usr/lib/claude-code-with-bedrock/credential-process-full",
        "./usr/lib/claude-code-with-bedrock/otel-helper",
        "./usr/lib/claude-code-with-bedrock/otel-helper-full",
        "./usr/lib/claude-code-with-bedrock/config.json",
        "./etc/claude-code/managed-settings.json",
    };

    public static string Describe(string deb)
    {
        var text = new StringBuilder();
        foreach (var field in new[] { "Package", "Version", "Architecture", "Depends", "Recommends", "Section", "Priority" })
            text.Append(field).Append(": ").Append(Run.Checked("dpkg-deb", "-f", deb, field).Output.Trim()).Append('\n');
        using var control = new TempDirectory();
        Run.Checked("dpkg-deb", "-e", deb, control.Path);
        foreach (var file in Directory.GetFiles(control.Path).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name is "control" or "md5sums") continue;
            text.Append("== DEBIAN/").Append(name).Append(" (").Append(Convert.ToString((int)File.GetUnixFileMode(file), 8)).Append(")\n");
            text.Append(File.ReadAllText(file));
        }
        text.Append("== data\n");
        foreach (var entry in Entries(deb))
        {
            text.Append(entry.Mode).Append(' ').Append(entry.Owner).Append(' ');
            if (entry.Target is not null) text.Append(entry.Path).Append(" -> ").Append(entry.Target);
            else if (entry.IsDirectory) text.Append(entry.Path);
            else if (Foreign.Contains(entry.Path)) text.Append("(built elsewhere) ").Append(entry.Path);
            else text.Append(entry.Size).Append(' ').Append(entry.Sha256).Append(' ').Append(entry.Path);
            text.Append(" @").Append(entry.ModifiedUnix).Append('\n');
        }
        return text.ToString();
    }

    public static string ReadFile(string deb, string path) =>
        Encoding.UTF8.GetString(Entries(deb).Single(e => e.Path == path).Content!);

    private sealed record Entry(string Path, string Mode, string Owner, long Size, string? Sha256, string? Target,
        bool IsDirectory, long ModifiedUnix, byte[]? Content);

    private static List<Entry> Entries(string deb)
    {
        using var temp = new TempDirectory();
        var tar = Path.Combine(temp.Path, "data.tar");
        Run.Checked("sh", "-c", $"dpkg-deb --fsys-tarfile '{deb}' > '{tar}'");
        using var stream = File.OpenRead(tar);
        using var reader = new TarReader(stream);
        var entries = new List<Entry>();
        while (reader.GetNextEntry(copyData: true) is { } e)
        {
            byte[]? content = null;
            if (e.DataStream is not null)
            {
                using var ms = new MemoryStream();
                e.DataStream.CopyTo(ms);
                content = ms.ToArray();
            }
            var posix = e as PosixTarEntry;
            entries.Add(new Entry(
                e.Name,
                Convert.ToString((int)e.Mode, 8).PadLeft(4, '0'),
                $"{posix?.UserName ?? e.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{posix?.GroupName ?? e.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                e.Length,
                content is null ? null : Convert.ToHexStringLower(SHA256.HashData(content)),
                e.EntryType == TarEntryType.SymbolicLink ? e.LinkName : null,
                e.EntryType == TarEntryType.Directory,
                e.ModificationTime.ToUnixTimeSeconds(),
                content));
        }
        return entries;
    }
}
