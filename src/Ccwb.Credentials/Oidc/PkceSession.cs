using System.Security.Cryptography;
using System.Text;
using Ccwb.Credentials.Jwt;

namespace Ccwb.Credentials.Oidc;

/// <summary>The one-time values of a sign-in: state (CSRF), nonce (replay) and the PKCE verifier with its S256 challenge.</summary>
public sealed record PkceSession(string State, string Nonce, string CodeVerifier)
{
    public string CodeChallenge => Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(CodeVerifier)));

    public static PkceSession Create() => new(
        Base64Url.Encode(RandomNumberGenerator.GetBytes(16)),
        Base64Url.Encode(RandomNumberGenerator.GetBytes(16)),
        Base64Url.Encode(RandomNumberGenerator.GetBytes(32)));
}
