using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Verification;

/// <summary>
/// Removes signatures so that a signed release artifact can be compared with an unsigned rebuild: Authenticode from
/// .exe and .msi (osslsigncode remove-signature), dpkg-sig's embedded _gpg* members from a .deb. A detached .asc
/// beside a .deb leaves the .deb untouched, so such a .deb needs nothing removed.
/// </summary>
public sealed class SignatureStripper(ExternalTool? osslsigncode = null)
{
    private readonly ExternalTool _osslsigncode = osslsigncode ?? KnownTools.Osslsigncode();

    /// <summary>True when the file type can carry an embedded signature that <see cref="Strip"/> removes.</summary>
    public static bool CanCarrySignature(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".exe" or ".msi" or ".deb";

    /// <summary>
    /// Writes <paramref name="source"/> without its signature to <paramref name="destination"/>; returns false (and
    /// writes nothing) when the file carries none.
    /// </summary>
    public bool Strip(string source, string destination)
    {
        switch (Path.GetExtension(source).ToLowerInvariant())
        {
            case ".exe" or ".msi":
                if (_osslsigncode.Run(["extract-signature", "-in", source, "-out", destination + ".sig"]).ExitCode != 0)
                {
                    File.Delete(destination + ".sig");
                    return false;
                }
                File.Delete(destination + ".sig");
                File.Delete(destination);
                _osslsigncode.RunChecked($"Removing the signature of {Path.GetFileName(source)}", ["remove-signature", "-in", source, "-out", destination]);
                return true;
            case ".deb":
                var members = ArArchive.Read(source);
                if (!members.Any(IsDpkgSigMember)) return false;
                ArArchive.Write(destination, members.Where(m => !IsDpkgSigMember(m)));
                return true;
            default:
                return false;
        }
    }

    private static bool IsDpkgSigMember(ArArchive.Member member) => member.Name.StartsWith("_gpg", StringComparison.Ordinal);
}
