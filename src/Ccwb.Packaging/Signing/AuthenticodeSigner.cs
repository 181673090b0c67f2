using System.Security.Cryptography.X509Certificates;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Signing;

/// <summary>
/// Authenticode for .exe and .msi through osslsigncode, with a PFX or a PEM key and chain. Keys are checked before
/// anything is signed; files that already carry a signature are left as they are; every signature is verified
/// against the signing chain afterwards.
/// </summary>
public sealed class AuthenticodeSigner
{
    private readonly ExternalTool _osslsigncode;
    private readonly SigningOptions _options;
    private readonly string _workDirectory;
    private readonly string _chainFile;

    public AuthenticodeSigner(SigningOptions options, string workDirectory, ExternalTool? osslsigncode = null)
    {
        _options = options;
        _workDirectory = workDirectory;
        _osslsigncode = osslsigncode ?? KnownTools.Osslsigncode();
        var chain = LoadChain(options);
        _osslsigncode.Resolve();
        Directory.CreateDirectory(workDirectory);
        // The chain as PEM: osslsigncode verifies the signature against it (the signer need not be publicly trusted).
        _chainFile = Path.Combine(workDirectory, "chain.pem");
        File.WriteAllText(_chainFile, string.Concat(chain.Select(c => c.ExportCertificatePem() + "\n")));
    }

    /// <summary>True when the file already has an Authenticode signature.</summary>
    public bool IsSigned(string file)
    {
        var probe = Path.Combine(_workDirectory, "probe-" + Guid.NewGuid().ToString("N")[..8] + ".sig");
        var result = _osslsigncode.Run(["extract-signature", "-in", file, "-out", probe]);
        File.Delete(probe);
        return result.ExitCode == 0;
    }

    /// <summary>Signs <paramref name="source"/> into <paramref name="destination"/> and verifies the result.</summary>
    public void Sign(string source, string destination, string description)
    {
        var arguments = new List<string> { "sign", "-h", "sha256", "-n", description };
        string? passwordFile = null;
        try
        {
            if (_options.Password is { Length: > 0 } password)
            {
                // A file, not -pass: command lines are visible to every process on the machine.
                passwordFile = Path.Combine(_workDirectory, "pass-" + Guid.NewGuid().ToString("N"));
                File.WriteAllText(passwordFile, "");
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.WriteAllText(passwordFile, password);
                arguments.AddRange(["-readpass", passwordFile]);
            }
            if (_options.PfxFile is not null) arguments.AddRange(["-pkcs12", _options.PfxFile]);
            else arguments.AddRange(["-certs", _options.CertificateFile!, "-key", _options.KeyFile!]);
            if (_options.TimestampUrl is not null) arguments.AddRange(["-ts", _options.TimestampUrl]);
            arguments.AddRange(["-in", source, "-out", destination]);
            _osslsigncode.RunChecked($"Signing {Path.GetFileName(source)}", arguments);
        }
        finally
        {
            if (passwordFile is not null) File.Delete(passwordFile);
        }
        Verify(destination);
    }

    public void Verify(string file)
    {
        var result = _osslsigncode.Run(["verify", "-CAfile", _chainFile, "-in", file]);
        if (result.ExitCode != 0)
            throw new PackagingException($"Authenticode verification of {Path.GetFileName(file)} failed: {result.LastLine}");
    }

    private static X509Certificate2Collection LoadChain(SigningOptions options) =>
        new KeyFiles(options.PfxFile, options.CertificateFile, options.KeyFile, options.Password, "--sign-pfx", "--sign-cert", "--sign-key").LoadChain();
}
