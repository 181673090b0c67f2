using System.Net;
using System.Text;

namespace Ccwb.Http.Tls;

/// <summary>
/// A TLS client connection through the system's OpenSSL over an already connected socket. The peer must present a
/// certificate chain that names the host and is trusted by the CA bundle when one is given, else by the system store
/// (OpenSSL's default paths, so <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c> apply); TLS 1.2 is the minimum.
/// </summary>
internal sealed unsafe class OpenSslStream : ConnectionStream
{
    private readonly SocketStream inner;
    private nint context;
    private nint ssl;

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
        // Retries of a non-blocking write may pass the same bytes from a different address (the GC moves arrays).
        api.SslCtxCtrl(context, OpenSsl.SslCtrlMode, OpenSsl.SslModeAcceptMovingWriteBuffer, 0);

        ssl = api.SslNew(context);
        if (ssl == 0 || api.SslSetFd(ssl, (int)inner.Socket.Handle) != 1) throw Failure(host, "cannot set up the TLS connection");
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
            if (result == 1) break;
            if (!WaitFor(api.SslGetError(ssl, result)))
            {
                var verify = api.SslGetVerifyResult(ssl);
                throw verify != 0
                    ? new HttpTransportException($"the TLS certificate of {host} is not trusted: {OpenSsl.VerifyErrorText(verify)}")
                    : Failure(host, "the TLS handshake failed");
            }
        }
        // SSL_VERIFY_PEER already aborts an untrusted handshake; checked again so a mistake above cannot pass silently.
        var outcome = api.SslGetVerifyResult(ssl);
        if (outcome != 0) throw new HttpTransportException($"the TLS certificate of {host} is not trusted: {OpenSsl.VerifyErrorText(outcome)}");
    }

    /// <summary>Waits for the socket when OpenSSL asks to; false for a real error.</summary>
    private bool WaitFor(int error)
    {
        switch (error)
        {
            case OpenSsl.ErrorWantRead: inner.WaitReadable(); return true;
            case OpenSsl.ErrorWantWrite: inner.WaitWritable(); return true;
            default: return false;
        }
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
                var read = api.SslRead(ssl, target, Math.Min(buffer.Length, int.MaxValue));
                if (read > 0) return read;
                var error = api.SslGetError(ssl, read);
                if (WaitFor(error)) continue;
                // The peer closed the connection: cleanly, or (common with "Connection: close") without close_notify.
                // Bodies with a length or chunked framing detect truncation themselves.
                if (error == OpenSsl.ErrorZeroReturn ||
                    (error == OpenSsl.ErrorSyscall && api.ErrPeekError() == 0) ||
                    (error == OpenSsl.ErrorSsl && (api.ErrPeekError() & 0xFFF) == OpenSsl.ReasonUnexpectedEof))
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
            int error;
            fixed (byte* source = buffer)
            {
                api.ErrClearError();
                written = api.SslWrite(ssl, source, buffer.Length);
                error = written > 0 ? 0 : api.SslGetError(ssl, written);
            }
            if (written > 0) buffer = buffer[written..];
            else if (!WaitFor(error))
                throw new HttpTransportException("the TLS connection failed while sending: " + (OpenSsl.TakeErrors() ?? $"error {error}"));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (ssl != 0)
        {
            OpenSsl.Api.SslFree(ssl);
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
