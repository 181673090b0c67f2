using Ccwb.Packaging.MacOS;

namespace Ccwb.Packaging.Signing;

/// <summary>The Sign target's step for the macOS package: its Developer ID Installer identity and the sign-or-keep rule.</summary>
internal static class PkgSigning
{
    public static PkgSigner Create(SigningOptions options)
    {
        var files = new KeyFiles(options.PkgPfxFile, options.PkgCertificateFile, options.PkgKeyFile, options.Password,
            "--pkg-sign-pfx", "--pkg-sign-cert", "--pkg-sign-key");
        return new PkgSigner(files.LoadChain(), files.LoadRsaKey(), options.RepositoryDate);
    }

    /// <summary>Signs into <paramref name="staged"/> (queued to replace the file), or keeps a package signed by this identity.</summary>
    public static void Sign(PkgSigner signer, string file, string staged, List<(string Staged, string Final)> replacements,
        Action<string> log, string relative)
    {
        if (PkgSigner.IsSigned(file))
        {
            signer.VerifyOwn(file);
            log($"Sign: {relative} is already signed; left as it is.");
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        signer.Sign(file, staged);
        replacements.Add((staged, file));
    }
}
