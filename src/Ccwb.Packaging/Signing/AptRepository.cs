using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Signing;

/// <summary>
/// A flat apt repository (<c>deb [signed-by=…] &lt;url&gt; ./</c>): the .deb files, Packages, Packages.gz, a Release with
/// their hashes, and Release signed two ways (InRelease inline, Release.gpg detached), written by apt-ftparchive.
/// </summary>
public static class AptRepository
{
    public const string Folder = "apt";

    /// <summary>Builds the repository in <paramref name="directory"/> from <paramref name="debs"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Build(string directory, IEnumerable<string> debs, GpgSigner signer, string label)
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
            "release", "."], workingDirectory: directory).StandardOutput;
        File.WriteAllText(Path.Combine(directory, "Release"), release);
        signer.ClearSign(Path.Combine(directory, "Release"), Path.Combine(directory, "InRelease"));
        signer.DetachSign(Path.Combine(directory, "Release"), Path.Combine(directory, "Release.gpg"));
        File.WriteAllText(Path.Combine(directory, "archive-key.asc"), signer.ExportPublicKey());
        return Directory.EnumerateFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;
    }
}
