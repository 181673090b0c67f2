using System.Globalization;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Signing;

/// <summary>
/// A flat apt repository (<c>deb [signed-by=…/archive-key.asc] &lt;url&gt; ./</c>): the .deb files, Packages,
/// Packages.gz and a Release with their hashes (written by apt-ftparchive), the archive's public key, and Release
/// signed two ways (InRelease inline, Release.gpg detached).
/// </summary>
/// <remarks>
/// The index is reproducible: Release's Date is the build's SOURCE_DATE_EPOCH (apt-ftparchive would write the
/// current time), apt-ftparchive lists packages sorted by file name, and gzip -n stores no name or time. The same
/// debs therefore give byte-identical Packages, Packages.gz and Release. InRelease and Release.gpg are not: an
/// OpenPGP signature carries its own creation time.
/// </remarks>
public static class AptRepository
{
    public const string Folder = "apt";
    public const string PublicKeyFile = "archive-key.asc";
    private static readonly string[] SignatureFiles = ["InRelease", "Release.gpg"];

    /// <summary>
    /// Writes the unsigned repository into <paramref name="directory"/>: the debs, Packages, Packages.gz, Release dated
    /// <paramref name="date"/>, and <paramref name="publicKey"/> as archive-key.asc.
    /// </summary>
    public static void WriteIndex(string directory, IEnumerable<string> debs, string label, DateTimeOffset date, string publicKey)
    {
        var ftparchive = KnownTools.AptFtpArchive();
        ftparchive.Resolve();
        Directory.CreateDirectory(directory);
        foreach (var deb in debs) File.Copy(deb, Path.Combine(directory, Path.GetFileName(deb)), overwrite: true);

        var packages = ftparchive.RunChecked("Indexing the apt repository", ["packages", "."], workingDirectory: directory).StandardOutput;
        File.WriteAllText(Path.Combine(directory, "Packages"), packages);
        KnownTools.Gzip().RunChecked("Compressing Packages", ["-9nkf", "Packages"], workingDirectory: directory);
        var release = ftparchive.RunChecked("Writing Release", [
            "-o", $"APT::FTPArchive::Release::Origin={label}",
            "-o", $"APT::FTPArchive::Release::Label={label}",
            "-o", "APT::FTPArchive::Release::Suite=stable",
            "-o", $"APT::FTPArchive::Release::Date={ReleaseDate(date)}",
            "release", "."], workingDirectory: directory).StandardOutput;
        File.WriteAllText(Path.Combine(directory, "Release"), release);
        File.WriteAllText(Path.Combine(directory, PublicKeyFile), publicKey);
    }

    /// <summary>Signs the Release that <see cref="WriteIndex"/> wrote: InRelease (inline) and Release.gpg (detached).</summary>
    public static void Sign(string directory, GpgSigner signer)
    {
        var release = Path.Combine(directory, "Release");
        signer.ClearSign(release, Path.Combine(directory, "InRelease"));
        signer.DetachSign(release, Path.Combine(directory, "Release.gpg"));
    }

    /// <summary>
    /// True when <paramref name="existing"/> holds exactly the index in <paramref name="index"/> (same files, same
    /// bytes) and both its Release signatures are good signatures by <paramref name="signer"/>'s key: then signing
    /// again would only change the signatures' times.
    /// </summary>
    public static bool IsSignedCopyOf(string existing, string index, GpgSigner signer)
    {
        if (!Directory.Exists(existing)) return false;
        var wanted = Names(index).Concat(SignatureFiles).Order(StringComparer.Ordinal);
        if (!wanted.SequenceEqual(Names(existing), StringComparer.Ordinal)) return false;
        foreach (var name in Names(index))
            if (!FilesEqual(Path.Combine(existing, name), Path.Combine(index, name))) return false;
        var release = Path.Combine(existing, "Release");
        return signer.HasValidInlineSignature(Path.Combine(existing, "InRelease"), release) &&
               signer.HasValidSignature(Path.Combine(existing, "Release.gpg"), release);
    }

    /// <summary>The file names of a repository folder, sorted.</summary>
    public static IReadOnlyList<string> Names(string directory) =>
        [.. Directory.EnumerateFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>RFC 1123 in UTC, the form Debian's archives use.</summary>
    public static string ReleaseDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static bool FilesEqual(string a, string b) =>
        new FileInfo(a).Length == new FileInfo(b).Length && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
}
