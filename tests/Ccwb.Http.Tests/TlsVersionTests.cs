using Ccwb.Http.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Processes;
using Ccwb.Testing.Tls;

namespace Ccwb.Http.Tests;

/// <summary>
/// TLS 1.0 and 1.1 are refused by the client's own protocol setting, not by the system's OpenSSL defaults (which a
/// distribution or an administrator may lower): the client runs in a process of its own under an OpenSSL
/// configuration that permits TLS 1.0 at security level 0, which OpenSSL's own client is shown to use.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class TlsVersionTests(TestCertificateAuthorities ca) : IClassFixture<TestCertificateAuthorities>, IDisposable
{
    private const string Permissive = """
        openssl_conf = openssl_init

        [openssl_init]
        ssl_conf = ssl_configuration

        [ssl_configuration]
        system_default = permissive

        [permissive]
        MinProtocol = TLSv1
        CipherString = DEFAULT:@SECLEVEL=0
        """;

    private readonly TempDirectory directory = new("ccwb-tls-version");

    [Theory]
    [InlineData("-tls1", "TLSv1")]
    [InlineData("-tls1_1", "TLSv1.1")]
    public async Task An_old_TLS_server_is_refused_even_where_the_OpenSSL_configuration_allows_it(string only, string version)
    {
        using var leaf = TestPki.CreateLeaf(ca.Trusted, ["localhost"]);
        await using var old = await OpenSslServer.StartAsync(leaf, only);
        await using var current = await OpenSslServer.StartAsync(leaf, "-tls1_2");
        var config = directory.Combine("permissive.cnf");
        await File.WriteAllTextAsync(config, Permissive, TestContext.Current.CancellationToken);
        Assert.Equal(version, old.NegotiatedBy(only, config)); // the configuration alone would let the old version through

        var refused = Probe($"https://localhost:{old.Port}/", config);
        var control = Probe($"https://localhost:{current.Port}/", config);

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: the TLS handshake with localhost failed: ", refused.Output, StringComparison.Ordinal);
        Assert.Equal(0, control.ExitCode);
        Assert.Contains("Protocol  : TLSv1.2", control.Output, StringComparison.Ordinal);
    }

    private Run.Result Probe(string url, string openSslConfig) =>
        Run.Tool("dotnet", [Path.Combine(AppContext.BaseDirectory, "probe", "Ccwb.Http.Probe.dll"), url, ca.Bundle],
            environment: new Dictionary<string, string?> { ["OPENSSL_CONF"] = openSslConfig }, timeoutSeconds: 60);

    public void Dispose() => directory.Dispose();
}
