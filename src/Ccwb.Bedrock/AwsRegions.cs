namespace Ccwb.Bedrock;

/// <summary>The AWS regions this toolkit knows, by partition.</summary>
/// <remarks>
/// A fixed list rather than a lookup: nothing here may call AWS, and the list only grows when AWS opens a region.
/// It is a superset of every region the model catalogue names, which a test enforces.
/// </remarks>
public static class AwsRegions
{
    /// <summary>Commercial-partition regions (<c>aws</c>).</summary>
    public static IReadOnlyList<string> Commercial { get; } =
    [
        "af-south-1",
        "ap-east-1", "ap-east-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2",
        "eu-north-1",
        "eu-south-1", "eu-south-2",
        "eu-west-1", "eu-west-2", "eu-west-3",
        "il-central-1",
        "me-central-1", "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1", "us-east-2",
        "us-west-1", "us-west-2",
    ];

    /// <summary>AWS GovCloud (US) regions (<c>aws-us-gov</c>).</summary>
    public static IReadOnlyList<string> GovCloud { get; } = ["us-gov-east-1", "us-gov-west-1"];

    /// <summary>China regions (<c>aws-cn</c>).</summary>
    public static IReadOnlyList<string> China { get; } = ["cn-north-1", "cn-northwest-1"];

    /// <summary>Every known region, sorted.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. Commercial.Concat(GovCloud).Concat(China).Order(StringComparer.Ordinal)];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    /// <summary>True for a known region code. Exact match: region codes are lowercase.</summary>
    public static bool IsKnown(string? region) => region is not null && Known.Contains(region);

    /// <summary>The known regions of one partition.</summary>
    public static IReadOnlyList<string> InPartition(AwsPartition partition) =>
        partition == AwsPartition.GovCloud ? GovCloud
        : partition == AwsPartition.China ? China
        : Commercial;
}
