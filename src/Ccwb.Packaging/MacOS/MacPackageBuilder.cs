using System.Text;
using System.Text.RegularExpressions;
using Ccwb.Contract.Install;

namespace Ccwb.Packaging.MacOS;

/// <summary>
/// Builds the macOS installer package on any OS, as pkgbuild + productbuild would: a xar holding the Distribution and
/// one component package (PackageInfo, Bom, Payload, Scripts). Installed machine-wide (Jamf / Intune run it as root):
/// <list type="bullet">
/// <item>/usr/local/lib/&lt;package&gt;/: each program for arm64 and x86_64, config.json, configure-aws-profile,
/// uninstall and the Cowork helpers; postinstall copies this Mac's build of each program beside config.json and links the commands into
/// /usr/local/bin (ccwb-credential-process, ccwb-configure-aws-profile, ccwb-uninstall).</item>
/// <item>/Library/Application Support/ClaudeCode/: managed-settings.json (Claude Code's machine-wide settings) and the
/// Cowork .mobileconfig for admins who push it separately. Its helper paths name the package's folder, where the
/// helpers it runs (cowork-credential-helper.sh, websearch-headers) are installed: an MDM pushes the profile as it
/// is, and nothing on the Mac replaces a per-user placeholder in it.</item>
/// <item>/Library/LaunchAgents/: runs configure-aws-profile at each user's login, once per version.</item>
/// </list>
/// One package for both architectures, carrying both builds and choosing at install time rather than one universal
/// (llvm-lipo) file: the programs built on Linux are .NET single-file bundles, whose host finds the bundle at a file
/// offset written into it, which a fat file's slice offset breaks; the choice also keeps each program's signature
/// exactly as codesign made it.
/// </summary>
public static class MacPackageBuilder
{
    public const string SupportFolder = "Library/Application Support/ClaudeCode";
    public const string ManagedSettingsPath = SupportFolder + "/managed-settings.json";
    public const string MobileconfigPath = SupportFolder + "/cowork-3p.mobileconfig";
    public static readonly IReadOnlyList<(string Folder, string Description)> Architectures = [("arm64", "arm64"), ("x86_64", "x64")];

    public static string LibFolder(MacPackageSpec spec) => $"usr/local/lib/{spec.PackageName}";

    /// <summary>Builds the package into <paramref name="outputDirectory"/> and returns its path.</summary>
    public static string Build(MacPackageSpec spec, string outputDirectory)
    {
        var payload = Payload(spec);
        var entries = payload.Entries;
        var scripts = new PayloadTree();
        scripts.AddFile("postinstall", Encoding.UTF8.GetBytes(Fill(spec, "postinstall", payload)), 0x1ED);

        var installKBytes = entries.Where(e => !e.IsDirectory).Sum(e => (e.Content.Length + 1023L) / 1024);
        var component = spec.PackageName + ".pkg";
        XarNode[] members =
        [
            new XarFile("Distribution", InstallerXml.Distribution(spec, component, installKBytes), Compress: true),
            new XarDirectory(component,
            [
                new XarFile("Bom", BomWriter.Write(entries, spec.SourceDateEpoch), Compress: true),
                new XarFile("Payload", CpioOdcWriter.WriteGzip(entries, spec.SourceDateEpoch), Compress: false),
                new XarFile("Scripts", CpioOdcWriter.WriteGzip(scripts.Entries, spec.SourceDateEpoch), Compress: false),
                new XarFile("PackageInfo", InstallerXml.PackageInfo(spec, entries.Count, installKBytes, ["postinstall"]), Compress: true),
            ]),
        ];
        Directory.CreateDirectory(outputDirectory);
        var output = Path.Combine(outputDirectory, spec.FileName);
        File.WriteAllBytes(output, XarWriter.Write(members, spec.SourceDateEpoch));
        return output;
    }

    /// <summary>What the package installs (everything but what postinstall creates).</summary>
    public static PayloadTree Payload(MacPackageSpec spec)
    {
        if (spec.Programs.Count == 0) throw new PackagingException("The macOS package needs at least one program");
        var lib = LibFolder(spec);
        var payload = new PayloadTree();
        foreach (var program in spec.Programs)
        {
            payload.AddFile($"{lib}/arm64/{program.Name}", ReadInput(program.Arm64Path), 0x1ED);
            payload.AddFile($"{lib}/x86_64/{program.Name}", ReadInput(program.X64Path), 0x1ED);
        }
        if (spec.ConfigJsonPath is not null) payload.AddFile($"{lib}/config.json", ReadInput(spec.ConfigJsonPath), 0x1A4);
        payload.AddFile($"{lib}/configure-aws-profile", Encoding.UTF8.GetBytes(Fill(spec, "configure-aws-profile", null)), 0x1ED);
        if (spec.SettingsPath is not null)
        {
            var settings = Encoding.UTF8.GetString(ReadInput(spec.SettingsPath))
                .Replace("__CREDENTIAL_PROCESS_PATH__", $"/{lib}/credential-process", StringComparison.Ordinal)
                .Replace("__OTEL_HELPER_PATH__", $"/{lib}/otel-helper", StringComparison.Ordinal);
            payload.AddFile(ManagedSettingsPath, Encoding.UTF8.GetBytes(settings), 0x1A4);
        }
        if (spec.CoworkCredentialHelperPath is not null)
            payload.AddFile($"{lib}/{CoworkCredentialHelper}", ReadInput(spec.CoworkCredentialHelperPath), 0x1ED);
        if (spec.CoworkMobileconfigPath is not null)
        {
            var mobileconfig = MachineWideMobileconfig(spec, Encoding.UTF8.GetString(ReadInput(spec.CoworkMobileconfigPath)));
            if (mobileconfig.Contains($"/{lib}/{WebSearchHeaders}", StringComparison.Ordinal))
                payload.AddFile($"{lib}/{WebSearchHeaders}", Encoding.UTF8.GetBytes(Fill(spec, WebSearchHeaders, null)), 0x1ED);
            payload.AddFile(MobileconfigPath, Encoding.UTF8.GetBytes(mobileconfig), 0x1A4);
        }
        payload.AddFile($"Library/LaunchAgents/{spec.LaunchAgentLabel}.plist", Encoding.UTF8.GetBytes(Fill(spec, "launch-agent.plist", null)), 0x1A4);
        // The uninstall script lists the payload, itself included.
        payload.AddFile($"{lib}/uninstall", [], 0x1ED);
        payload.AddFile($"{lib}/uninstall", Encoding.UTF8.GetBytes(Fill(spec, "uninstall", payload)), 0x1ED);
        CheckInstalled(spec, payload);
        return payload;
    }

    /// <summary>The wrapper Claude Desktop runs as its inferenceCredentialHelper (rendered with the Cowork files).</summary>
    public const string CoworkCredentialHelper = "cowork-credential-helper.sh";

    /// <summary>The web search MCP server's headersHelper, written here as install.sh writes it per user.</summary>
    public const string WebSearchHeaders = "websearch-headers";

    /// <summary>
    /// The rendered profile names its helpers in the per-user install folder (__CCWB_HOME__/claude-code-with-bedrock/),
    /// which install.sh fills in for one user; the package installs them machine-wide, so that folder becomes its own.
    /// </summary>
    private static string MachineWideMobileconfig(MacPackageSpec spec, string text)
    {
        text = text.Replace($"{InstallPlaceholders.Home}/{InstallLocations.FolderName}/", $"/{LibFolder(spec)}/", StringComparison.Ordinal);
        if (text.Contains(InstallPlaceholders.Home, StringComparison.Ordinal) || text.Contains(InstallPlaceholders.HomeJson, StringComparison.Ordinal))
            throw new PackagingException(
                $"The Cowork profile {spec.CoworkMobileconfigPath} names a path in the user's home folder outside {InstallLocations.FolderName}/, which a machine-wide package cannot install");
        return text;
    }

    /// <summary>Every file of the package folder the Cowork profile names is one the package installs (or postinstall puts there).</summary>
    private static void CheckInstalled(MacPackageSpec spec, PayloadTree payload)
    {
        var mobileconfig = payload.Entries.FirstOrDefault(e => e.Path == MobileconfigPath);
        if (mobileconfig is null) return;
        var lib = LibFolder(spec);
        var installed = payload.Entries.Where(e => !e.IsDirectory).Select(e => "/" + e.Path)
            .Concat(spec.Programs.Select(p => $"/{lib}/{p.Name}")).ToHashSet(StringComparer.Ordinal);
        var missing = PathIn(lib).Matches(Encoding.UTF8.GetString(mobileconfig.Content)).Select(m => m.Value)
            .Where(path => !installed.Contains(path)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new PackagingException($"The Cowork profile runs {string.Join(", ", missing)}, which the macOS package does not install");
    }

    private static Regex PathIn(string lib) => new($"/{Regex.Escape(lib)}/[A-Za-z0-9._-]+");

    private static string Fill(MacPackageSpec spec, string template, PayloadTree? payload)
    {
        var path = Path.Combine(spec.TemplateDirectory, template);
        if (!File.Exists(path)) throw new PackagingException($"Installer template missing: {path}");
        var lib = LibFolder(spec);
        var entries = payload?.Entries ?? [];
        var files = entries.Where(e => !e.IsDirectory).Select(e => e.Path);
        // Only the package's own folders; rmdir leaves any that still hold something else.
        var directories = entries.Where(e => e.IsDirectory && (e.Path.StartsWith(lib, StringComparison.Ordinal) || e.Path == SupportFolder))
            .Select(e => e.Path).Reverse();
        return File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("@PACKAGE@", spec.PackageName, StringComparison.Ordinal)
            .Replace("@VERSION@", spec.Version, StringComparison.Ordinal)
            .Replace("@IDENTIFIER@", spec.Identifier, StringComparison.Ordinal)
            .Replace("@LAUNCH_AGENT@", spec.LaunchAgentLabel, StringComparison.Ordinal)
            .Replace("@PROFILE@", spec.ProfileName, StringComparison.Ordinal)
            .Replace("@PROGRAMS@", string.Join(" ", spec.Programs.Select(p => p.Name)), StringComparison.Ordinal)
            .Replace("@PROFILE_REGIONS@", string.Join(" ", spec.AwsProfiles.Select(p => $"{p.Name}={p.Region}")), StringComparison.Ordinal)
            .Replace("@PAYLOAD_FILES@", string.Join("\n", files), StringComparison.Ordinal)
            .Replace("@PAYLOAD_DIRECTORIES@", string.Join("\n", directories), StringComparison.Ordinal);
    }

    private static byte[] ReadInput(string path) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new PackagingException($"Missing input for the macOS package: {path}");
}
