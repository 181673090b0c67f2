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
                return IssuerOrder(leaf, collection);
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
            return IssuerOrder(chain[0], chain);
        }
        catch (CryptographicException e)
        {
            throw new PackagingException($"Cannot read the PEM signing key: {e.Message} ({CertificateOption}, {KeyOption}, --sign-password-env)");
        }
    }

    /// <summary>
    /// The leaf, then its issuer, then that one's issuer, and so on; certificates outside that path keep their order at
    /// the end. A PKCS#12 file keeps no order (openssl's export writes the extra certificates in reverse), and a
    /// signature whose chain is out of order fails to verify on some verifiers, so the order is rebuilt here.
    /// </summary>
    internal static X509Certificate2Collection IssuerOrder(X509Certificate2 leaf, X509Certificate2Collection certificates)
    {
        var rest = certificates.Where(c => !ReferenceEquals(c, leaf)).ToList();
        var ordered = new X509Certificate2Collection(leaf);
        var current = leaf;
        while (!IssuedBy(current, current) && rest.FirstOrDefault(c => IssuedBy(current, c)) is { } issuer)
        {
            ordered.Add(issuer);
            rest.Remove(issuer);
            current = issuer;
        }
        foreach (var certificate in rest) ordered.Add(certificate);
        return ordered;
    }

    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 issuer) =>
        certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData);

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
