using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Http.Tls;

/// <summary>Why a server certificate is not trusted, in words the user can act on; null when it is.</summary>
internal static class CertificateProblem
{
    // Revocation status that could not be learnt (no CRL named, revocation server unreachable) is tolerated, as
    // browsers and the AWS SDKs do; a certificate known to be revoked is not.
    private const X509ChainStatusFlags Tolerated = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    // Most specific first: a forged chain usually shows several of these at once.
    private static readonly (X509ChainStatusFlags Flag, string Text)[] Problems =
    [
        (X509ChainStatusFlags.Revoked, "the certificate has been revoked"),
        (X509ChainStatusFlags.InvalidBasicConstraints, "it was issued by a certificate that is not a certificate authority"),
        (X509ChainStatusFlags.NotSignatureValid, "a signature in its chain does not verify"),
        (X509ChainStatusFlags.NotValidForUsage, "it is not meant for TLS servers (extended key usage)"),
        (X509ChainStatusFlags.UntrustedRoot, "it is not issued by a trusted certificate authority"),
        (X509ChainStatusFlags.PartialChain, "it is not issued by a trusted certificate authority"),
    ];

    public static string? Describe(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || certificate is null) return "the server sent no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            if (chain is null) return "its chain could not be built";
            var flags = X509ChainStatusFlags.NoError;
            foreach (var element in chain.ChainElements)
                foreach (var status in element.ChainElementStatus)
                    flags |= status.Status;
            foreach (var status in chain.ChainStatus)
                flags |= status.Status;
            flags &= ~Tolerated;
            if (flags != X509ChainStatusFlags.NoError) return Describe(flags, chain);
        }
        var name = host.Trim('[', ']');
        var nameMatches = IPAddress.TryParse(name, out var address)
            ? NamesAddress(certificate, address)
            : !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
        return nameMatches ? null : $"it is not issued for {name}";
    }

    /// <summary>
    /// RFC 6125 §6.2.1: an IP address matches only an IP address entry. Checked here because SslStream also accepts
    /// a DNS name that spells the address.
    /// </summary>
    private static bool NamesAddress(X509Certificate certificate, IPAddress address)
    {
        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        foreach (var extension in leaf.Extensions)
            if (extension is X509SubjectAlternativeNameExtension names)
                foreach (var entry in names.EnumerateIPAddresses())
                    if (entry.Equals(address)) return true;
        return false;
    }

    private static string Describe(X509ChainStatusFlags flags, X509Chain chain)
    {
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            var leaf = chain.ChainElements[0].Certificate;
            return leaf.NotBefore > DateTime.Now ? $"it is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
                : leaf.NotAfter < DateTime.Now ? $"it expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
                : "a certificate in its chain is outside its validity period";
        }
        foreach (var (flag, text) in Problems)
            if (flags.HasFlag(flag)) return text;
        return "its chain does not verify (" + flags + ")";
    }
}
