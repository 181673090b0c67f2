using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Deb;

/// <summary>
/// What a Linux binary needs from the system, read from its ELF dynamic section with readelf: the shared libraries
/// it names (NEEDED) and the symbol versions it requires from each (.gnu.version_r). The deb's Depends and the
/// manifest's glibc floor are computed from these, the way dpkg-shlibdeps derives them from symbol versions, so they
/// move with the binaries and are never written by hand.
/// </summary>
public sealed record LinuxRequirements(string Path, IReadOnlyList<string> Libraries, IReadOnlyList<(string Library, string Version)> Versions)
{
    /// <summary>The highest GLIBC_ symbol version the binary requires ("2.31"), or null when it requires none.</summary>
    public string? GlibcFloor => Highest("GLIBC_", LinuxDependencies.GlibcLibraries);

    public static LinuxRequirements Read(string path) => Read(path, KnownTools.Readelf());

    public static LinuxRequirements Read(string path, ExternalTool readelf)
    {
        if (!File.Exists(path)) throw new PackagingException($"{path}: not found");
        if (!IsElf(path)) throw new PackagingException($"{path}: not an ELF binary, so its Linux dependencies cannot be read");
        var output = readelf.RunChecked($"Reading the dependencies of {System.IO.Path.GetFileName(path)}",
            ["--wide", "--dynamic", "--version-info", path]).StandardOutput;
        var libraries = new List<string>();
        var versions = new List<(string, string)>();
        string? file = null;
        var inNeeds = false;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            // Only the "Version needs" section lists what the binary requires; "Version definition" lists what it offers.
            if (line.StartsWith("Version ", StringComparison.Ordinal) && line.Contains(" section ", StringComparison.Ordinal))
            {
                inNeeds = line.StartsWith("Version needs section", StringComparison.Ordinal);
                file = null;
            }
            // " 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]"
            else if (line.Contains("(NEEDED)", StringComparison.Ordinal) && After(line, "Shared library: [") is { } needed)
                libraries.Add(needed.TrimEnd(']'));
            // "000000: Version: 1  File: libc.so.6  Cnt: 5", then "0x0010:   Name: GLIBC_2.2.5  Flags: none  Version: 7"
            else if (inNeeds && After(line, "File: ") is { } f) file = Word(f);
            else if (inNeeds && file is not null && After(line, "Name: ") is { } name) versions.Add((file, Word(name)));
        }
        return new LinuxRequirements(path, libraries, versions);
    }

    /// <summary>The highest version with <paramref name="prefix"/> required from any of <paramref name="libraries"/>.</summary>
    public string? Highest(string prefix, IReadOnlySet<string> libraries) =>
        Versions.Where(v => libraries.Contains(v.Library) && v.Version.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => v.Version[prefix.Length..])
            .Where(v => VersionNumber.TryParse(v, out _))
            .OrderBy(v => VersionNumber.Parse(v))
            .LastOrDefault();

    public static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    private static string? After(string line, string marker)
    {
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : line[(at + marker.Length)..];
    }

    private static string Word(string text) => text.Split(' ', 2)[0];
}

/// <summary>A dotted version ("2.2.5") compared number by number.</summary>
internal sealed record VersionNumber(int[] Parts) : IComparable<VersionNumber>
{
    public static bool TryParse(string text, out VersionNumber? version)
    {
        version = null;
        var parts = text.Split('.');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out numbers[i])) return false;
        version = new VersionNumber(numbers);
        return true;
    }

    public static VersionNumber Parse(string text) =>
        TryParse(text, out var v) ? v! : throw new FormatException($"not a dotted version: {text}");

    public int CompareTo(VersionNumber? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Max(Parts.Length, other.Parts.Length); i++)
        {
            var c = (i < Parts.Length ? Parts[i] : 0).CompareTo(i < other.Parts.Length ? other.Parts[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }
}

/// <summary>The deb's Depends line, computed from the binaries it carries.</summary>
public static class LinuxDependencies
{
    /// <summary>The sonames Debian's libc6 provides; their GLIBC_ versions give libc6's floor.</summary>
    public static readonly IReadOnlySet<string> GlibcLibraries = new HashSet<string>(StringComparer.Ordinal)
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    };

    private static readonly HashSet<string> GccLibraries = new(StringComparer.Ordinal) { "libgcc_s.so.1" };

    /// <summary>
    /// OpenSSL is not in any binary's NEEDED list: .NET's own shim, System.Security.Cryptography.Native (linked into
    /// the native AOT binaries), loads the system libssl at run time (dlopen), OpenSSL 3 first, then 1.1; the helper's
    /// TLS (SslStream) and its cryptography reach OpenSSL only through that shim. So no symbol-version reading can find
    /// it, and it is declared here, the one place, with both sonames the shim tries.
    /// </summary>
    public const string RuntimeLoadedOpenSsl = "libssl3 | libssl1.1";

    /// <summary>
    /// "libc6 (>= X), libgcc-s1 (>= Y), libssl3 | libssl1.1": each needed library's package at the highest symbol
    /// version any of the binaries requires from it, as dpkg-shlibdeps computes it from Debian's symbols files
    /// (libc6's and libgcc-s1's map every GLIBC_x / GCC_x version to package version x).
    /// </summary>
    public static string Depends(IEnumerable<LinuxRequirements> binaries)
    {
        var all = binaries.ToList();
        if (all.Count == 0) throw new PackagingException("No Linux binaries to compute the package dependencies from");
        var unknown = all.SelectMany(b => b.Libraries.Where(l => !GlibcLibraries.Contains(l) && !GccLibraries.Contains(l))
            .Select(l => $"{System.IO.Path.GetFileName(b.Path)} needs {l}")).ToList();
        if (unknown.Count > 0)
            throw new PackagingException($"No Debian package is known for: {string.Join(", ", unknown)}. " +
                                         "Add the library's package to LinuxDependencies, or link the binary without it.");
        var parts = new List<string>();
        var glibc = HighestOf(all, b => b.GlibcFloor)
                    ?? throw new PackagingException($"{all[0].Path}: requires no GLIBC_ symbol version, so the C library floor cannot be computed");
        parts.Add($"libc6 (>= {glibc})");
        if (all.Any(b => b.Libraries.Any(GccLibraries.Contains)))
        {
            var gcc = HighestOf(all, b => b.Highest("GCC_", GccLibraries));
            parts.Add(gcc is null ? "libgcc-s1" : $"libgcc-s1 (>= {gcc})");
        }
        parts.Add(RuntimeLoadedOpenSsl);
        return string.Join(", ", parts);
    }

    private static string? HighestOf(IEnumerable<LinuxRequirements> binaries, Func<LinuxRequirements, string?> version) =>
        binaries.Select(version).OfType<string>().OrderBy(VersionNumber.Parse).LastOrDefault();
}
