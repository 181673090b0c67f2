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

    public string? GpgKey { get; init; }
    public string? GpgHomeDirectory { get; init; }

    public bool HasAuthenticode => PfxFile is not null || CertificateFile is not null || KeyFile is not null;
    public bool HasGpg => GpgKey is not null;
}
