using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Install;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Deb;

/// <summary>
/// Builds a .deb with dpkg-deb: helper and config.json under /usr/lib/&lt;package&gt;/, commands in /usr/bin, Claude Code
/// managed settings in /etc/claude-code/. Reproducible: every timestamp is SOURCE_DATE_EPOCH, modes are set
/// explicitly, owners are root (--root-owner-group), and dpkg-deb sorts the archive entries.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DebPackageBuilder(ExternalTool dpkgDeb, ExternalTool gzip, ExternalTool readelf)
{
    public const string ManagedSettingsPath = "etc/claude-code/managed-settings.json";

    public DebPackageBuilder() : this(KnownTools.DpkgDeb(), KnownTools.Gzip(), KnownTools.Readelf()) { }

    /// <summary>Builds the package into <paramref name="outputDirectory"/> and returns its path.</summary>
    public string Build(DebPackageSpec spec, string workDirectory, string outputDirectory)
    {
        dpkgDeb.Resolve();
        var root = Path.Combine(workDirectory, $"{spec.PackageName}-{spec.Architecture}");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var lib = $"usr/lib/{spec.PackageName}";
        var doc = $"usr/share/doc/{spec.PackageName}";

        CopyFile(spec.CredentialProcessPath, root, $"{lib}/credential-process", Executable);
        if (!File.Exists(spec.FullHelperPath))
            throw new PackagingException($"{ShippedPrograms.CredentialProcessFull} not found at {spec.FullHelperPath} (run the Publish target)");
        CopyFile(spec.FullHelperPath, root, $"{lib}/{ShippedPrograms.CredentialProcessFull}", Executable);
        // otel-helper is published beside credential-process (bin/<rid>/); the settings run it by this path.
        var otelHelper = Path.Combine(Path.GetDirectoryName(spec.CredentialProcessPath)!, "otel-helper");
        if (File.Exists(otelHelper))
        {
            CopyFile(otelHelper, root, $"{lib}/otel-helper", Executable);
            // The otel-helper front hands every call but the warm header call to otel-helper-full beside it.
            if (!File.Exists(spec.OtelHelperFullPath))
                throw new PackagingException($"{ShippedPrograms.OtelHelperFull} not found at {spec.OtelHelperFullPath} (run the Publish target)");
            CopyFile(spec.OtelHelperFullPath, root, $"{lib}/{ShippedPrograms.OtelHelperFull}", Executable);
        }
        if (spec.ConfigJsonPath is not null) CopyFile(spec.ConfigJsonPath, root, $"{lib}/config.json", Regular);
        WriteFile(root, $"{lib}/configure-aws-profile", Fill(spec, "configure-aws-profile"), Executable);
        var conffiles = new List<string>();
        if (spec.SettingsPath is not null)
        {
            var settings = InstallPlaceholders.ResolvePrograms(File.ReadAllText(spec.SettingsPath), program => $"/{lib}/{program}");
            WriteFile(root, ManagedSettingsPath, settings, Regular);
            conffiles.Add("/" + ManagedSettingsPath);
        }
        Symlink(root, "usr/bin/ccwb-credential-process", $"../lib/{spec.PackageName}/credential-process");
        Symlink(root, "usr/bin/ccwb-configure-aws-profile", $"../lib/{spec.PackageName}/configure-aws-profile");
        WriteFile(root, $"{doc}/copyright", Fill(spec, "copyright"), Regular);
        WriteGzip(root, $"{doc}/changelog.gz", Changelog(spec));
        WriteFile(root, $"usr/share/lintian/overrides/{spec.PackageName}", Fill(spec, "lintian-overrides"), Regular);

        var debian = Path.Combine(root, "DEBIAN");
        WriteFile(root, "DEBIAN/md5sums", Md5Sums(root), Regular);
        if (conffiles.Count > 0) WriteFile(root, "DEBIAN/conffiles", string.Join("\n", conffiles) + "\n", Regular);
        WriteFile(root, "DEBIAN/postinst", Fill(spec, "postinst"), Executable);
        WriteFile(root, "DEBIAN/postrm", Fill(spec, "postrm"), Executable);
        // Depends from every program the package carries (any ELF file under usr/lib/<package>/), not from a list.
        var programs = Directory.EnumerateFiles(Path.Combine(root, lib)).Order(StringComparer.Ordinal)
            .Where(LinuxRequirements.IsElf).Select(p => LinuxRequirements.Read(p, readelf));
        WriteFile(root, "DEBIAN/control", Control(spec, LinuxDependencies.Depends(programs), InstalledSizeKiB(root)), Regular);
        SetTimestamps(root, spec.SourceDateEpoch);

        Directory.CreateDirectory(outputDirectory);
        var output = Path.Combine(outputDirectory, spec.FileName);
        var environment = new Dictionary<string, string?>
        {
            ["SOURCE_DATE_EPOCH"] = spec.SourceDateEpoch.ToString(CultureInfo.InvariantCulture),
        };
        dpkgDeb.RunChecked($"Building {spec.FileName}",
            ["--root-owner-group", "-Zxz", "--build", root, output], environment: environment);
        return output;
    }

    private static string Control(DebPackageSpec spec, string depends, long installedSizeKiB)
    {
        var profiles = string.Join(", ", spec.AwsProfiles.Select(p => p.Name));
        return $"""
            Package: {spec.PackageName}
            Version: {spec.Version}
            Architecture: {spec.Architecture}
            Maintainer: {spec.Maintainer}
            Installed-Size: {installedSizeKiB}
            Depends: {depends}
            Recommends: ca-certificates
            Section: utils
            Priority: optional
            Description: Claude Code on Amazon Bedrock through the corporate identity provider
             Installs the credential helper that signs users in to Amazon Bedrock through
             the organisation's identity provider, its config.json, and the Claude Code
             managed settings for the deployment profile '{spec.ProfileName}'.
             .
             Each user runs ccwb-configure-aws-profile once to add the AWS profile
             ({profiles}) to ~/.aws/config.

            """;
    }

    private static string Changelog(DebPackageSpec spec)
    {
        var date = DateTimeOffset.FromUnixTimeSeconds(spec.SourceDateEpoch)
            .ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return $"""
            {spec.PackageName} ({spec.Version}) unstable; urgency=medium

              * Release {spec.Version} for the deployment profile '{spec.ProfileName}'.

             -- {spec.Maintainer}  {date}

            """;
    }

    private static string Fill(DebPackageSpec spec, string template)
    {
        var path = Path.Combine(spec.TemplateDirectory, template);
        if (!File.Exists(path)) throw new PackagingException($"Installer template missing: {path}");
        return File.ReadAllText(path)
            .Replace("@PACKAGE@", spec.PackageName, StringComparison.Ordinal)
            .Replace("@PROFILE@", spec.ProfileName, StringComparison.Ordinal)
            .Replace("@PROFILES@", string.Join(", ", spec.AwsProfiles.Select(p => p.Name)), StringComparison.Ordinal)
            .Replace("@PROFILE_REGIONS@", string.Join(" ", spec.AwsProfiles.Select(p => $"{p.Name}={p.Region}")), StringComparison.Ordinal)
            .Replace("@MAINTAINER@", spec.Maintainer, StringComparison.Ordinal)
            .Replace("@YEAR@", DateTimeOffset.FromUnixTimeSeconds(spec.SourceDateEpoch).Year.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private void WriteGzip(string root, string relative, string content)
    {
        var uncompressed = Path.Combine(root, relative[..^3]);
        WriteFile(root, relative[..^3], content, Regular);
        // gzip -9n: maximum compression and no name or timestamp in the header, as Debian policy asks.
        gzip.RunChecked("Compressing the changelog", ["-9nf", uncompressed]);
        File.SetUnixFileMode(Path.Combine(root, relative), Regular);
    }

    private static string Md5Sums(string root)
    {
        var lines = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                     .Where(f => !f.StartsWith("DEBIAN/", StringComparison.Ordinal) && !f.StartsWith("etc/", StringComparison.Ordinal))
                     .Where(f => new FileInfo(Path.Combine(root, f)).LinkTarget is null)
                     .Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(Path.Combine(root, file));
#pragma warning disable CA5351 // md5sums is dpkg's integrity list format, not a security check.
            lines.Append(Convert.ToHexStringLower(MD5.HashData(stream))).Append("  ").Append(file).Append('\n');
#pragma warning restore CA5351
        }
        return lines.ToString();
    }

    private static long InstalledSizeKiB(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith("DEBIAN", StringComparison.Ordinal))
            .Sum(f => (new FileInfo(f).Length + 1023) / 1024);

    private static void SetTimestamps(string root, long epoch)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime;
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            if (new FileInfo(entry).LinkTarget is not null) continue; // dpkg-deb clamps symlink times to SOURCE_DATE_EPOCH
            if (Directory.Exists(entry)) Directory.SetLastWriteTimeUtc(entry, time);
            else File.SetLastWriteTimeUtc(entry, time);
        }
    }

    private const UnixFileMode Regular = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Executable = Regular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode Directory755 = Executable | UnixFileMode.UserWrite;

    private static string Prepare(string root, string relative)
    {
        var full = Path.Combine(root, relative);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        for (var d = new DirectoryInfo(dir); d.FullName.Length >= root.Length; d = d.Parent!)
            File.SetUnixFileMode(d.FullName, Directory755);
        return full;
    }

    private static void CopyFile(string source, string root, string relative, UnixFileMode mode)
    {
        if (!File.Exists(source)) throw new PackagingException($"Missing input for the deb package: {source}");
        var target = Prepare(root, relative);
        File.Copy(source, target, overwrite: true);
        File.SetUnixFileMode(target, mode);
    }

    private static void WriteFile(string root, string relative, string content, UnixFileMode mode)
    {
        var target = Prepare(root, relative);
        File.WriteAllText(target, content.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(target, mode);
    }

    private static void Symlink(string root, string relative, string target) =>
        File.CreateSymbolicLink(Prepare(root, relative), target);
}
