using System.Text.RegularExpressions;
using Ccwb.Packaging.Deb;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>The deb's Depends computed from real ELF files of this machine, checked against objdump's reading.</summary>
public sealed class LinuxDependenciesTests
{
    /// <summary>Programs of this machine that need only the C library.</summary>
    private static readonly string[] LibcOnly = ["/usr/bin/true", "/usr/bin/base64"];

    private static string HighestGlibc(string binary) =>
        Regex.Matches(Run.Checked("objdump", "-T", binary).Output, @"\bGLIBC_(\d+(?:\.\d+)+)\b")
            .Select(m => Version.Parse(m.Groups[1].Value)).Max()!.ToString();

    [Fact]
    public void Libc6_is_required_at_the_highest_glibc_version_the_binaries_need_and_openssl_is_declared()
    {
        var requirements = LibcOnly.Select(LinuxRequirements.Read).ToList();
        var highest = LibcOnly.Select(HighestGlibc).Max(Version.Parse)!.ToString();

        Assert.Equal($"libc6 (>= {highest}), {LinuxDependencies.RuntimeLoadedOpenSsl}", LinuxDependencies.Depends(requirements));
        Assert.Equal(HighestGlibc("/usr/bin/true"), requirements[0].GlibcFloor);
    }

    [Fact]
    public void Libgcc_is_required_at_the_highest_gcc_version_when_a_binary_links_it()
    {
        // Needs only the C library and libgcc_s (it comes with the clang toolchain the build installs).
        const string library = "/usr/lib/x86_64-linux-gnu/liblsan.so.0";
        var gcc = Regex.Matches(Run.Checked("objdump", "-T", library).Output, @"\bGCC_(\d+(?:\.\d+)+)\b")
            .Select(m => Version.Parse(m.Groups[1].Value)).Max()!.ToString();

        Assert.Equal($"libc6 (>= {HighestGlibc(library)}), libgcc-s1 (>= {gcc}), {LinuxDependencies.RuntimeLoadedOpenSsl}",
            LinuxDependencies.Depends([LinuxRequirements.Read(library)]));
    }

    [Fact]
    public void A_library_with_no_known_package_is_named_instead_of_being_left_out_of_depends()
    {
        var error = Assert.Throws<PackagingException>(() => LinuxDependencies.Depends([LinuxRequirements.Read("/usr/bin/curl")]));
        Assert.StartsWith("No Debian package is known for: curl needs libcurl.so.4", error.Message, StringComparison.Ordinal);
        Assert.Contains("Add the library's package to LinuxDependencies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_elf_binary_is_refused()
    {
        using var temp = new TempDirectory();
        var script = temp.Combine("credential-process");
        File.WriteAllText(script, "#!/bin/sh\necho hi\n");
        var error = Assert.Throws<PackagingException>(() => LinuxRequirements.Read(script));
        Assert.Equal($"{script}: not an ELF binary, so its Linux dependencies cannot be read", error.Message);
    }
}
