using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ccwb.Credentials.Json;
using Ccwb.Http;

namespace Ccwb.Credentials.Jwt;

/// <summary>Why an id token was refused; the message names the check that failed, never the token.</summary>
public sealed class InvalidIdTokenException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What an id token must satisfy: who issued it, for which client, and the nonce of this sign-in.</summary>
/// <param name="IssuerMatches">Accepts the <c>iss</c> claim (an exact string for most providers, a pattern for some).</param>
public sealed record IdTokenExpectations(Func<string, bool> IssuerMatches, string IssuerDescription, string ClientId, string? Nonce);

/// <summary>
/// Checks an OIDC id token: signature against the provider's JWKS, <c>iss</c>, <c>aud</c>, <c>exp</c> (and
/// <c>nbf</c>) and <c>nonce</c>. RS256/384/512, PS256/384/512 and ES256/384/512 are supported; <c>none</c> and HMAC
/// are refused.
/// </summary>
/// <remarks>
/// Written on System.Security.Cryptography because Microsoft.IdentityModel relies on reflection that native AOT
/// trims away; the checks are the ones RFC 7519 and OpenID Connect Core §3.1.3.7 require.
/// </remarks>
public sealed class IdTokenValidator(TimeProvider clock)
{
    /// <summary>Allowance for clocks that disagree a little with the provider's.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public JwtClaims Validate(string idToken, JsonWebKeySet keys, IdTokenExpectations expected)
    {
        var parts = idToken.Split('.');
        if (parts.Length != 3) throw new InvalidIdTokenException("the id token is not a signed JWT (expected three dot-separated parts).");
        JwtHeader header;
        JwtClaims claims;
        byte[] signature;
        try
        {
            header = JsonSerializer.Deserialize(Base64Url.Decode(parts[0]), CredentialJson.Default.JwtHeader)
                     ?? throw new FormatException("empty header");
            claims = JwtClaims.Decode(idToken);
            signature = Base64Url.Decode(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidIdTokenException($"the id token cannot be decoded: {e.Message}.", e);
        }

        VerifySignature(header, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, keys);

        var issuer = claims.Issuer;
        if (issuer is null || !expected.IssuerMatches(issuer))
            throw new InvalidIdTokenException($"the id token was issued by '{issuer}', expected {expected.IssuerDescription}.");
        if (!claims.Audiences().Contains(expected.ClientId, StringComparer.Ordinal))
            throw new InvalidIdTokenException($"the id token is meant for another client (aud does not contain client_id '{expected.ClientId}').");
        // OpenID Connect Core §3.1.3.7: with several audiences the token must name this client as the authorized party.
        var azp = claims.Text("azp");
        if (claims.Audiences().Count > 1 && azp is null)
            throw new InvalidIdTokenException($"the id token has several audiences but no azp claim naming client_id '{expected.ClientId}'.");
        if (azp is not null && azp != expected.ClientId)
            throw new InvalidIdTokenException($"the id token was obtained by another client (azp '{TerminalText.Clean(azp, 80)}', expected '{expected.ClientId}').");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (claims.Seconds("exp") is not { } exp)
            throw new InvalidIdTokenException("the id token has no exp claim.");
        if (exp + (long)ClockSkew.TotalSeconds <= now)
            throw new InvalidIdTokenException($"the id token expired at {DateTimeOffset.FromUnixTimeSeconds(exp):u}; check this computer's clock.");
        if (claims.Seconds("nbf") is { } nbf && nbf - (long)ClockSkew.TotalSeconds > now)
            throw new InvalidIdTokenException("the id token is not valid yet (nbf is in the future); check this computer's clock.");
        if (expected.Nonce is not null && !string.Equals(claims.Nonce, expected.Nonce, StringComparison.Ordinal))
            throw new InvalidIdTokenException("invalid nonce in ID token (it does not match this sign-in's nonce).");
        return claims;
    }

    private static void VerifySignature(JwtHeader header, byte[] signedData, byte[] signature, JsonWebKeySet keys)
    {
        var alg = header.Alg ?? "";
        var listed = (keys.Keys ?? []).Where(k => header.Kid is null || k.Kid is null || k.Kid == header.Kid)
                                      .Where(k => k.Use is null or "sig").ToList();
        if (listed.Count == 0)
            throw new InvalidIdTokenException($"the id token is signed with key '{TerminalText.Clean(header.Kid, 80)}', which the provider's JWKS does not list.");
        // A key is used only with the algorithm family and curve it is for (RFC 7518 §3): no ES256 check with a P-384 key.
        var candidates = listed.Where(k => Fits(alg, k)).ToList();
        if (candidates.Count == 0)
            throw new InvalidIdTokenException(
                $"the provider's key '{TerminalText.Clean(listed[0].Kid, 80)}' ({TerminalText.Clean(listed[0].Kty, 10)}{(listed[0].Crv is { } crv ? " " + TerminalText.Clean(crv, 10) : "")}) " +
                $"does not fit the id token's algorithm '{TerminalText.Clean(alg, 10)}'.");
        foreach (var key in candidates)
            if (Verify(alg, key, signedData, signature)) return;
        throw new InvalidIdTokenException($"the id token's {alg} signature does not verify against the provider's published keys.");
    }

    private static bool Fits(string alg, JsonWebKey key) => alg switch
    {
        "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => key.Kty == "RSA",
        "ES256" => key.Kty == "EC" && key.Crv == "P-256",
        "ES384" => key.Kty == "EC" && key.Crv == "P-384",
        "ES512" => key.Kty == "EC" && key.Crv == "P-521",
        _ => true, // refused as unsupported by Verify, with that message
    };

    private static bool Verify(string alg, JsonWebKey key, byte[] data, byte[] signature)
    {
        var hash = alg.Length == 5 ? alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => default,
        } : default;
        if (hash == default) throw new InvalidIdTokenException($"the id token uses the unsupported signature algorithm '{alg}'.");
        try
        {
            switch (alg[..2])
            {
                case "RS" or "PS" when key.Kty == "RSA" && key.N is not null && key.E is not null:
                    using (var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.Decode(key.N), Exponent = Base64Url.Decode(key.E) }))
                        return rsa.VerifyData(data, signature, hash, alg[0] == 'R' ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss);
                case "ES" when key.Kty == "EC" && key.X is not null && key.Y is not null:
                    var curve = key.Crv switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => throw new InvalidIdTokenException($"the provider's key uses the unsupported curve '{key.Crv}'."),
                    };
                    using (var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = Base64Url.Decode(key.X), Y = Base64Url.Decode(key.Y) } }))
                        return ec.VerifyData(data, signature, hash);
                case "RS" or "PS" or "ES":
                    return false;
                default:
                    throw new InvalidIdTokenException($"the id token uses the unsupported signature algorithm '{alg}'.");
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }
}
