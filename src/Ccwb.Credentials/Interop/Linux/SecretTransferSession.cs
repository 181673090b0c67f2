using System.Numerics;
using System.Security.Cryptography;
using Ccwb.Credentials.Interop.Linux.Native;
using Tmds.DBus.Protocol;

namespace Ccwb.Credentials.Interop.Linux;

/// <summary>
/// A Secret Service session: how secret bytes travel over the bus. Prefers dh-ietf1024-sha256-aes128-cbc-pkcs7 so
/// secrets are never readable by a bus monitor; falls back to "plain" for services without it (acceptable because the
/// session bus is private to the user, which is all "plain" relies on).
/// </summary>
internal sealed class SecretTransferSession
{
    public const string DhAlgorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7";
    public const string PlainAlgorithm = "plain";
    private const string ContentType = "text/plain";

    private readonly byte[]? _aesKey;

    private SecretTransferSession(string path, byte[]? aesKey)
    {
        Path = path;
        _aesKey = aesKey;
    }

    public string Path { get; }

    public bool IsEncrypted => _aesKey is not null;

    public static async Task<SecretTransferSession> OpenAsync(SecretServiceBus bus, bool preferEncryption)
    {
        if (preferEncryption)
        {
            try
            {
                var keyPair = new Ietf1024DiffieHellman();
                var (serverPublic, path) = await bus.OpenSessionAsync(DhAlgorithm, keyPair.PublicKey);
                return new SecretTransferSession(path, keyPair.DeriveAes128Key(serverPublic));
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.DBus.Error.NotSupported")
            {
                // fall through to plain
            }
        }
        var (_, plainPath) = await bus.OpenSessionAsync(PlainAlgorithm, null);
        return new SecretTransferSession(plainPath, null);
    }

    public TransferSecret Encode(byte[] value)
    {
        if (_aesKey is null) return new TransferSecret(Path, [], value, ContentType);
        using var aes = Aes.Create();
        aes.Key = _aesKey;
        var iv = RandomNumberGenerator.GetBytes(16);
        return new TransferSecret(Path, iv, aes.EncryptCbc(value, iv, PaddingMode.PKCS7), ContentType);
    }

    public byte[] Decode(TransferSecret secret)
    {
        if (_aesKey is null) return secret.Value;
        using var aes = Aes.Create();
        aes.Key = _aesKey;
        return aes.DecryptCbc(secret.Value, secret.Parameters, PaddingMode.PKCS7);
    }

    /// <summary>
    /// Finite-field Diffie-Hellman over the 1024-bit MODP group of RFC 2409 (Oakley group 2), as the Secret Service
    /// specification fixes. Hand-written with BigInteger because .NET exposes no finite-field DH primitive.
    /// </summary>
    private sealed class Ietf1024DiffieHellman
    {
        // From bytes rather than BigInteger.Parse, whose number parsing would add its own code to the native binary.
        private static readonly BigInteger Prime = new(Convert.FromHexString(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF"), isUnsigned: true, isBigEndian: true);
        private const int PrimeLength = 128;
        private const int PrivateExponentLength = 32;

        private readonly BigInteger _private;

        public Ietf1024DiffieHellman()
        {
            // A 256-bit private exponent: twice the security level is all an exponent needs (NIST SP 800-56A), the
            // 1024-bit group caps strength well below that, and it makes each ModPow about four times cheaper than
            // a full-length exponent on the helper's hot path.
            var bytes = RandomNumberGenerator.GetBytes(PrivateExponentLength);
            _private = BigInteger.Max(new BigInteger(bytes, isUnsigned: true, isBigEndian: true), 2);
            PublicKey = BigInteger.ModPow(2, _private, Prime).ToByteArray(isUnsigned: true, isBigEndian: true);
        }

        public byte[] PublicKey { get; }

        /// <summary>HKDF-SHA256 with no salt and no info over the shared secret padded to the prime's length.</summary>
        public byte[] DeriveAes128Key(byte[] serverPublic)
        {
            var peer = new BigInteger(serverPublic, isUnsigned: true, isBigEndian: true);
            if (peer <= 1 || peer >= Prime - 1)
                throw new CryptographicException("The Secret Service sent an invalid Diffie-Hellman public key.");
            var shared = BigInteger.ModPow(peer, _private, Prime).ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[PrimeLength];
            shared.CopyTo(padded, PrimeLength - shared.Length);
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, padded, 16, salt: [], info: []);
        }
    }
}
