using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ccwb.Profiles;
using Ccwb.Rendering.Cowork;

namespace Ccwb.Rendering;

/// <summary>A certificate (with private key) to sign the .mobileconfig, and the intermediates to ship with it.</summary>
public sealed record MobileconfigSigning(X509Certificate2 Certificate, X509Certificate2Collection Chain);

/// <summary>Inputs besides the profile. Everything that varies between runs is here, so output is reproducible.</summary>
/// <param name="Version">Stamped into OTEL_RESOURCE_ATTRIBUTES (settings_version) and the README.</param>
/// <param name="SigningTime">The CMS signing time; none is written when null.</param>
public sealed record RenderOptions(string Version, DateTime? SigningTime = null, MobileconfigSigning? Signing = null)
{
    /// <summary>The models offered in Claude Desktop's picker, and whether beta keys are written.</summary>
    public CoworkOptions Cowork { get; init; } = CoworkOptions.Package;

    /// <summary>
    /// Options for a build: with <c>SOURCE_DATE_EPOCH</c> set (reproducible builds convention), the version is that
    /// time in upstream's <c>yyyy-MM-dd-HHmmss</c> form; otherwise it is derived from the profile's content, so the
    /// same profile always yields the same files.
    /// </summary>
    public static RenderOptions ForProfile(DeploymentProfile profile)
    {
        if (SourceDateEpoch() is { } time)
            return new RenderOptions(time.ToString("yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture), time);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ProfileJson.Serialize(profile)));
        return new RenderOptions("profile-" + Convert.ToHexStringLower(hash)[..12]);
    }

    /// <summary>
    /// Options for the Cowork MDM files alone: they carry no version stamp (so none is computed; serializing the
    /// profile for it is a noticeable part of a cold start), only a signing time from <c>SOURCE_DATE_EPOCH</c>.
    /// </summary>
    public static RenderOptions ForCoworkOnly(CoworkOptions cowork) =>
        new(Version: "", SigningTime: SourceDateEpoch()) { Cowork = cowork };

    private static DateTime? SourceDateEpoch() =>
        long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
            : null;
}
