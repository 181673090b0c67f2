using System.Security.Cryptography;
using System.Text;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Oidc;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

public class AuthorizeRequestTests
{
    private static readonly PkceSession FixedSession = new("state-value", "nonce-value", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

    [Fact]
    public void Pkce_values_have_the_documented_sizes_and_the_challenge_is_s256_of_the_verifier()
    {
        var session = PkceSession.Create();
        Assert.Equal(22, session.State.Length);
        Assert.Equal(22, session.Nonce.Length);
        Assert.Equal(43, session.CodeVerifier.Length);
        Assert.Equal(Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(session.CodeVerifier))), session.CodeChallenge);
        Assert.DoesNotContain('=', session.CodeChallenge);
        Assert.NotEqual(session.State, PkceSession.Create().State);
        // RFC 7636 appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", FixedSession.CodeChallenge);
    }

    [Fact]
    public void Okta_authorize_url()
    {
        var config = new ProfileConfig { Name = "P", ProviderDomain = "dev-1.okta.com", ClientId = "0oa1" };
        Snapshot.Verify(AuthorizeRequest.Build(ProviderCatalog.For(config, ProviderKind.Okta), config, FixedSession, 8400) + "\n", "txt");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("login")]
    public void Azure_authorize_url_adds_response_mode_and_prompt(string? prompt)
    {
        var config = new ProfileConfig { Name = "P", ProviderDomain = "login.microsoftonline.com/t1/v2.0", ClientId = "app", OidcPrompt = prompt };
        Snapshot.Verify(AuthorizeRequest.Build(ProviderCatalog.For(config, ProviderKind.Azure), config, FixedSession, 8400) + "\n", "txt",
            prompt switch { null => "absent", "" => "empty", _ => prompt });
    }

    [Fact]
    public void Query_strings_round_trip_through_form_encoding()
    {
        var decoded = FormEncoding.Decode("code=a%2Fb&state=x+y&empty=&code=second");
        Assert.Equal("a/b", decoded["code"]);
        Assert.Equal("x y", decoded["state"]);
        Assert.Equal("", decoded["empty"]);
    }
}
