// The xar format checks SHA-1 (TOC checksum, member checksums); the tests compute it independently.
#pragma warning disable CA5350
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Ccwb.Packaging.MacOS;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>The macOS package read back by tools that did not write it: bsdtar (libarchive's xar), GNU cpio, a Bom reader.</summary>
public sealed class MacPackageTests : IDisposable
{
    private readonly MacPackageInputs _inputs = new();
    private readonly TempDirectory _work = new("ccwb-macpkg-read");

    public void Dispose()
    {
        _inputs.Dispose();
        _work.Dispose();
    }

    [Fact]
    public void Bsdtar_lists_and_extracts_every_part_and_the_snapshot_manifest_matches()
    {
        var pkg = _inputs.Build();
        var listing = Run.Checked("bsdtar", "-tf", pkg).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Distribution", "claude-code-with-bedrock.pkg", "claude-code-with-bedrock.pkg/Bom", "claude-code-with-bedrock.pkg/Payload",
            "claude-code-with-bedrock.pkg/Scripts", "claude-code-with-bedrock.pkg/PackageInfo"], listing);
        var parts = Extract(pkg, "parts");

        var manifest = new StringBuilder();
        manifest.Append("== xar\n").Append(string.Join("\n", listing)).Append('\n');
        manifest.Append("== Distribution\n").Append(File.ReadAllText(Path.Combine(parts, "Distribution")));
        manifest.Append("== PackageInfo\n").Append(File.ReadAllText(Path.Combine(parts, "claude-code-with-bedrock.pkg", "PackageInfo")));
        manifest.Append("== Payload\n");
        foreach (var line in CpioListing(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload"), "payload")) manifest.Append(line).Append('\n');
        manifest.Append("== Scripts\n");
        foreach (var line in CpioListing(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Scripts"), "scripts")) manifest.Append(line).Append('\n');
        Snapshot.Verify(manifest.ToString(), "txt");
    }

    [Fact]
    public void Toc_checksum_is_the_sha1_of_the_compressed_toc_at_the_start_of_the_heap()
    {
        var bytes = File.ReadAllBytes(_inputs.Build());
        Assert.Equal("xar!", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(28, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4)));
        var compressed = (int)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(24))); // SHA-1
        var toc = bytes.AsSpan(28, compressed);
        Assert.Equal(SHA1.HashData(toc), bytes.AsSpan(28 + compressed, 20).ToArray());
        using var zlib = new ZLibStream(new MemoryStream(toc.ToArray()), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        zlib.CopyTo(plain);
        Assert.Equal((long)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(16)), plain.Length);
        var xml = XDocument.Parse(Encoding.UTF8.GetString(plain.ToArray()));
        var checksum = xml.Root!.Element("toc")!.Element("checksum")!;
        Assert.Equal("sha1", (string?)checksum.Attribute("style"));
        Assert.Equal(0, (int)checksum.Element("offset")!);
        Assert.Equal(20, (int)checksum.Element("size")!);
    }

    [Fact]
    public void Payload_unpacks_with_gnu_cpio_owned_by_root_wheel_with_modes_dates_and_resolved_settings()
    {
        var parts = Extract(_inputs.Build(), "parts");
        var root = _work.Combine("root");
        Directory.CreateDirectory(root);
        var cpio = Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload");
        var verbose = Run.Tool("/bin/sh", ["-c", $"gzip -dc '{cpio}' | cpio -itv --quiet --numeric-uid-gid"]).Output;
        Assert.All(verbose.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^\S+\s+\d+\s+0\s+0\s", line));
        Assert.Equal(0, Run.Tool("/bin/sh", ["-c", $"gzip -dc '{cpio}' | (cd '{root}' && cpio -idm --quiet --no-preserve-owner)"]).ExitCode);

        var lib = Path.Combine(root, "usr/local/lib/claude-code-with-bedrock");
        Assert.Equal(MacPackageInputs.Arm64Program, File.ReadAllText(Path.Combine(lib, "arm64/credential-process")));
        Assert.Equal(MacPackageInputs.X64Program, File.ReadAllText(Path.Combine(lib, "x86_64/credential-process")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
            UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Path.Combine(lib, "arm64/credential-process")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(lib, "config.json")));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(lib, "config.json")));
        var settings = File.ReadAllText(Path.Combine(root, "Library/Application Support/ClaudeCode/managed-settings.json"));
        Assert.Contains("/usr/local/lib/claude-code-with-bedrock/credential-process --profile ClaudeCode", settings);
        Assert.Contains("/usr/local/lib/claude-code-with-bedrock/otel-helper", settings);
        Assert.DoesNotContain("__", settings);
        Assert.True(File.Exists(Path.Combine(root, "Library/Application Support/ClaudeCode/cowork-3p.mobileconfig")));
        var agent = Path.Combine(root, "Library/LaunchAgents/com.claudecodewithbedrock.aws-profile.plist");
        Assert.Equal(0, Run.Tool("plistutil", ["-i", agent, "-o", _work.Combine("agent.xml")]).ExitCode);
    }

    [Fact]
    public void Cowork_profile_names_the_machine_wide_helper_the_payload_installs_not_the_per_user_placeholder()
    {
        var root = ExtractPayload(_inputs.Build());
        var mobileconfig = File.ReadAllText(Path.Combine(root, "Library/Application Support/ClaudeCode/cowork-3p.mobileconfig"));
        Assert.DoesNotContain("__CCWB_HOME", mobileconfig, StringComparison.Ordinal);
        const string Helper = "/usr/local/lib/claude-code-with-bedrock/cowork-credential-helper.sh";
        Assert.Contains($"<string>{Helper}</string>", mobileconfig, StringComparison.Ordinal);
        var installed = Path.Combine(root, Helper.TrimStart('/'));
        Assert.Equal(MacPackageInputs.CoworkHelper, File.ReadAllText(installed));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(installed));
        // The wrapper runs credential-process from its own folder, where postinstall puts this Mac's build.
        Assert.Contains("\"$(dirname \"$0\")/credential-process\" --desktop", File.ReadAllText(installed), StringComparison.Ordinal);
    }

    [Fact]
    public void Cowork_profile_with_web_search_gets_the_headers_helper_installed_beside_the_programs()
    {
        File.WriteAllText(_inputs.Spec.CoworkMobileconfigPath!, MacPackageInputs.Mobileconfig.Replace("</dict>",
            "<key>managedMcpServers</key><string>[{\"headersHelper\": \"__CCWB_HOME__/claude-code-with-bedrock/websearch-headers\"}]</string></dict>", StringComparison.Ordinal));
        var root = ExtractPayload(_inputs.Build());
        Assert.Contains("\"/usr/local/lib/claude-code-with-bedrock/websearch-headers\"",
            File.ReadAllText(Path.Combine(root, "Library/Application Support/ClaudeCode/cowork-3p.mobileconfig")), StringComparison.Ordinal);
        var headers = Path.Combine(root, "usr/local/lib/claude-code-with-bedrock/websearch-headers");
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(headers));
        Assert.Contains("exec /usr/local/lib/claude-code-with-bedrock/credential-process --profile 'okta-direct' --get-mcp-auth-header",
            File.ReadAllText(headers), StringComparison.Ordinal);
        var shellcheck = Run.Tool("shellcheck", ["-s", "sh", headers]);
        Assert.True(shellcheck.ExitCode == 0, shellcheck.ToString());
    }

    [Fact]
    public void Cowork_profile_naming_a_helper_the_package_does_not_install_is_refused_and_nothing_is_written()
    {
        var output = _inputs.Combine("refused");
        var withoutHelper = _inputs.Spec with { CoworkCredentialHelperPath = null };
        var error = Assert.Throws<PackagingException>(() => MacPackageBuilder.Build(withoutHelper, output));
        Assert.Contains("/usr/local/lib/claude-code-with-bedrock/cowork-credential-helper.sh, which the macOS package does not install", error.Message, StringComparison.Ordinal);

        File.WriteAllText(_inputs.Spec.CoworkMobileconfigPath!, "<string>__CCWB_HOME__/Library/other-helper</string>\n");
        error = Assert.Throws<PackagingException>(() => MacPackageBuilder.Build(_inputs.Spec, output));
        Assert.Contains("names a path in the user's home folder", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Bom_lists_exactly_the_payload_paths_modes_and_sizes()
    {
        var parts = Extract(_inputs.Build(), "parts");
        var bom = BomReader.ReadPaths(File.ReadAllBytes(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Bom")));
        var fromCpio = CpioListing(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload"), "payload-bom");
        var fromBom = bom.Select(p => $"{Convert.ToString(p.Mode, 8)} {p.Uid}/{p.Gid} {p.Size} {(p.Path == "." ? "." : "./" + p.Path)}").ToList();
        Assert.Equal(fromCpio.Select(l => string.Join(' ', l.Split(' ').Take(4))), fromBom.Select(l => string.Join(' ', l.Split(' ').Take(4))));
        // The checksum is POSIX cksum's, as lsbom prints it.
        var config = bom.Single(p => p.Path.EndsWith("/config.json", StringComparison.Ordinal));
        var cksum = Run.Checked("cksum", _inputs.Spec.ConfigJsonPath!).Output.Split(' ')[0];
        Assert.Equal(cksum, config.Checksum.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Bom_of_a_payload_larger_than_one_leaf_is_read_through_its_meta_node()
    {
        var tree = new PayloadTree();
        for (var i = 0; i < 600; i++) tree.AddFile($"many/file-{i:D4}", Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), 0x1A4);
        var paths = BomReader.ReadPaths(BomWriter.Write(tree.Entries, 0));
        Assert.Equal(tree.Entries.Select(e => e.Path), paths.Select(p => p.Path));
    }

    [Fact]
    public void Distribution_and_PackageInfo_carry_the_elements_installer_reads()
    {
        var parts = Extract(_inputs.Build(), "parts");
        var distribution = XDocument.Load(Path.Combine(parts, "Distribution")).Root!;
        Assert.Equal("installer-gui-script", distribution.Name.LocalName);
        Assert.Equal("2", (string?)distribution.Attribute("minSpecVersion"));
        Assert.Equal("Claude Code with Amazon Bedrock (okta-direct)", (string?)distribution.Element("title"));
        Assert.Equal("arm64,x86_64", (string?)distribution.Element("options")!.Attribute("hostArchitectures"));
        var domains = distribution.Element("domains")!;
        Assert.Equal(("false", "false", "true"), ((string?)domains.Attribute("enable_anywhere"), (string?)domains.Attribute("enable_currentUserHome"), (string?)domains.Attribute("enable_localSystem")));
        Assert.Equal(InstallerXml.MinimumMacOs, (string?)distribution.Element("volume-check")!.Element("allowed-os-versions")!.Element("os-version")!.Attribute("min"));
        var pkgRef = distribution.Elements("pkg-ref").Single(e => e.Value.Length > 0);
        Assert.Equal("#claude-code-with-bedrock.pkg", pkgRef.Value);
        Assert.Equal("com.claudecodewithbedrock.pkg", (string?)pkgRef.Attribute("id"));
        Assert.Contains(distribution.Descendants("line"), l => (string?)l.Attribute("choice") == "com.claudecodewithbedrock.pkg");

        var info = XDocument.Load(Path.Combine(parts, "claude-code-with-bedrock.pkg", "PackageInfo")).Root!;
        Assert.Equal("pkg-info", info.Name.LocalName);
        Assert.Equal(("2", "com.claudecodewithbedrock.pkg", "1.0.0", "/", "root"),
            ((string?)info.Attribute("format-version"), (string?)info.Attribute("identifier"), (string?)info.Attribute("version"),
             (string?)info.Attribute("install-location"), (string?)info.Attribute("auth")));
        var payloadEntries = CpioListing(Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload"), "count").Count;
        Assert.Equal(payloadEntries.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)info.Element("payload")!.Attribute("numberOfFiles"));
        Assert.Equal("./postinstall", (string?)info.Element("scripts")!.Element("postinstall")!.Attribute("file"));
    }

    [Fact]
    public void Two_builds_give_identical_bytes()
    {
        var first = File.ReadAllBytes(_inputs.Build(_inputs.Combine("a")));
        var second = File.ReadAllBytes(_inputs.Build(_inputs.Combine("b")));
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_missing_program_build_is_named_and_nothing_is_written()
    {
        var spec = _inputs.Spec with { Programs = [new MacProgram("credential-process", _inputs.Combine("absent"), _inputs.Combine("cp-arm64"))] };
        var output = _inputs.Combine("missing");
        var error = Assert.Throws<PackagingException>(() => MacPackageBuilder.Build(spec, output));
        Assert.Contains(_inputs.Combine("absent"), error.Message);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>The payload unpacked by GNU cpio into a fresh folder, which is returned.</summary>
    private string ExtractPayload(string pkg)
    {
        var parts = Extract(pkg, "parts");
        var root = _work.Combine("root");
        Directory.CreateDirectory(root);
        var cpio = Path.Combine(parts, "claude-code-with-bedrock.pkg", "Payload");
        Assert.Equal(0, Run.Tool("/bin/sh", ["-c", $"gzip -dc '{cpio}' | (cd '{root}' && cpio -idm --quiet --no-preserve-owner)"]).ExitCode);
        return root;
    }

    private string Extract(string pkg, string name)
    {
        var target = _work.Combine(name);
        Directory.CreateDirectory(target);
        Run.Checked("bsdtar", "-xf", pkg, "-C", target);
        return target;
    }

    /// <summary>"mode uid/gid size path sha256" per entry, from GNU cpio's own extraction of a gzip'd odc archive.</summary>
    private List<string> CpioListing(string archive, string name)
    {
        var target = _work.Combine("cpio-" + name);
        Directory.CreateDirectory(target);
        var listing = Run.Tool("/bin/sh", ["-c", $"gzip -dc '{archive}' | cpio -itv --quiet --numeric-uid-gid"]);
        Assert.Equal(0, listing.ExitCode);
        Assert.Equal(0, Run.Tool("/bin/sh", ["-c", $"gzip -dc '{archive}' | (cd '{target}' && cpio -idm --quiet --no-preserve-owner)"]).ExitCode);
        var names = Run.Tool("/bin/sh", ["-c", $"gzip -dc '{archive}' | cpio -it --quiet"]).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        foreach (var (path, verbose) in names.Zip(listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
        {
            var fields = verbose.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var full = Path.Combine(target, path);
            var isFile = File.Exists(full);
            var mode = Convert.ToString((int)(isFile ? File.GetUnixFileMode(full) : File.GetUnixFileMode(full)) | (isFile ? 0x8000 : 0x4000), 8);
            var size = isFile ? new FileInfo(full).Length : 0;
            var hash = isFile ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full)))[..16] : "-";
            lines.Add($"{mode} {fields[2]}/{fields[3]} {size} {path} {hash}");
        }
        return lines;
    }
}
