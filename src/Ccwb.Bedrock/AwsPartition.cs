namespace Ccwb.Bedrock;

/// <summary>An AWS partition: the ARN prefix and the DNS suffix its endpoints use.</summary>
/// <param name="Name">The ARN partition, e.g. <c>aws</c>, <c>aws-us-gov</c>, <c>aws-cn</c>.</param>
/// <param name="DnsSuffix">The endpoint domain, e.g. <c>amazonaws.com</c> or <c>amazonaws.com.cn</c>.</param>
public sealed record AwsPartition(string Name, string DnsSuffix)
{
    public static readonly AwsPartition Commercial = new("aws", "amazonaws.com");
    public static readonly AwsPartition GovCloud = new("aws-us-gov", "amazonaws.com");
    public static readonly AwsPartition China = new("aws-cn", "amazonaws.com.cn");

    public override string ToString() => Name;
}

/// <summary>Partition of a region, by the naming rule AWS uses (<c>us-gov-*</c>, <c>cn-*</c>, everything else).</summary>
public static class AwsPartitions
{
    /// <summary>
    /// The partition a region belongs to. Case-insensitive; a null or empty region is commercial, as the AWS CLI and
    /// SDKs treat a missing region when building ARNs.
    /// </summary>
    public static AwsPartition ForRegion(string? region)
    {
        if (string.IsNullOrWhiteSpace(region)) return AwsPartition.Commercial;
        var r = region.Trim();
        if (r.StartsWith("us-gov-", StringComparison.OrdinalIgnoreCase)) return AwsPartition.GovCloud;
        if (r.StartsWith("cn-", StringComparison.OrdinalIgnoreCase)) return AwsPartition.China;
        return AwsPartition.Commercial;
    }

    /// <summary>True when both regions are in the same partition (never probe or grant across partitions).</summary>
    public static bool SamePartition(string? a, string? b) => ForRegion(a) == ForRegion(b);
}
