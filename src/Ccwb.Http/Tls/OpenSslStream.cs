using System.Net;
using System.Text;

namespace Ccwb.Http.Tls;

/// <summary>
/// A TLS client connection through the system's OpenSSL over an already connected socket. The peer must present a
/// certificate chain that names the host and is trusted by the CA bundle when one is given, else by the system store
/// (OpenSSL's default paths, so <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c> apply); TLS 1.2 is the minimum.
/// </summary>
/// <remarks>
/// OpenSSL reads and writes memory buffers, and this class moves the bytes through the .NET socket. Handing OpenSSL
/// the socket itself would let its write(2) raise SIGPIPE, which kills the process when the server closes early (the
/// runtime ignores SIGPIPE only once its signal handling has started; .NET's own sends pass MSG_NOSIGNAL).
/// </remarks>
internal sealed unsafe class OpenSslStream : ConnectionStream
{
    private readonly SocketStream inner;
    private readonly byte[] transfer = new byte[16 * 1024];
    private nint context;
    private nint ssl;
    private nint incoming;
    private nint outgoing;
    private bool peerClosed;

    private OpenSslStream(SocketStream inner) => this.inner = inner;

    public static OpenSslStream Connect(SocketStream inner, string host, string? caBundle)
    {
        var stream = new OpenSslStream(inner);
        try
        {
            stream.Handshake(host, caBundle);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private void Handshake(string host, string? caBundle)
    {
        var api = OpenSsl.Api;
        api.ErrClearError();
        context = api.SslCtxNew(api.TlsClientMethod());
        if (context == 0) throw Failure(host, "cannot create a TLS context");
        if (caBundle is null)
        {
            if (api.SslCtxSetDefaultVerifyPaths(context) != 1) throw Failure(host, "cannot load the system's trusted certificates");
        }
        else
        {
            fixed (byte* path = Encoding.UTF8.GetBytes(caBundle + "\0"))
                if (api.SslCtxLoadVerifyLocations(context, path, null) != 1) throw Failure(host, $"cannot load the CA bundle {caBundle}");
        }
        api.SslCtxSetVerify(context, OpenSsl.SslVerifyPeer, 0);
        api.SslCtxCtrl(context, OpenSsl.SslCtrlSetMinProtoVersion, OpenSsl.Tls12Version, 0);
        // Retries of a write may pass the same bytes from a different address (the GC moves arrays).
        api.SslCtxCtrl(context, OpenSsl.SslCtrlMode, OpenSsl.SslModeAcceptMovingWriteBuffer, 0);

        ssl = api.SslNew(context);
        if (ssl == 0) throw Failure(host, "cannot set up the TLS connection");
        incoming = api.BioNew(api.BioSMem());
        outgoing = api.BioNew(api.BioSMem());
        api.SslSetBio(ssl, incoming, outgoing); // the connection owns (and frees) the buffers from here on
        if (incoming == 0 || outgoing == 0) throw Failure(host, "cannot set up the TLS connection");
        var name = Encoding.UTF8.GetBytes(host.Trim('[', ']') + "\0");
        fixed (byte* text = name)
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out _))
            {
                if (api.X509VerifyParamSet1IpAsc(api.SslGet0Param(ssl), text) != 1) throw Failure(host, "cannot set the expected IP address");
            }
            else
            {
                // SNI, and the name the certificate must carry.
                if (api.SslCtrl(ssl, OpenSsl.SslCtrlSetTlsExtHostName, OpenSsl.TlsExtNameTypeHostName, (nint)text) != 1 ||
                    api.SslSet1Host(ssl, text) != 1)
                    throw Failure(host, "cannot set the expected host name");
                api.SslSetHostFlags(ssl, OpenSsl.X509CheckFlagNoPartialWildcards);
            }
        }

        while (true)
        {
            api.ErrClearError();
            var result = api.SslConnect(ssl);
            SendOutgoing();
            if (result == 1) break;
            var error = api.SslGetError(ssl, result);
            if (error == OpenSsl.ErrorWantRead && ReceiveIncoming()) continue;
            var verify = api.SslGetVerifyResult(ssl);
            if (verify != 0) throw new HttpTransportException($"the TLS certificate of {host} is not trusted: {OpenSsl.VerifyErrorText(verify)}");
            if (peerClosed) throw new HttpTransportException($"{host} closed the connection during the TLS handshake.");
            throw Failure(host, "the TLS handshake failed");
        }
        // SSL_VERIFY_PEER already aborts an untrusted handshake; checked again so a mistake above cannot pass silently.
        var outcome = api.SslGetVerifyResult(ssl);
        if (outcome != 0) throw new HttpTransportException($"the TLS certificate of {host} is not trusted: {OpenSsl.VerifyErrorText(outcome)}");
    }

    /// <summary>Sends what OpenSSL has written to its outgoing buffer.</summary>
    private void SendOutgoing()
    {
        fixed (byte* buffer = transfer)
        {
            int count;
            while ((count = OpenSsl.Api.BioRead(outgoing, buffer, transfer.Length)) > 0)
                inner.Write(transfer.AsSpan(0, count));
        }
    }

    /// <summary>Gives OpenSSL the next bytes from the server; false once the server has closed the connection.</summary>
    private bool ReceiveIncoming()
    {
        if (peerClosed) return false;
        var count = inner.Read(transfer);
        var api = OpenSsl.Api;
        if (count == 0)
        {
            peerClosed = true;
            api.BioCtrl(incoming, OpenSsl.BioCtrlSetBufMemEofReturn, 0, 0); // an empty buffer now reads as end of stream
            return false;
        }
        fixed (byte* buffer = transfer)
            if (api.BioWrite(incoming, buffer, count) != count) throw new HttpTransportException("the TLS connection failed: OpenSSL refused incoming data.");
        return true;
    }

    private static HttpTransportException Failure(string host, string what)
    {
        var detail = OpenSsl.TakeErrors();
        return new HttpTransportException($"{what} with {host}" + (detail is null ? "." : $": {detail}"));
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        var api = OpenSsl.Api;
        fixed (byte* target = buffer)
        {
            while (true)
            {
                api.ErrClearError();
                var read = api.SslRead(ssl, target, buffer.Length);
                SendOutgoing(); // TLS 1.3 may answer post-handshake messages
                if (read > 0) return read;
                var error = api.SslGetError(ssl, read);
                if (error == OpenSsl.ErrorWantRead && ReceiveIncoming()) continue;
                // The server closed the connection, cleanly or (common with "Connection: close") without close_notify.
                // Bodies with a length or chunked framing detect truncation themselves.
                if (error is OpenSsl.ErrorZeroReturn or OpenSsl.ErrorWantRead || peerClosed)
                {
                    api.ErrClearError();
                    return 0;
                }
                throw new HttpTransportException("the TLS connection failed while reading: " + (OpenSsl.TakeErrors() ?? $"error {error}"));
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var api = OpenSsl.Api;
        while (!buffer.IsEmpty)
        {
            int written;
            fixed (byte* source = buffer)
            {
                api.ErrClearError();
                written = api.SslWrite(ssl, source, buffer.Length);
            }
            var error = written > 0 ? 0 : api.SslGetError(ssl, written);
            SendOutgoing();
            if (written > 0) buffer = buffer[written..];
            else if (error != OpenSsl.ErrorWantRead || !ReceiveIncoming())
                throw new HttpTransportException("the TLS connection failed while sending: " + (OpenSsl.TakeErrors() ?? $"error {error}"));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (ssl != 0)
        {
            OpenSsl.Api.SslFree(ssl); // frees both buffers too
            ssl = 0;
        }
        if (context != 0)
        {
            OpenSsl.Api.SslCtxFree(context);
            context = 0;
        }
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
