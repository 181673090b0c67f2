using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Jwt;

namespace Ccwb.Credentials.Tests.Unit;

public class IdTokenValidatorTests
{
    private const string Issuer = "https://idp.example.com";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly RSA Rsa = RSA.Create(2048);
    private static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa Ec384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    private static JsonWebKeySet Keys()
    {
        var rsa = Rsa.ExportParameters(false);
        var ec = Ec.ExportParameters(false);
        var ec384 = Ec384.ExportParameters(false);
        return new([
            new("EC", "ec-384", "sig", null, null, null, "P-384", Base64Url.Encode(ec384.Q.X), Base64Url.Encode(ec384.Q.Y)),
            new("RSA", "rsa-1", "sig", "RS256", Base64Url.Encode(rsa.Modulus), Base64Url.Encode(rsa.Exponent), null, null, null),
            new("EC", "ec-1", "sig", "ES256", null, null, "P-256", Base64Url.Encode(ec.Q.X), Base64Url.Encode(ec.Q.Y)),
        ]);
    }

    private static JsonObject Payload() => new()
    {
        ["iss"] = Issuer, ["aud"] = "client", ["sub"] = "alice", ["email"] = "alice@example.com", ["nonce"] = "n1",
        ["iat"] = Now.ToUnixTimeSeconds(), ["exp"] = Now.ToUnixTimeSeconds() + 3600,
    };

    private static string Sign(JsonObject payload, string alg = "RS256", string kid = "rsa-1")
    {
        var input = Base64Url.Encode(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = alg, ["kid"] = kid, ["typ"] = "JWT" }.ToJsonString())) + "." +
                    Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = alg switch
        {
            "RS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" when kid == "ec-384" => Ec384.SignData(data, HashAlgorithmName.SHA256),
            "ES256" => Ec.SignData(data, HashAlgorithmName.SHA256),
            "HS256" => HMACSHA256.HashData(Encoding.ASCII.GetBytes("secret"), data),
            _ => [],
        };
        return input + "." + Base64Url.Encode(signature);
    }

    private static JwtClaims Validate(string token, string? nonce = "n1") =>
        new IdTokenValidator(new FixedClock(Now)).Validate(token, Keys(), new IdTokenExpectations(i => i == Issuer, $"'{Issuer}'", "client", nonce));

    [Theory]
    [InlineData("RS256", "rsa-1")]
    [InlineData("PS256", "rsa-1")]
    [InlineData("ES256", "ec-1")]
    public void Valid_tokens_pass_and_give_their_claims(string alg, string kid) =>
        Assert.Equal("alice@example.com", Validate(Sign(Payload(), alg, kid)).Email);

    [Theory]
    [InlineData("iss", "https://evil.example.com", "issued by 'https://evil.example.com'")]
    [InlineData("aud", "other", "meant for another client")]
    [InlineData("nonce", "n2", "invalid nonce in ID token")]
    public void Wrong_claims_are_refused(string claim, string value, string message)
    {
        var payload = Payload();
        payload[claim] = value;
        Assert.Contains(message, Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(payload))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audience_arrays_are_accepted_when_they_contain_the_client_and_azp_names_it()
    {
        var payload = Payload();
        payload["aud"] = new JsonArray("other", "client");
        payload["azp"] = "client";
        Assert.Equal("alice", Validate(Sign(payload)).Subject);
    }

    [Fact]
    public void Several_audiences_without_azp_are_refused()
    {
        var payload = Payload();
        payload["aud"] = new JsonArray("other", "client");
        Assert.Equal("the id token has several audiences but no azp claim naming client_id 'client'.",
            Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(payload))).Message);
    }

    [Fact]
    public void An_azp_naming_another_client_is_refused()
    {
        var payload = Payload();
        payload["azp"] = "other";
        Assert.Equal("the id token was obtained by another client (azp 'other', expected 'client').",
            Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(payload))).Message);
    }

    [Theory]
    [InlineData("ES256", "ec-384", "the provider's key 'ec-384' (EC P-384) does not fit the id token's algorithm 'ES256'.")]
    [InlineData("RS256", "ec-1", "the provider's key 'ec-1' (EC P-256) does not fit the id token's algorithm 'RS256'.")]
    public void A_key_of_another_type_or_curve_than_the_algorithm_is_not_used(string alg, string kid, string message)
    {
        // ES256 means P-256 with SHA-256: a P-384 key verifying a SHA-256 signature would otherwise pass.
        Assert.Equal(message, Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(Payload(), alg, kid))).Message);
    }

    [Fact]
    public void Expired_tokens_are_refused_beyond_the_clock_skew_allowance()
    {
        var payload = Payload();
        payload["exp"] = Now.ToUnixTimeSeconds() - 30;
        Assert.Equal("alice", Validate(Sign(payload)).Subject);
        payload["exp"] = Now.ToUnixTimeSeconds() - 61;
        Assert.Contains("expired", Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(payload))).Message, StringComparison.Ordinal);
        payload.Remove("exp");
        Assert.Contains("no exp", Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(payload))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampered_unsigned_and_hmac_tokens_are_refused()
    {
        var token = Sign(Payload());
        var parts = token.Split('.');
        var tampered = Payload();
        tampered["email"] = "mallory@example.com";
        var forged = parts[0] + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(tampered.ToJsonString())) + "." + parts[2];
        Assert.Contains("does not verify", Assert.Throws<InvalidIdTokenException>(() => Validate(forged)).Message, StringComparison.Ordinal);
        Assert.Contains("unsupported signature algorithm 'none'", Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(Payload(), "none"))).Message, StringComparison.Ordinal);
        Assert.Contains("unsupported signature algorithm 'HS256'", Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(Payload(), "HS256"))).Message, StringComparison.Ordinal);
        Assert.Contains("does not list", Assert.Throws<InvalidIdTokenException>(() => Validate(Sign(Payload(), kid: "unknown"))).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidIdTokenException>(() => Validate("not-a-jwt"));
        Assert.Throws<InvalidIdTokenException>(() => Validate("a.b!.c"));
    }

    [Fact]
    public void Payload_decodes_with_or_without_padding()
    {
        var payload = Base64Url.Encode(Encoding.UTF8.GetBytes("{\"exp\":1700000000.5,\"sub\":\"s\"}"));
        Assert.Equal(1700000000, JwtClaims.Decode("x." + payload + ".y").Expires);
        Assert.Equal("s", JwtClaims.Decode("x." + payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=') + ".y").Subject);
        Assert.Throws<FormatException>(() => JwtClaims.Decode("x.W10.y"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
