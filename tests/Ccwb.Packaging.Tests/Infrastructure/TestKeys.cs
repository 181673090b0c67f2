using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>Throw-away signing keys made by the real tools: an Authenticode PFX and PEM pair (openssl), a GPG key in a temp GNUPGHOME.</summary>
public sealed class TestKeys : IDisposable
{
    public const string PfxPassword = "correct horse battery staple";
    public const string GpgUid = "Release Signing Test <release@example.com>";

    private readonly TempDirectory _directory = new("ccwb-keys");

    public TestKeys()
    {
        CertificatePem = _directory.Combine("cert.pem");
        KeyPem = _directory.Combine("key.pem");
        Pfx = _directory.Combine("signing.pfx");
        Run.Checked("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Claude Code Bedrock Test Signing",
            "-addext", "extendedKeyUsage=codeSigning", "-keyout", KeyPem, "-out", CertificatePem);
        Run.Checked("openssl", "pkcs12", "-export", "-inkey", KeyPem, "-in", CertificatePem, "-out", Pfx, "-passout", "pass:" + PfxPassword);

        GnupgHome = _directory.Combine("gnupg");
        Directory.CreateDirectory(GnupgHome);
        File.SetUnixFileMode(GnupgHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Run.Checked("gpg", "--homedir", GnupgHome, "--batch", "--passphrase", "", "--quick-gen-key", GpgUid, "rsa2048", "sign", "never");
    }

    public string CertificatePem { get; }
    public string KeyPem { get; }
    public string Pfx { get; }
    public string GnupgHome { get; }

    public void Dispose()
    {
        Run.Tool("gpgconf", ["--homedir", GnupgHome, "--kill", "all"]);
        _directory.Dispose();
    }
}
