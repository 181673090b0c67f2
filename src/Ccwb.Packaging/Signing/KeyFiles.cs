using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Packaging.Signing;

/// <summary>
/// A signing identity as the Sign target takes it: a PKCS#12 file, or a PEM certificate chain (leaf first) with a PEM
/// key; the option names are those the user typed, for the messages.
/// </summary>
internal sealed record KeyFiles(string? Pfx, string? Certificate, string? Key, string? Password,
    string PfxOption, string CertificateOption, string KeyOption)
{
    /// <summary>The chain, leaf first (for a PKCS#12 file: the certificate with the private key first).</summary>
    public X509Certificate2Collection LoadChain()
    {
        if (Pfx is not null)
        {
            RequireFile(Pfx, PfxOption);
            try
            {
                var collection = X509CertificateLoader.LoadPkcs12CollectionFromFile(Pfx, Password ?? "");
                var leaf = collection.FirstOrDefault(c => c.HasPrivateKey)
                    ?? throw new PackagingException($"{Pfx} holds no private key ({PfxOption})");
                var ordered = new X509Certificate2Collection(leaf);
                foreach (var certificate in collection.Where(c => !ReferenceEquals(c, leaf))) ordered.Add(certificate);
                return ordered;
            }
            catch (CryptographicException)
            {
                throw new PackagingException($"Cannot open {Pfx}: wrong password, or not a PKCS#12 file ({PfxOption}, --sign-password-env)");
            }
        }
        if (Certificate is null || Key is null)
            throw new PackagingException($"A PEM signing key needs both {CertificateOption} and {KeyOption}");
        RequireFile(Certificate, CertificateOption);
        RequireFile(Key, KeyOption);
        try
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(Certificate);
            if (chain.Count == 0) throw new PackagingException($"{Certificate} holds no certificate ({CertificateOption})");
            using var key = LoadPemKey();
            return chain;
        }
        catch (CryptographicException e)
        {
            throw new PackagingException($"Cannot read the PEM signing key: {e.Message} ({CertificateOption}, {KeyOption}, --sign-password-env)");
        }
    }

    /// <summary>The RSA private key (what Developer ID Installer identities hold).</summary>
    public RSA LoadRsaKey()
    {
        var chain = LoadChain();
        try
        {
            var key = Pfx is not null ? chain[0].GetRSAPrivateKey() : LoadPemKey() as RSA;
            if (key is null) throw new PackagingException($"The signing key is not an RSA key ({(Pfx is null ? KeyOption : PfxOption)})");
            if (Pfx is null)
            {
                using var certificateKey = chain[0].GetRSAPublicKey();
                if (certificateKey is null || !certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                    throw new PackagingException($"{Key} is not the key of the first certificate in {Certificate} ({KeyOption})");
            }
            return key;
        }
        catch (CryptographicException e)
        {
            throw new PackagingException($"Cannot read the signing key: {e.Message}");
        }
    }

    private AsymmetricAlgorithm LoadPemKey()
    {
        var pem = File.ReadAllText(Key!);
        AsymmetricAlgorithm key = pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal) ? ECDsa.Create() : RSA.Create();
        if (pem.Contains("ENCRYPTED", StringComparison.Ordinal)) key.ImportFromEncryptedPem(pem, Password ?? "");
        else key.ImportFromPem(pem);
        return key;
    }

    private static void RequireFile(string path, string option)
    {
        if (!File.Exists(path)) throw new PackagingException($"Signing key file not found: {path} ({option})");
    }
}
