namespace Ccwb.Bedrock;

/// <summary>Cross-region inference profile keys, their legacy spellings and the default source region of each.</summary>
public static class CrossRegionProfiles
{
    public const string Us = "us";
    public const string Eu = "eu";
    public const string Apac = "apac";
    public const string Au = "au";
    public const string Jp = "jp";
    public const string Global = "global";
    public const string UsGov = "us-gov";

    /// <summary>Every key, in the order the catalogue lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Us, Eu, Apac, Au, Jp, Global, UsGov];

    /// <summary>
    /// Profiles whose traffic must stay in one jurisdiction: a model missing there never falls back to
    /// <c>global</c> or <c>us</c>.
    /// </summary>
    public static IReadOnlySet<string> DataResidency { get; } = new HashSet<string>(StringComparer.Ordinal) { Au, Jp, Eu, UsGov };

    // Values older profiles stored; they mean the same profile.
    private static readonly Dictionary<string, string> Legacy = new(StringComparer.OrdinalIgnoreCase)
    {
        ["europe"] = Eu,
        ["japan"] = Jp,
        ["australia"] = Au,
    };

    /// <summary>
    /// Default source region per profile (upstream's DEFAULT_REGIONS, extended with <c>au</c> and <c>jp</c> so that a
    /// data-residency profile never defaults to a region outside it).
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultRegions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Us] = "us-east-1",
        [Eu] = "eu-west-1",
        [Apac] = "ap-northeast-1",
        [Au] = "ap-southeast-2",
        [Jp] = "ap-northeast-1",
        [UsGov] = "us-gov-west-1",
    };

    /// <summary>The current key for a stored value (<c>europe</c> → <c>eu</c>, <c>japan</c> → <c>jp</c>); null/empty → null.</summary>
    public static string? Normalize(string? profileKey)
    {
        if (string.IsNullOrWhiteSpace(profileKey)) return null;
        var key = profileKey.Trim();
        return Legacy.TryGetValue(key, out var current) ? current : key.ToLowerInvariant();
    }

    public static bool IsKnown(string? profileKey) => Normalize(profileKey) is { } k && All.Contains(k);

    /// <summary>
    /// The region requests are sent from: the profile's <c>selected_source_region</c> if set, else the default for
    /// a non-<c>us</c> profile, else the deployment region.
    /// </summary>
    public static string SourceRegion(string? profileKey, string? selectedSourceRegion, string awsRegion)
    {
        if (!string.IsNullOrWhiteSpace(selectedSourceRegion)) return selectedSourceRegion;
        var key = Normalize(profileKey);
        if (key is not null && key != Us && DefaultRegions.TryGetValue(key, out var region)) return region;
        return awsRegion;
    }
}
