using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ccwb.Http.Tls;

/// <summary>
/// The certificate authorities a TLS server must chain to: the system's, or those the user named, as the AWS SDKs and
/// OpenSSL read them. <c>AWS_CA_BUNDLE</c> (a PEM file) replaces the system store, as it does for the AWS CLI; else
/// <c>SSL_CERT_FILE</c> (a PEM file) and <c>SSL_CERT_DIR</c> (a directory of PEM files, several joined by the path
/// separator) replace it as they do for OpenSSL. Read here rather than left to the platform so they mean the same on
/// Windows and macOS, whose TLS stacks do not read them.
/// </summary>
public sealed class TrustedAuthorities
{
    private TrustedAuthorities(string? bundle, string? directories)
    {
        Bundle = bundle;
        Directories = directories;
    }

    /// <summary>The system store.</summary>
    public static TrustedAuthorities System { get; } = new(null, null);

    public string? Bundle { get; }
    public string? Directories { get; }
    public bool IsSystem => Bundle is null && Directories is null;

    public static TrustedAuthorities FromBundle(string? bundle) => bundle is null ? System : new(bundle, null);

    public static TrustedAuthorities FromEnvironment(Func<string, string?> environment)
    {
        if (NonEmpty(environment("AWS_CA_BUNDLE")) is { } awsBundle) return new(awsBundle, null);
        var file = NonEmpty(environment("SSL_CERT_FILE"));
        var directory = NonEmpty(environment("SSL_CERT_DIR"));
        return file is null && directory is null ? System : new(file, directory);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The named authorities; throws with the file at fault when one is missing or not PEM.</summary>
    public X509Certificate2Collection Load()
    {
        var roots = new X509Certificate2Collection();
        if (Bundle is not null) Import(roots, Bundle);
        foreach (var directory in (Directories ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Directory.Exists(directory)) throw new HttpTransportException($"the CA directory {directory} does not exist.");
            foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                // OpenSSL's hashed directories hold PEM files (often as <hash>.0 links) beside other files; only certificates count.
                try { roots.ImportFromPemFile(file); }
                catch (CryptographicException) { }
                catch (IOException) { }
            }
        }
        if (roots.Count == 0)
            throw new HttpTransportException($"no certificate could be read from {Bundle ?? Directories}: a PEM file of certificate authorities is expected.");
        return roots;
    }

    private static void Import(X509Certificate2Collection roots, string path)
    {
        if (!File.Exists(path)) throw new HttpTransportException($"the CA bundle {path} does not exist.");
        try { roots.ImportFromPemFile(path); }
        catch (CryptographicException e) { throw new HttpTransportException($"cannot load the CA bundle {path}: {e.Message}", e); }
        catch (IOException e) { throw new HttpTransportException($"cannot read the CA bundle {path}: {e.Message}", e); }
    }
}
