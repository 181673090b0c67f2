using System.Text;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Quota;
using Ccwb.Http;
using Ccwb.Testing.Peers;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary>
/// Text that servers, discovery documents and config send back reaches the user's terminal in messages: escape
/// sequences (retitle, recolour, clear the screen), BEL, carriage returns that overwrite a line and direction
/// overrides are removed on the way. Each server here answers with such text where a real one could.
/// </summary>
public sealed class OutsideTextTests : IDisposable
{
    // OSC retitle ended by BEL, a colour, clear-screen, a carriage return that would overwrite the line, a right-to-left override.
    private const string Hostile = "\u001b]0;owned\u0007\u001b[31mred\u001b[2J\rforged\u202Eevil";

    private readonly string endpoint = $"http://127.0.0.1:{AwsPeer.FreePort()}/";
    private readonly LoopbackHttpServer server;
    private readonly HttpTransport http = HttpTransport.FromEnvironment(_ => null, "ccwb-tests");

    public OutsideTextTests() => server = new LoopbackHttpServer(endpoint, async context =>
    {
        var (status, body) = context.Request.Url!.AbsolutePath switch
        {
            // Error pages are shown as they come (shortened): raw bytes, not JSON escapes.
            "/token" => (400, "<html>Bad request " + Hostile + "</html>"),
            "/client/register" => (400, "{\"error\":\"invalid_client\",\"error_description\":\"" + JsonEscaped(Hostile) + "\"}"),
            "/check" => (200, "{\"allowed\":false,\"reason\":\"" + JsonEscaped(Hostile) + "\",\"message\":\"" + JsonEscaped(Hostile) +
                              "\",\"policy\":{\"type\":\"" + JsonEscaped(Hostile) + "\",\"identifier\":\"" + JsonEscaped(Hostile) + "\"}}"),
            "/sts" => (400, "<ErrorResponse><Error><Code>Denied" + XmlEscaped(Hostile) + "</Code><Message>" + XmlEscaped(Hostile) +
                            "</Message></Error></ErrorResponse>"),
            _ => (404, ""),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    });

    public void Dispose() => server.Dispose();

    private static string JsonEscaped(string text) =>
        string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));

    private static string XmlEscaped(string text) => string.Concat(text.Select(c => c < ' ' ? $"&#{(int)c};" : c.ToString()));

    private static void AssertPrintable(string message)
    {
        Assert.DoesNotContain(message, c => char.IsControl(c) || c == '\u202E');
        Assert.Contains("forged", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sts_error_code_and_message_are_shown_without_control_characters()
    {
        var sts = new Ccwb.Credentials.Federation.StsClient(http, new Uri(endpoint + "sts"));
        var credentials = new Ccwb.Credentials.Storage.AwsCredentials("ASIAEXAMPLE", "secret", "token", DateTimeOffset.UtcNow.AddHours(1));

        var federation = Assert.Throws<Ccwb.Credentials.Federation.FederationException>(() =>
            sts.AssumeRoleWithWebIdentity("arn:aws:iam::123456789012:role/R", "alice", "id-token", 3600));
        var identity = Assert.Throws<Ccwb.Credentials.Federation.FederationException>(() =>
            sts.GetCallerIdentityArn(credentials, "us-east-1", DateTimeOffset.UtcNow));

        foreach (var error in new[] { federation, identity })
        {
            Assert.Contains("(HTTP 400)", error.Message, StringComparison.Ordinal);
            AssertPrintable(error.Message);
        }
    }

    [Fact]
    public void A_token_endpoint_error_body_is_shown_without_control_characters()
    {
        var error = Assert.Throws<TokenEndpointException>(() =>
            new TokenClient(http).ExchangeCode(endpoint + "token", "client", "code", "http://localhost:1/callback", "verifier", []));

        Assert.Contains("token exchange failed (HTTP 400)", error.Message, StringComparison.Ordinal);
        AssertPrintable(error.Message);
    }

    [Theory]
    // A discovery document or config.json names the token URL; each message that repeats it cleans it.
    [InlineData("ftp://idp.example/token\u001b]0;owned\u0007\rforged", "is not an http(s) URL")]
    [InlineData("http://idp.example/token\u001b]0;owned\u0007\rforged", "uses plain http")]
    [InlineData("http://127.0.0.1:1/token\u001b]0;owned\u0007\rforged", "cannot reach")]
    public void A_token_URL_from_outside_is_shown_without_control_characters(string tokenUrl, string message)
    {
        var error = Assert.Throws<TokenEndpointException>(() => new TokenClient(http).Refresh(tokenUrl, "client", "refresh-token", []));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        AssertPrintable(error.Message);
    }

    [Fact]
    public void An_IAM_Identity_Center_error_description_is_shown_without_control_characters()
    {
        var error = Assert.Throws<IdentityCenterException>(() => new SsoOidcClient(http, new Uri(endpoint)).RegisterClient());

        Assert.Contains("RegisterClient failed: InvalidClientException: ", error.Message, StringComparison.Ordinal);
        AssertPrintable(error.Message);
    }

    [Fact]
    public void A_quota_decision_is_shown_without_control_characters()
    {
        var result = new QuotaClient(http, endpoint.TrimEnd('/'), TimeSpan.FromSeconds(10)).CheckWithBearer("id-token");

        Assert.False(result.Allowed);
        Assert.False(result.Failed);
        AssertPrintable(result.Reason);
        AssertPrintable(result.Message);
        AssertPrintable(result.Policy!.Type);
        AssertPrintable(result.Policy.Identifier);
    }

    [Fact]
    public void The_Visit_line_of_a_browser_that_cannot_start_shows_the_URL_without_control_characters()
    {
        var warnings = new List<string>();

        Assert.False(BrowserLauncher.TryOpen("https://idp.example/authorize?x=1\u001b]0;owned\u0007\rforged", "/nonexistent/browser", warnings.Add));

        var visit = Assert.Single(warnings, w => w.StartsWith("Could not open browser. Visit: ", StringComparison.Ordinal));
        Assert.EndsWith("https://idp.example/authorize?x=1]0;ownedforged", visit, StringComparison.Ordinal);
        AssertPrintable(visit);
    }
}
