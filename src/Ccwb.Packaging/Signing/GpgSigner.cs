using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Signing;

/// <summary>Detached, armored GPG signatures (for .deb files and the apt repository's Release), verified after signing.</summary>
public sealed class GpgSigner
{
    private readonly ExternalTool _gpg;
    private readonly string _key;
    private readonly string? _homeDirectory;

    public GpgSigner(string key, string? homeDirectory, ExternalTool? gpg = null)
    {
        _gpg = gpg ?? KnownTools.Gpg();
        _key = key;
        _homeDirectory = homeDirectory;
        if (homeDirectory is not null && !Directory.Exists(homeDirectory))
            throw new PackagingException($"GnuPG home directory not found: {homeDirectory} (--gpg-homedir)");
        var secret = _gpg.Run(Common(["--list-secret-keys", key]));
        if (secret.ExitCode != 0)
            throw new PackagingException($"GPG key '{key}' has no secret key in {homeDirectory ?? "the default GnuPG home"} (--gpg-key, --gpg-homedir)");
    }

    /// <summary>Writes <paramref name="signature"/> as a detached ASCII-armored signature of <paramref name="file"/>.</summary>
    public void DetachSign(string file, string signature)
    {
        _gpg.RunChecked($"Signing {Path.GetFileName(file)}",
            Common(["--local-user", _key, "--armor", "--detach-sign", "--output", signature, file]));
        Verify(signature, file);
    }

    /// <summary>Writes an inline (cleartext) signed copy of <paramref name="file"/>, as apt's InRelease.</summary>
    public void ClearSign(string file, string output)
    {
        _gpg.RunChecked($"Signing {Path.GetFileName(file)}", Common(["--local-user", _key, "--clearsign", "--output", output, file]));
        var verify = _gpg.Run(Common(["--verify", output]));
        if (verify.ExitCode != 0) throw new PackagingException($"GPG verification of {Path.GetFileName(output)} failed: {verify.LastLine}");
    }

    public void Verify(string signature, string file)
    {
        var result = _gpg.Run(Common(["--verify", signature, file]));
        if (result.ExitCode != 0) throw new PackagingException($"GPG verification of {Path.GetFileName(file)} failed: {result.LastLine}");
    }

    /// <summary>The public key, armored, for users to add to their apt keyring.</summary>
    public string ExportPublicKey() => _gpg.RunChecked("Exporting the public key", Common(["--armor", "--export", _key])).StandardOutput;

    private List<string> Common(IEnumerable<string> arguments)
    {
        var all = new List<string> { "--batch", "--yes", "--pinentry-mode", "loopback" };
        if (_homeDirectory is not null) all.AddRange(["--homedir", _homeDirectory]);
        all.AddRange(arguments);
        return all;
    }
}
