using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Ccwb.Cli.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Tls;

namespace Ccwb.Cli.Tests;

/// <summary>
/// <c>ccwb init</c>'s live check of the identity provider's OpenID discovery document, against the npm OpenID provider
/// behind a TLS front end on 127.0.0.1 (a throw-away authority trusted through SSL_CERT_FILE): the document is fetched
/// over verified TLS, must name the issuer it was fetched for, and fills in a generic provider's endpoints and the JWKS
/// host's certificate thumbprint.
/// </summary>
public sealed class InitDiscoveryTests
{
    /// <summary>The OpenID provider reachable at <see cref="Url"/> over https.</summary>
    private sealed class TlsProvider : IAsyncDisposable
    {
        private OidcPeer peer = null!;
        private TlsFrontend frontend = null!;

        public string Url { get; private init; } = "";
        public string CaBundle { get; private init; } = "";
        /// <summary>The thumbprint IAM documents: the top intermediate CA's, or the leaf's when no intermediate is sent.</summary>
        public string Thumbprint { get; private init; } = "";
        public string LeafThumbprint { get; private init; } = "";

        /// <param name="publishHttpsIssuer">False: the provider names its plain-HTTP address as issuer, not the https one it is reached at.</param>
        /// <param name="sendIntermediates">True: root, two intermediates and the leaf, the leaf and both intermediates sent in
        /// the handshake, as public providers' hosts do; false: a leaf the root signs, sent alone.</param>
        public static async Task<TlsProvider> StartAsync(TempDirectory temp, bool publishHttpsIssuer = true, bool sendIntermediates = true)
        {
            using var authority = TestPki.CreateCa("ccwb init test authority");
            X509Certificate2[] intermediates = [];
            if (sendIntermediates)
            {
                var top = TestPki.CreateLeaf(authority, ["ccwb init test top intermediate"], isCa: true);
                intermediates = [TestPki.CreateLeaf(top, ["ccwb init test issuing intermediate"], isCa: true), top];
            }
            var leaf = TestPki.CreateLeaf(intermediates.FirstOrDefault() ?? authority, ["localhost"], [IPAddress.Loopback]);
            var frontend = new TlsFrontend(leaf, intermediates: intermediates);
            var url = $"https://127.0.0.1:{frontend.Port}";
            var provider = new TlsProvider
            {
                Url = url,
                CaBundle = TestPki.WritePem(temp.Combine("authority.pem"), authority),
                // X509Certificate2.Thumbprint is the SHA-1 IAM pins.
                Thumbprint = (intermediates.LastOrDefault() ?? leaf).Thumbprint.ToLowerInvariant(),
                LeafThumbprint = leaf.Thumbprint.ToLowerInvariant(),
            };
            provider.peer = await OidcPeer.StartAsync(publicUrl: publishHttpsIssuer ? url : null);
            frontend.BackendPort = provider.peer.ListenPort;
            provider.frontend = frontend;
            return provider;
        }

        public Dictionary<string, string?> Trust => new() { ["SSL_CERT_FILE"] = CaBundle };

        public async ValueTask DisposeAsync()
        {
            frontend.Dispose();
            await peer.DisposeAsync();
        }
    }

    private static string[] GenericAnswers(string issuer) =>
    [
        "init", "--non-interactive", "-p", "generic",
        "--set", "provider_domain=127.0.0.1", "--set", "provider_type=generic", "--set", $"oidc_issuer_url={issuer}",
        "--set", "client_id=ccwb-test-client", "--set", "aws_region=us-east-1",
    ];

    [Fact]
    public async Task Generic_provider_endpoints_and_thumbprint_come_from_the_providers_discovery_document()
    {
        using var home = new TempDirectory();
        await using var provider = await TlsProvider.StartAsync(home);

        var run = Ccwb.Run(home.Path, provider.Trust, GenericAnswers(provider.Url + "/"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var profile = JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", "generic.json")))!;
        Assert.Equal(provider.Url, profile["oidc_issuer_url"]!.GetValue<string>());
        Assert.Equal(provider.Url + "/authorize", profile["oidc_authorization_endpoint"]!.GetValue<string>());
        Assert.Equal(provider.Url + "/token", profile["oidc_token_endpoint"]!.GetValue<string>());
        Assert.Equal(provider.Url + "/jwks", profile["oidc_jwks_uri"]!.GetValue<string>());
        // The top intermediate CA's (the last certificate before the root), as IAM documents: not the leaf's, nor the
        // issuing intermediate's.
        Assert.Equal(provider.Thumbprint, profile["oidc_thumbprint"]!.GetValue<string>());
        Assert.NotEqual(provider.LeafThumbprint, provider.Thumbprint);
    }

    [Fact]
    public async Task A_jwks_host_that_sends_no_intermediate_is_pinned_by_its_own_certificate()
    {
        using var home = new TempDirectory();
        await using var provider = await TlsProvider.StartAsync(home, sendIntermediates: false);

        var run = Ccwb.Run(home.Path, provider.Trust, GenericAnswers(provider.Url));

        Assert.True(run.ExitCode == 0, run.ToString());
        var profile = JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", "generic.json")))!;
        Assert.Equal(provider.LeafThumbprint, profile["oidc_thumbprint"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_reported_and_nothing_is_written()
    {
        using var home = new TempDirectory();
        await using var provider = await TlsProvider.StartAsync(home, publishHttpsIssuer: false);

        var run = Ccwb.Run(home.Path, provider.Trust, GenericAnswers(provider.Url));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: oidc_issuer_url: the discovery document at {provider.Url}/.well-known/openid-configuration names the issuer " +
                        $"'http://127.0.0.1:", run.Error, StringComparison.Ordinal);
        Assert.Contains($"not '{provider.Url}'", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(home.Combine(".ccwb", "profiles")));
    }

    [Fact]
    public async Task An_untrusted_certificate_or_an_unreachable_provider_fails_the_check_and_skip_discovery_works_offline()
    {
        using var home = new TempDirectory();
        await using var provider = await TlsProvider.StartAsync(home);
        string[] endpoints =
        [
            "--set", $"oidc_authorization_endpoint={provider.Url}/authorize", "--set", $"oidc_token_endpoint={provider.Url}/token",
            "--set", $"oidc_jwks_uri={provider.Url}/jwks", "--set", $"oidc_thumbprint={provider.Thumbprint}",
        ];

        // Without the test authority the provider's certificate is not trusted: the check must not pass.
        var untrusted = Ccwb.Run(home.Path, null, [.. GenericAnswers(provider.Url), .. endpoints]);
        var unreachableUrl = $"https://127.0.0.1:{AwsPeer.FreePort()}";
        var unreachable = Ccwb.Run(home.Path, provider.Trust, [.. GenericAnswers(unreachableUrl), .. endpoints]);
        var offline = Ccwb.Run(home.Path, provider.Trust, [.. GenericAnswers(unreachableUrl), .. endpoints, "--skip-discovery"]);

        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains($"error: oidc_issuer_url: cannot fetch the discovery document at {provider.Url}/.well-known/openid-configuration",
            untrusted.Error, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains($"error: oidc_issuer_url: cannot fetch the discovery document at {unreachableUrl}/.well-known/openid-configuration",
            unreachable.Error, StringComparison.Ordinal);
        Assert.Contains("pass --skip-discovery", unreachable.Error, StringComparison.Ordinal);
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.Equal(unreachableUrl, JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", "generic.json")))!["oidc_issuer_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wizard_warns_when_the_discovery_check_fails_asks_again_and_takes_the_endpoints_from_the_document()
    {
        using var home = new TempDirectory();
        await using var provider = await TlsProvider.StartAsync(home);
        var unreachableUrl = $"https://127.0.0.1:{AwsPeer.FreePort()}";
        using var terminal = TmuxTerminal.StartCcwb(home.Path, provider.Trust, "init", "-p", "generic-wizard");

        terminal.Answer("How do users sign in?", "");
        terminal.Answer("Identity provider domain", "127.0.0.1");
        terminal.WaitFor("Other OpenID Connect provider");
        terminal.Keys("Down", "Down", "Down", "Down", "Down", "Enter");
        terminal.Answer("OpenID issuer URL", unreachableUrl);
        terminal.WaitFor($"warning: oidc_issuer_url: cannot fetch the discovery document at {unreachableUrl}/.well-known/openid-configuration");
        terminal.Answer("Re-enter the identity provider details?", "");
        terminal.Answer("Identity provider domain", "", times: 2);
        terminal.Answer("> Other OpenID Connect provider", "");
        terminal.Answer("OpenID issuer URL", provider.Url, times: 2);
        terminal.WaitFor($"OpenID discovery document found for issuer {provider.Url}");
        terminal.Answer($"Authorization endpoint ({provider.Url}/authorize)", "");
        terminal.Answer($"Token endpoint ({provider.Url}/token)", "");
        terminal.Answer($"JWKS URI (the provider's signing keys) ({provider.Url}/jwks)", "");
        terminal.Answer($"({provider.Thumbprint})", "");
        terminal.Answer("OIDC client id of the application", "ccwb-test-client");
        terminal.Answer("Where users' credentials are cached", "");
        terminal.Answer("OAuth callback port", "");
        terminal.Answer("How sign-ins become AWS credentials", "");
        terminal.Answer("Session length in seconds", "");
        terminal.Answer("AWS region for the infrastructure", "");
        terminal.Answer("Stack base name", "");
        terminal.Answer("Claude model", "");
        terminal.Answer("Cross-region inference profile", "");
        terminal.Answer("Region users' requests are sent from", "");
        terminal.Answer("Collect usage telemetry", "n");
        terminal.Answer("Enforce per-user quotas", "");
        terminal.Answer("Configure Claude Desktop (Cowork)", "n");
        terminal.Answer("Where Claude Code settings are installed", "");
        terminal.Answer("Add a Co-Authored-By line", "");
        terminal.Answer("Enable web search", "");
        terminal.Answer("Resource tags as Key=Value", "");
        terminal.Answer("Write profile 'generic-wizard'?", "");

        Assert.Equal(0, terminal.WaitForExit());
        var profile = JsonNode.Parse(File.ReadAllText(home.Combine(".ccwb", "profiles", "generic-wizard.json")))!;
        Assert.Equal(provider.Url, profile["oidc_issuer_url"]!.GetValue<string>());
        Assert.Equal(provider.Url + "/token", profile["oidc_token_endpoint"]!.GetValue<string>());
        Assert.Equal(provider.Thumbprint, profile["oidc_thumbprint"]!.GetValue<string>());
    }
}
