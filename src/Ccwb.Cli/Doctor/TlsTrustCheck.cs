using Ccwb.Http;
using Ccwb.Http.Tls;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// The certificate authority variables the helper honours (<c>AWS_CA_BUNDLE</c>, <c>SSL_CERT_FILE</c>,
/// <c>SSL_CERT_DIR</c>) name readable PEM certificates; a broken one makes every https call of the helper fail.
/// Read with the helper's own <see cref="TrustedAuthorities"/>, each variable on its own.
/// </summary>
internal sealed class TlsTrustCheck : IDiagnostic
{
    private static readonly string[] Variables = ["AWS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"];

    public string Name => "tls trust";

    public DiagnosticResult Run(DoctorContext context)
    {
        var set = Variables.Where(name => !string.IsNullOrWhiteSpace(context.Environment(name))).ToList();
        if (set.Count == 0) return DiagnosticResult.Pass("the system's certificate authorities are trusted (no CA variables set)");
        var counts = new List<string>();
        foreach (var name in set)
        {
            var trust = TrustedAuthorities.FromEnvironment(variable => variable == name ? context.Environment(name) : null);
            try
            {
                counts.Add($"{name}: {trust.Load().Count} certificate(s)");
            }
            catch (HttpTransportException e)
            {
                return DiagnosticResult.Fail($"{name}: {e.Message}",
                    $"Point {name} at a PEM file of your organisation's certificate authorities (-----BEGIN CERTIFICATE-----), or unset it.");
            }
        }
        var note = set.Contains("AWS_CA_BUNDLE") && set.Count > 1 ? " (AWS_CA_BUNDLE takes precedence)" : "";
        return DiagnosticResult.Pass(string.Join("; ", counts) + note);
    }
}
