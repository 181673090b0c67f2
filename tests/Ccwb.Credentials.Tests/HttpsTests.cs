using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Tls;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// The built credential-process calling STS over https: TLS goes through the system's OpenSSL, which trusts what
/// SSL_CERT_FILE names and checks that the certificate names the host.
/// </summary>
[Trait(Requires.Trait, Requires.Unix)]
public class HttpsTests
{
    private sealed class HttpsWorld : IAsyncDisposable
    {
        public required OidcPeer Oidc { get; init; }
        public required AwsPeer Aws { get; init; }
        public required Sandbox Box { get; init; }
        public required TlsFrontend Frontend { get; init; }

        public static async Task<HttpsWorld> StartAsync(string certificateName)
        {
            var oidc = await OidcPeer.StartAsync();
            var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
            using var authority = TestPki.CreateCa("ccwb test root");
            var frontend = new TlsFrontend(TestPki.CreateLeaf(authority, [certificateName]), new Uri(aws.Endpoint).Port);
            var box = new Sandbox();
            box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
            box.Environment["AWS_ENDPOINT_URL"] = $"https://localhost:{frontend.Port}";
            TestPki.WritePem(box.HomePath("trusted-roots.pem"), authority);
            return new HttpsWorld { Oidc = oidc, Aws = aws, Box = box, Frontend = frontend };
        }

        public async ValueTask DisposeAsync()
        {
            Frontend.Dispose();
            Box.Dispose();
            Aws.Dispose();
            await Oidc.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sts_over_https_succeeds_when_SSL_CERT_FILE_trusts_the_issuing_authority()
    {
        await using var world = await HttpsWorld.StartAsync("localhost");
        world.Box.Environment["SSL_CERT_FILE"] = world.Box.HomePath("trusted-roots.pem");

        var result = await world.Box.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("{\"Version\":1,\"AccessKeyId\":\"ASIA", result.Output, StringComparison.Ordinal);
        Assert.Contains("sts:AssumeRoleWithWebIdentity", world.Aws.Calls);
        Assert.Equal(0, world.Frontend.FailedHandshakes);
    }

    [Theory]
    [InlineData("localhost", false, "not trusted")]
    [InlineData("sts.example.com", true, "not trusted")]
    public async Task Sts_over_https_with_a_certificate_it_must_not_accept_fails_clearly_and_caches_nothing(string certificateName, bool trustAuthority, string expected)
    {
        await using var world = await HttpsWorld.StartAsync(certificateName);
        if (trustAuthority) world.Box.Environment["SSL_CERT_FILE"] = world.Box.HomePath("trusted-roots.pem");
        // Without SSL_CERT_FILE the system's store applies, and it does not hold the test authority.

        var result = await world.Box.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("localhost", result.Error, StringComparison.Ordinal);
        Assert.Empty(world.Aws.Calls);
        Assert.False(File.Exists(world.Box.HomePath(".aws", "credentials")));
    }
}
