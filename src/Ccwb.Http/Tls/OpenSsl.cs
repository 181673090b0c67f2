using System.Runtime.InteropServices;

namespace Ccwb.Http.Tls;

/// <summary>
/// The few libssl / libcrypto functions a TLS client needs, bound at run time to the system's OpenSSL 3 or 1.1 (the
/// same libraries .NET itself uses on Linux). Every function used exists with the same signature in both.
/// Function pointers rather than DllImport: the library name differs between versions and must be chosen at run time.
/// </summary>
internal static unsafe class OpenSsl
{
    public const int SslVerifyPeer = 1;
    public const int SslCtrlMode = 33;
    public const int SslCtrlSetTlsExtHostName = 55;
    public const int SslCtrlSetMinProtoVersion = 123;
    public const int BioCtrlSetBufMemEofReturn = 130;
    public const int SslModeAcceptMovingWriteBuffer = 2;
    public const int Tls12Version = 0x0303;
    public const int TlsExtNameTypeHostName = 0;
    public const uint X509CheckFlagNoPartialWildcards = 0x4;
    public const int ErrorWantRead = 2, ErrorZeroReturn = 6;

    private static readonly Lazy<Functions> Loaded = new(Load);

    public static Functions Api => Loaded.Value;

    public sealed class Functions
    {
        public required delegate* unmanaged<nint> TlsClientMethod;
        public required delegate* unmanaged<nint, nint> SslCtxNew;
        public required delegate* unmanaged<nint, void> SslCtxFree;
        public required delegate* unmanaged<nint, int> SslCtxSetDefaultVerifyPaths;
        public required delegate* unmanaged<nint, byte*, byte*, int> SslCtxLoadVerifyLocations;
        public required delegate* unmanaged<nint, int, nint, void> SslCtxSetVerify;
        public required delegate* unmanaged<nint, int, nint, nint, nint> SslCtxCtrl;
        public required delegate* unmanaged<nint, nint> SslNew;
        public required delegate* unmanaged<nint, void> SslFree;
        public required delegate* unmanaged<nint, nint, nint, void> SslSetBio;
        public required delegate* unmanaged<nint> BioSMem;
        public required delegate* unmanaged<nint, nint> BioNew;
        public required delegate* unmanaged<nint, byte*, int, int> BioRead;
        public required delegate* unmanaged<nint, byte*, int, int> BioWrite;
        public required delegate* unmanaged<nint, int, nint, nint, nint> BioCtrl;
        public required delegate* unmanaged<nint, int, nint, nint, nint> SslCtrl;
        public required delegate* unmanaged<nint, byte*, int> SslSet1Host;
        public required delegate* unmanaged<nint, uint, void> SslSetHostFlags;
        public required delegate* unmanaged<nint, nint> SslGet0Param;
        public required delegate* unmanaged<nint, byte*, int> X509VerifyParamSet1IpAsc;
        public required delegate* unmanaged<nint, int> SslConnect;
        public required delegate* unmanaged<nint, byte*, int, int> SslRead;
        public required delegate* unmanaged<nint, byte*, int, int> SslWrite;
        public required delegate* unmanaged<nint, int, int> SslGetError;
        public required delegate* unmanaged<nint, nint> SslGetVerifyResult;
        public required delegate* unmanaged<nuint> ErrGetError;
        public required delegate* unmanaged<void> ErrClearError;
        public required delegate* unmanaged<nuint, byte*, nuint, void> ErrErrorStringN;
        public required delegate* unmanaged<nint, byte*> X509VerifyCertErrorString;
    }

    private static Functions Load()
    {
        foreach (var version in new[] { "3", "1.1" })
        {
            if (!NativeLibrary.TryLoad("libcrypto.so." + version, out var crypto)) continue;
            if (!NativeLibrary.TryLoad("libssl.so." + version, out var ssl)) continue;
            return new Functions
            {
                TlsClientMethod = (delegate* unmanaged<nint>)Export(ssl, "TLS_client_method"),
                SslCtxNew = (delegate* unmanaged<nint, nint>)Export(ssl, "SSL_CTX_new"),
                SslCtxFree = (delegate* unmanaged<nint, void>)Export(ssl, "SSL_CTX_free"),
                SslCtxSetDefaultVerifyPaths = (delegate* unmanaged<nint, int>)Export(ssl, "SSL_CTX_set_default_verify_paths"),
                SslCtxLoadVerifyLocations = (delegate* unmanaged<nint, byte*, byte*, int>)Export(ssl, "SSL_CTX_load_verify_locations"),
                SslCtxSetVerify = (delegate* unmanaged<nint, int, nint, void>)Export(ssl, "SSL_CTX_set_verify"),
                SslCtxCtrl = (delegate* unmanaged<nint, int, nint, nint, nint>)Export(ssl, "SSL_CTX_ctrl"),
                SslNew = (delegate* unmanaged<nint, nint>)Export(ssl, "SSL_new"),
                SslFree = (delegate* unmanaged<nint, void>)Export(ssl, "SSL_free"),
                SslSetBio = (delegate* unmanaged<nint, nint, nint, void>)Export(ssl, "SSL_set_bio"),
                BioSMem = (delegate* unmanaged<nint>)Export(crypto, "BIO_s_mem"),
                BioNew = (delegate* unmanaged<nint, nint>)Export(crypto, "BIO_new"),
                BioRead = (delegate* unmanaged<nint, byte*, int, int>)Export(crypto, "BIO_read"),
                BioWrite = (delegate* unmanaged<nint, byte*, int, int>)Export(crypto, "BIO_write"),
                BioCtrl = (delegate* unmanaged<nint, int, nint, nint, nint>)Export(crypto, "BIO_ctrl"),
                SslCtrl = (delegate* unmanaged<nint, int, nint, nint, nint>)Export(ssl, "SSL_ctrl"),
                SslSet1Host = (delegate* unmanaged<nint, byte*, int>)Export(ssl, "SSL_set1_host"),
                SslSetHostFlags = (delegate* unmanaged<nint, uint, void>)Export(ssl, "SSL_set_hostflags"),
                SslGet0Param = (delegate* unmanaged<nint, nint>)Export(ssl, "SSL_get0_param"),
                X509VerifyParamSet1IpAsc = (delegate* unmanaged<nint, byte*, int>)Export(crypto, "X509_VERIFY_PARAM_set1_ip_asc"),
                SslConnect = (delegate* unmanaged<nint, int>)Export(ssl, "SSL_connect"),
                SslRead = (delegate* unmanaged<nint, byte*, int, int>)Export(ssl, "SSL_read"),
                SslWrite = (delegate* unmanaged<nint, byte*, int, int>)Export(ssl, "SSL_write"),
                SslGetError = (delegate* unmanaged<nint, int, int>)Export(ssl, "SSL_get_error"),
                SslGetVerifyResult = (delegate* unmanaged<nint, nint>)Export(ssl, "SSL_get_verify_result"),
                ErrGetError = (delegate* unmanaged<nuint>)Export(crypto, "ERR_get_error"),
                ErrClearError = (delegate* unmanaged<void>)Export(crypto, "ERR_clear_error"),
                ErrErrorStringN = (delegate* unmanaged<nuint, byte*, nuint, void>)Export(crypto, "ERR_error_string_n"),
                X509VerifyCertErrorString = (delegate* unmanaged<nint, byte*>)Export(crypto, "X509_verify_cert_error_string"),
            };
        }
        throw new HttpTransportException("HTTPS needs the system's OpenSSL (libssl.so.3 or libssl.so.1.1), and neither could be loaded. " +
                                         "Install the openssl library package (libssl3 on Debian and Ubuntu).");
    }

    private static nint Export(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new HttpTransportException($"the system's OpenSSL lacks {name}; OpenSSL 1.1 or later is required.");

    /// <summary>The oldest error on this thread's OpenSSL error queue as text (and the queue emptied), or null.</summary>
    public static string? TakeErrors()
    {
        var api = Api;
        var first = api.ErrGetError();
        if (first == 0) return null;
        while (api.ErrGetError() != 0) { }
        var buffer = stackalloc byte[256];
        api.ErrErrorStringN(first, buffer, 256);
        return Marshal.PtrToStringUTF8((nint)buffer);
    }

    public static string VerifyErrorText(nint result) => Marshal.PtrToStringUTF8((nint)Api.X509VerifyCertErrorString(result)) ?? $"error {result}";
}
