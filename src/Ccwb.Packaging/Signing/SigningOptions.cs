namespace Ccwb.Packaging.Signing;

/// <summary>What the Sign target was given. Either part may be absent; with neither, signing is skipped.</summary>
public sealed record SigningOptions
{
    /// <summary>PKCS#12 file with the Authenticode key and its chain.</summary>
    public string? PfxFile { get; init; }

    /// <summary>Password of <see cref="PfxFile"/> (or of an encrypted <see cref="KeyFile"/>); read from an environment variable, never logged.</summary>
    public string? Password { get; init; }

    /// <summary>PEM certificate chain (leaf first), used with <see cref="KeyFile"/> instead of a PFX.</summary>
    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>RFC 3161 timestamp server; optional.</summary>
    public string? TimestampUrl { get; init; }

    /// <summary>GPG key (id, fingerprint or user id) for the debs and the apt repository; it must sign without a prompt.</summary>
    public string? GpgKey { get; init; }

    public string? GpgHomeDirectory { get; init; }

    /// <summary>
    /// The apt Release file's Date: the build's SOURCE_DATE_EPOCH (the time every package carries), so that the same
    /// debs give a byte-identical Release.
    /// </summary>
    public DateTimeOffset RepositoryDate { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>Developer ID Installer identity for the macOS package: a PKCS#12 file (password: <see cref="Password"/>)...</summary>
    public string? PkgPfxFile { get; init; }

    /// <summary>...or a PEM certificate chain (leaf first) with <see cref="PkgKeyFile"/>.</summary>
    public string? PkgCertificateFile { get; init; }

    public string? PkgKeyFile { get; init; }

    public bool HasPkgIdentity => PkgPfxFile is not null || PkgCertificateFile is not null || PkgKeyFile is not null;

    public bool HasAuthenticode => PfxFile is not null || CertificateFile is not null || KeyFile is not null;
    public bool HasGpg => GpgKey is not null;
    public bool HasAnyKey => HasAuthenticode || HasGpg || HasPkgIdentity;
}
