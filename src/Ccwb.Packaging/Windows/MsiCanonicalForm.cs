using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Windows;

/// <summary>
/// Puts an MSI in the layout that Authenticode signing leaves it in. osslsigncode rewrites the MSI's compound file in
/// its own sector layout when it signs, and keeps that layout when it removes the signature (whatever key signed it);
/// wixl's layout differs. So that a signed release's MSI with its signature removed is byte-identical to the unsigned
/// build, the build signs each MSI with a throw-away key made here and removes that signature again. The streams and
/// tables are untouched; only their placement in the file changes.
/// </summary>
public sealed class MsiCanonicalForm(string workDirectory, ExternalTool? osslsigncode = null)
{
    private readonly ExternalTool _osslsigncode = osslsigncode ?? KnownTools.Osslsigncode();
    private readonly string _directory = Path.Combine(workDirectory, "msi-layout");

    public void Apply(string msi)
    {
        var (certificate, key) = ThrowAwayKey();
        var signed = Path.Combine(_directory, Path.GetFileName(msi));
        File.Delete(signed);
        _osslsigncode.RunChecked($"Laying out {Path.GetFileName(msi)}", ["sign", "-h", "sha256", "-certs", certificate, "-key", key, "-in", msi, "-out", signed]);
        File.Delete(msi);
        _osslsigncode.RunChecked($"Laying out {Path.GetFileName(msi)}", ["remove-signature", "-in", signed, "-out", msi]);
        File.Delete(signed);
    }

    private (string Certificate, string Key) ThrowAwayKey()
    {
        var certificate = Path.Combine(_directory, "layout.crt");
        var key = Path.Combine(_directory, "layout.key");
        if (File.Exists(certificate)) return (certificate, key);
        Directory.CreateDirectory(_directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=MSI layout only (never distributed)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificate, self.ExportCertificatePem());
        return (certificate, key);
    }
}
