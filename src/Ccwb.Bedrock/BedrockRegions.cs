namespace Ccwb.Bedrock;

/// <summary>Bedrock destination regions and the expansion of the catalogue's region sentinels.</summary>
public static class BedrockRegions
{
    /// <summary>Sentinel destination meaning "every commercial Bedrock region" (global profiles).</summary>
    public const string AllCommercial = "all-commercial";

    /// <summary>Every destination region the catalogue names, sentinels excluded, sorted (commercial and GovCloud).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        .. ModelCatalogue.Models
            .SelectMany(m => m.Profiles)
            .SelectMany(p => p.DestinationRegions)
            .Where(r => !IsSentinel(r))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>What <see cref="AllCommercial"/> expands to: <see cref="All"/> without GovCloud (and China).</summary>
    public static IReadOnlyList<string> Commercial { get; } =
        [.. All.Where(r => AwsPartitions.ForRegion(r) == AwsPartition.Commercial)];

    /// <summary>True for <c>all-*</c> sentinels, which are never region names.</summary>
    public static bool IsSentinel(string region) => region.StartsWith("all-", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Real regions for a stored list: <see cref="AllCommercial"/> becomes <see cref="Commercial"/>, other <c>all-*</c>
    /// sentinels are dropped, duplicates removed; sorted so generated files do not depend on input order.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> regions)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var raw in regions)
        {
            var region = raw.Trim();
            if (region.Length == 0) continue;
            if (string.Equals(region, AllCommercial, StringComparison.OrdinalIgnoreCase)) result.UnionWith(Commercial);
            else if (!IsSentinel(region)) result.Add(region);
        }
        return [.. result];
    }
}
