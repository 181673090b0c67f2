using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Ccwb.CloudFormation.Planning;
using Ccwb.Profiles;

namespace Ccwb.Cli.Init;

/// <summary>What the provider's discovery document says (only what the profile uses).</summary>
internal sealed record DiscoveryDocument(string Issuer, string AuthorizationEndpoint, string TokenEndpoint, string JwksUri);

/// <summary>
/// Fetches the identity provider's OpenID discovery document (<c>&lt;issuer&gt;/.well-known/openid-configuration</c>)
/// and checks that it speaks for the issuer the profile will trust, so a mistyped domain or tenant is found while the
/// administrator is still at the keyboard, not at the first user's sign-in.
/// </summary>
internal sealed class ProviderDiscovery
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly string[] RequiredFields = ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"];

    private readonly Dictionary<string, string?> _thumbprints = new(StringComparer.Ordinal);

    /// <summary>No network: the check is skipped and nothing is looked up (<c>--skip-discovery</c>).</summary>
    public bool Offline { get; init; }

    /// <summary>The last document that passed the check (its endpoints are the defaults of a generic provider).</summary>
    public DiscoveryDocument? Found { get; private set; }

    /// <summary>The issuer a profile's answers point at, or null when they do not name one yet.</summary>
    public static string? IssuerOf(DeploymentProfile profile) => ProviderIssuers.Of(profile);

    /// <summary>Fetches and checks the document; returns what is wrong, or null when it is good.</summary>
    public async Task<string?> CheckAsync(string issuer, CancellationToken cancellationToken)
    {
        Found = null;
        var url = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        using var http = new HttpClient { Timeout = Timeout };
        string body;
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode) return $"the discovery document at {url} answered HTTP {(int)response.StatusCode}";
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"cannot fetch the discovery document at {url}: {Clean(e.InnerException?.Message ?? e.Message)}";
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return $"the discovery document at {url} is not JSON";
        }
        if (root.ValueKind != JsonValueKind.Object) return $"the discovery document at {url} is not a JSON object";

        string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var missing = RequiredFields.Where(n => string.IsNullOrEmpty(Field(n))).ToList();
        if (missing.Count > 0) return $"the discovery document at {url} lacks {string.Join(", ", missing)}";

        // OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for; id tokens will carry it.
        var named = Field("issuer")!;
        if (!string.Equals(named.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal))
            return $"the discovery document at {url} names the issuer '{Clean(named)}', not '{issuer}'";

        Found = new DiscoveryDocument(named, Field("authorization_endpoint")!, Field("token_endpoint")!, Field("jwks_uri")!);
        return null;
    }

    /// <summary>The JWKS host's certificate thumbprint, looked up once per URI; null offline or when it cannot be had.</summary>
    public string? Thumbprint(string? jwksUri)
    {
        if (Offline || string.IsNullOrWhiteSpace(jwksUri)) return null;
        if (!_thumbprints.TryGetValue(jwksUri, out var thumbprint))
            _thumbprints[jwksUri] = thumbprint = JwksThumbprintAsync(jwksUri, CancellationToken.None).GetAwaiter().GetResult();
        return thumbprint;
    }

    /// <summary>
    /// The SHA-1 thumbprint (40 lowercase hex) IAM pins for a generic provider: that of the top intermediate CA of the
    /// chain the JWKS host sends (see <see cref="PinnedCertificate"/>); null when the host cannot be reached over
    /// trusted TLS.
    /// </summary>
    public static async Task<string?> JwksThumbprintAsync(string jwksUri, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps) return null;
        string? thumbprint = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (errors != SslPolicyErrors.None || certificate is null || chain is null) return false;
            // IAM identifies an OIDC provider's certificate by its SHA-1 thumbprint; this is a fingerprint, not a signature.
#pragma warning disable CA5350
            thumbprint = Convert.ToHexStringLower(SHA1.HashData(PinnedCertificate(certificate, chain)));
#pragma warning restore CA5350
            return true;
        };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        return thumbprint;
    }

    /// <summary>
    /// The certificate whose thumbprint IAM documents for an OIDC provider: the top intermediate CA of the chain the
    /// server sends, i.e. the last certificate before the root. The validated chain runs from the leaf to the trusted
    /// root; the certificates the server sent are in its ExtraStore, so an intermediate found elsewhere (a local store,
    /// an AIA download) is not taken for one the server sends.
    /// </summary>
    internal static byte[] PinnedCertificate(X509Certificate leaf, X509Chain chain)
    {
        var sent = chain.ChainPolicy.ExtraStore;
        var elements = chain.ChainElements;
        // Skips element 0 (the leaf) and the last one (the root, even when the server sends it too).
        for (var i = elements.Count - 2; i >= 1; i--)
        {
            var candidate = elements[i].Certificate;
            foreach (var certificate in sent)
                if (certificate.RawDataMemory.Span.SequenceEqual(candidate.RawDataMemory.Span)) return candidate.RawData;
        }
        // The server sends only its own certificate (no intermediate): the leaf is the only one left to pin.
        return leaf.GetRawCertData();
    }

    // Text from the network reaches the terminal: no control characters, bounded length.
    private static string Clean(string text) => Ccwb.Http.TerminalText.Clean(text, 200);
}
