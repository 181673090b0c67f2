using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Signing;

/// <summary>
/// Detached, armored GPG signatures (for .deb files and the apt repository's Release), verified after signing.
/// The key is checked when the signer is made, by signing a few bytes: a missing key or a passphrase-protected key
/// that gpg-agent has not unlocked fails there, before any file of the release is touched.
/// </summary>
/// <remarks>
/// No passphrase passes through this process: gpg runs in batch mode and takes it from gpg-agent's cache, where the
/// release engineer (or CI) puts it with gpg-preset-passphrase. A secret kept out of our command lines, environment
/// and logs cannot leak from them.
/// </remarks>
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
        var secret = _gpg.Run(Common(["--with-colons", "--list-secret-keys", key]));
        if (secret.ExitCode != 0)
            throw new PackagingException($"GPG key '{key}' has no secret key in {HomeName} (--gpg-key, --gpg-homedir)");
        Fingerprint = FirstFingerprint(secret.StandardOutput)
                      ?? throw new PackagingException($"GPG key '{key}' has no fingerprint in {HomeName} (--gpg-key, --gpg-homedir)");
        var probe = _gpg.Run(Common(["--local-user", _key, "--armor", "--detach-sign"]), standardInput: "signing probe\n");
        if (probe.ExitCode != 0)
            throw new PackagingException(
                $"GPG key '{key}' cannot sign ({probe.LastLine}); a passphrase-protected key must first be unlocked in gpg-agent with gpg-preset-passphrase (--gpg-key, --gpg-homedir)");
    }

    /// <summary>The primary key's fingerprint: what a signature must name to count as ours.</summary>
    public string Fingerprint { get; }

    private string HomeName => _homeDirectory ?? "the default GnuPG home";

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
        if (!IsOurs(Common(["--status-fd", "1", "--verify", output])))
            throw new PackagingException($"GPG verification of {Path.GetFileName(output)} failed");
    }

    public void Verify(string signature, string file)
    {
        if (!IsOurs(Common(["--status-fd", "1", "--verify", signature, file])))
            throw new PackagingException($"GPG verification of {Path.GetFileName(file)} failed");
    }

    /// <summary>True when <paramref name="signature"/> exists and is a good signature of <paramref name="file"/> by this key.</summary>
    public bool HasValidSignature(string signature, string file) =>
        File.Exists(signature) && File.Exists(file) && IsOurs(Common(["--status-fd", "1", "--verify", signature, file]));

    /// <summary>
    /// True when the cleartext-signed <paramref name="signedFile"/> carries a good signature by this key over exactly the
    /// text of <paramref name="file"/>.
    /// </summary>
    public bool HasValidInlineSignature(string signedFile, string file)
    {
        if (!File.Exists(signedFile) || !File.Exists(file)) return false;
        // --decrypt of a cleartext signature prints the signed text on stdout; the status lines go to stderr.
        var result = _gpg.Run(Common(["--status-fd", "2", "--decrypt", signedFile]));
        return result.ExitCode == 0 && NamesOurKey(result.StandardError) &&
               string.Equals(result.StandardOutput, File.ReadAllText(file), StringComparison.Ordinal);
    }

    /// <summary>The public key, armored, for users to add to their apt keyring.</summary>
    public string ExportPublicKey() => _gpg.RunChecked("Exporting the public key", Common(["--armor", "--export", Fingerprint])).StandardOutput;

    /// <summary>
    /// A verification counts only with a VALIDSIG status naming this key's primary fingerprint (its last field):
    /// exit code 0 alone would also accept a good signature by any other key in the keyring.
    /// </summary>
    private bool IsOurs(IEnumerable<string> verifyArguments)
    {
        var result = _gpg.Run(verifyArguments);
        return result.ExitCode == 0 && NamesOurKey(result.StandardOutput);
    }

    private bool NamesOurKey(string status) => status.Split('\n').Any(line =>
        line.StartsWith("[GNUPG:] VALIDSIG ", StringComparison.Ordinal) &&
        line.TrimEnd().EndsWith(" " + Fingerprint, StringComparison.Ordinal));

    private static string? FirstFingerprint(string colonListing) =>
        colonListing.Split('\n').FirstOrDefault(l => l.StartsWith("fpr:", StringComparison.Ordinal))?.Split(':')[9];

    private List<string> Common(IEnumerable<string> arguments)
    {
        var all = new List<string> { "--batch", "--yes", "--pinentry-mode", "loopback" };
        if (_homeDirectory is not null) all.AddRange(["--homedir", _homeDirectory]);
        all.AddRange(arguments);
        return all;
    }
}
