using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Http.Tls;

/// <summary>
/// A TLS client connection (SslStream, the platform's TLS on every OS) over a <see cref="SocketStream"/>, so every
/// read and write of the handshake and the records keeps the request's deadline. TLS 1.2 and 1.3 only, whatever the
/// system's OpenSSL or Schannel configuration would allow; the certificate must name the host and chain to the
/// trusted authorities; revocation is checked online but within the request's time limit (an unreachable CRL or OCSP
/// server is tolerated, as browsers do; a revoked certificate is not). Every failure is an
/// <see cref="HttpTransportException"/>.
/// <para>
/// The handshake's own chain is built offline. The online check (missing intermediates, CRLs, OCSP) runs beside it on
/// a worker thread that is waited for at most the revocation budget: X509Chain fetches one URL after another, each
/// with its own time-out, so a certificate naming several silent servers would otherwise hold the request for a
/// multiple of that time-out, however it is set. When the budget is spent, the offline verdict stands, as for an
/// unreachable revocation server; the abandoned check ends on its own.
/// </para>
/// </summary>
internal sealed class TlsStream : ConnectionStream
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The online check waits at most this long, and at most half the request's remaining time.</summary>
    private static readonly TimeSpan MaxRevocationTime = TimeSpan.FromSeconds(5);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly SocketStream socket;
    private readonly SslStream tls;
    private readonly string host;
    private readonly Deadline deadline;
    private string? untrusted;
    private bool closeNotified;

    private TlsStream(SocketStream socket, string host, Deadline deadline)
    {
        this.socket = socket;
        this.host = host;
        this.deadline = deadline;
        tls = new SslStream(socket, leaveInnerStreamOpen: false, Validate);
    }

    /// <summary>
    /// True when the server ended the connection with a TLS close_notify; false when the TCP connection just ended,
    /// which an attacker can cause at any point, so an answer without a length is then not known to be whole.
    /// </summary>
    public override bool EndedCleanly => closeNotified;

    public static TlsStream Connect(SocketStream socket, string host, TrustedAuthorities trust, Deadline deadline)
    {
        var roots = trust.IsSystem ? null : trust.Load();
        var connection = new TlsStream(socket, host, deadline);
        try
        {
            connection.Handshake(roots);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Handshake(X509Certificate2Collection? roots)
    {
        // Offline: no download can stall the handshake itself (see OnlineChain).
        var policy = new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            RevocationFlag = X509RevocationFlag.ExcludeRoot,
            DisableCertificateDownloads = true,
        };
        policy.ApplicationPolicy.Add(ServerAuthentication);
        if (roots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host.Trim('[', ']'),
            EnabledSslProtocols = Protocols,
            CertificateChainPolicy = policy,
        };
        try
        {
            tls.AuthenticateAsClient(options);
        }
        catch (Exception e) when (e is not HttpTransportException)
        {
            throw Failure(e);
        }
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        untrusted = CertificateProblem.Describe(host, certificate, chain, errors);
        if (untrusted is not null && !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)) return false; // no certificate, wrong name
        if (certificate is null || chain is null || OnlineChain(certificate, chain.ChainPolicy) is not { } online) return untrusted is null;
        using (online.Chain)
        {
            var chainErrors = online.Valid ? SslPolicyErrors.None : SslPolicyErrors.RemoteCertificateChainErrors;
            untrusted = CertificateProblem.Describe(host, certificate, online.Chain, errors & ~SslPolicyErrors.RemoteCertificateChainErrors | chainErrors);
        }
        return untrusted is null;
    }

    /// <summary>
    /// The chain built with downloads and online revocation, or null when that took longer than the revocation budget
    /// (half the request's remaining time, at most <see cref="MaxRevocationTime"/>).
    /// </summary>
    private (X509Chain Chain, bool Valid)? OnlineChain(X509Certificate certificate, X509ChainPolicy offline)
    {
        var remaining = deadline.Remaining;
        var budget = remaining / 2 < MaxRevocationTime ? remaining / 2 : MaxRevocationTime;
        var policy = offline.Clone();
        policy.RevocationMode = X509RevocationMode.Online;
        policy.DisableCertificateDownloads = false;
        // Per download; longer than the budget, so a silent server is given up by the wait below, not by a download
        // time-out that would let the next URL be tried within it.
        policy.UrlRetrievalTimeout = remaining;
        var encoded = certificate.GetRawCertData(); // the handshake's certificate object may be gone before an abandoned check ends
        var build = Task.Run(() =>
        {
            using var leaf = X509CertificateLoader.LoadCertificate(encoded);
            var chain = new X509Chain { ChainPolicy = policy };
            try
            {
                return (chain, chain.Build(leaf));
            }
            catch (CryptographicException)
            {
                return (chain, false); // a certificate the platform cannot process is not trusted
            }
        });
        if (build.Wait(budget)) return build.Result;
        build.ContinueWith(abandoned => abandoned.Result.chain.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
        return null;
    }

    private HttpTransportException Failure(Exception e)
    {
        if (Transport(e) is { } transport) return transport;
        if (untrusted is not null) return new HttpTransportException($"the TLS certificate of {host} is not trusted: {untrusted}.", e);
        if (socket.ReachedEnd) return new HttpTransportException($"{host} closed the connection during the TLS handshake.", e);
        return new HttpTransportException($"the TLS handshake with {host} failed: {Innermost(e)}", e);
    }

    /// <summary>A transport error of our own socket (time-out, reset) that SslStream passed on or wrapped.</summary>
    private static HttpTransportException? Transport(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is HttpTransportException transport) return transport;
        return null;
    }

    private static string Innermost(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException) message = inner.Message;
        return HttpMessage.Printable(message.TrimEnd('.'), 200) + ".";
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try { read = tls.Read(buffer); }
        catch (Exception e) when (e is not HttpTransportException)
        {
            throw Transport(e) ?? new HttpTransportException($"the TLS connection failed while reading: {Innermost(e)}", e);
        }
        if (read == 0 && !buffer.IsEmpty) closeNotified = !socket.ReachedEnd; // SslStream ends at close_notify without reading on
        return read;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { tls.Write(buffer); }
        catch (Exception e) when (e is not HttpTransportException)
        {
            throw Transport(e) ?? new HttpTransportException($"the TLS connection failed while sending: {Innermost(e)}", e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) tls.Dispose(); // and the socket
        base.Dispose(disposing);
    }
}
