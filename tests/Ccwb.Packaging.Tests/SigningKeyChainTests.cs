using Ccwb.Packaging.Signing;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>
/// A signing identity under an intermediate CA, made by openssl as a release engineer would export it: the chain the
/// signers embed must run leaf, intermediate, root whatever order the file holds.
/// </summary>
public sealed class SigningKeyChainTests : IDisposable
{
    private const string Password = "chain test";
    private static readonly string[] IssuerOrder = ["CN=Test Leaf", "CN=Test Intermediate CA", "CN=Test Root CA"];
    private readonly TempDirectory _directory = new("ccwb-chain");

    public SigningKeyChainTests()
    {
        File.WriteAllText(Path("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        File.WriteAllText(Path("leaf.ext"), "basicConstraints=CA:FALSE\nextendedKeyUsage=codeSigning\n");
        Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Test Root CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-keyout", Path("root.key"), "-out", Path("root.pem"));
        Issue("intermediate", "/CN=Test Intermediate CA", "root", "ca.ext");
        Issue("leaf", "/CN=Test Leaf", "intermediate", "leaf.ext");
    }

    [Theory]
    [InlineData("intermediate", "root")] // a CA's chain file as usually handed out
    [InlineData("root", "intermediate")]
    public void Pkcs12_exported_by_openssl_with_its_ca_certificates_loads_in_issuer_order(string first, string second)
    {
        File.WriteAllText(Path("cas.pem"), File.ReadAllText(Path(first + ".pem")) + File.ReadAllText(Path(second + ".pem")));
        Openssl("pkcs12", "-export", "-inkey", Path("leaf.key"), "-in", Path("leaf.pem"), "-certfile", Path("cas.pem"),
            "-out", Path("identity.pfx"), "-passout", "pass:" + Password);

        var chain = Keys(pfx: Path("identity.pfx")).LoadChain();

        Assert.Equal(IssuerOrder, chain.Select(c => c.Subject));
        Assert.True(chain[0].HasPrivateKey);
    }

    [Fact]
    public void Pem_chain_given_out_of_order_is_put_in_issuer_order()
    {
        File.WriteAllText(Path("chain.pem"),
            File.ReadAllText(Path("leaf.pem")) + File.ReadAllText(Path("root.pem")) + File.ReadAllText(Path("intermediate.pem")));

        var chain = Keys(certificate: Path("chain.pem"), key: Path("leaf.key")).LoadChain();

        Assert.Equal(IssuerOrder, chain.Select(c => c.Subject));
    }

    [Fact]
    public void Certificates_outside_the_leafs_path_follow_it_in_their_own_order()
    {
        Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Unrelated",
            "-keyout", Path("unrelated.key"), "-out", Path("unrelated.pem"));
        File.WriteAllText(Path("chain.pem"), File.ReadAllText(Path("leaf.pem")) + File.ReadAllText(Path("unrelated.pem"))
            + File.ReadAllText(Path("intermediate.pem")));

        var chain = Keys(certificate: Path("chain.pem"), key: Path("leaf.key")).LoadChain();

        Assert.Equal(["CN=Test Leaf", "CN=Test Intermediate CA", "CN=Unrelated"], chain.Select(c => c.Subject));
    }

    private static KeyFiles Keys(string? pfx = null, string? certificate = null, string? key = null) =>
        new(pfx, certificate, key, Password, "--sign-pfx", "--sign-cert", "--sign-key");

    private void Issue(string name, string subject, string issuer, string extensions)
    {
        Openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", Path(name + ".key"), "-out", Path(name + ".csr"));
        Openssl("x509", "-req", "-in", Path(name + ".csr"), "-CA", Path(issuer + ".pem"), "-CAkey", Path(issuer + ".key"),
            "-CAcreateserial", "-days", "2", "-extfile", Path(extensions), "-out", Path(name + ".pem"));
    }

    private static void Openssl(params string[] arguments) => Run.Checked("openssl", arguments);

    private string Path(string name) => _directory.Combine(name);

    public void Dispose() => _directory.Dispose();
}
