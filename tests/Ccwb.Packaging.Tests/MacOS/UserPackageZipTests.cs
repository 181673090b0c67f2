using System.IO.Compression;
using Ccwb.Packaging.Zip;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

public sealed class UserPackageZipTests : IDisposable
{
    private readonly TempDirectory _work = new("ccwb-zip");

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Zip_holds_the_profile_files_and_each_platforms_programs_under_the_names_install_sh_and_install_bat_look_for()
    {
        var profile = _work.Combine("package");
        Directory.CreateDirectory(Path.Combine(profile, "claude-settings"));
        File.WriteAllText(Path.Combine(profile, "install.sh"), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(profile, "install.bat"), "@echo off\r\n");
        File.WriteAllText(Path.Combine(profile, "config.json"), "{}");
        File.WriteAllText(Path.Combine(profile, "claude-settings", "settings.json"), "{}");
        var binaries = new Dictionary<string, string>();
        foreach (var rid in new[] { "osx-arm64", "osx-x64", "linux-x64", "linux-arm64", "win-x64", "win-arm64" })
        {
            binaries[rid] = _work.Combine("bin-" + rid);
            File.WriteAllText(binaries[rid], rid);
        }

        var (path, _) = UserPackageZip.Build(profile, [new ZipProgram("credential-process", binaries)], 1_700_000_000, _work.Combine("out"));

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal([
            "claude-settings/settings.json", "config.json",
            "credential-process-linux-arm64", "credential-process-linux-x64", "credential-process-macos-arm64",
            "credential-process-macos-intel", "credential-process-windows.exe", "install.bat", "install.sh",
        ], zip.Entries.Select(e => e.FullName));
        Assert.Equal("win-x64", new StreamReader(zip.GetEntry("credential-process-windows.exe")!.Open()).ReadToEnd());
        // unzip restores the modes: install.sh and the programs executable.
        Run.Checked("unzip", "-q", path, "-d", _work.Combine("x"));
        Assert.True(File.GetUnixFileMode(_work.Combine("x", "install.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.True(File.GetUnixFileMode(_work.Combine("x", "credential-process-macos-arm64")).HasFlag(UnixFileMode.OtherExecute));
        Assert.False(File.GetUnixFileMode(_work.Combine("x", "config.json")).HasFlag(UnixFileMode.UserExecute));

        var again = UserPackageZip.Build(profile, [new ZipProgram("credential-process", binaries)], 1_700_000_000, _work.Combine("again")).Path;
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void Rendered_install_scripts_look_for_the_names_the_zip_uses()
    {
        var sh = File.ReadAllText(Repo.PathOf("mdm-templates", "install.sh.sbn"));
        // Both programs, each under its zip name: the credential-process front and the full helper it hands over to.
        Assert.Contains("for f in credential-process credential-process-full; do", sh);
        // Likewise the otel-helper front and otel-helper-full, when the package has them.
        Assert.Contains("for f in otel-helper otel-helper-full; do", sh);
        Assert.Contains("\"$f-$SUFFIX\"", sh);
        foreach (var suffix in new[] { "macos-arm64", "macos-intel", "linux-arm64", "linux-x64" })
        {
            Assert.Contains("SUFFIX=" + suffix, sh);
            Assert.Contains("-" + suffix, UserPackageZip.PlatformSuffix.Values);
        }
        var bat = File.ReadAllText(Repo.PathOf("mdm-templates", "install.bat.sbn"));
        Assert.Contains("credential-process-windows.exe", bat);
        Assert.Contains("credential-process-full-windows.exe", bat);
        Assert.Contains("otel-helper-full-windows.exe", bat);
    }
}
