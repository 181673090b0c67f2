namespace Ccwb.Bedrock.Tests;

public sealed class AwsPartitionsTests
{
    [Theory]
    [InlineData("us-east-1", "aws", "amazonaws.com")]
    [InlineData("eu-west-3", "aws", "amazonaws.com")]
    [InlineData("us-gov-west-1", "aws-us-gov", "amazonaws.com")]
    [InlineData("US-GOV-EAST-1", "aws-us-gov", "amazonaws.com")]
    [InlineData("cn-north-1", "aws-cn", "amazonaws.com.cn")]
    [InlineData("cn-northwest-1", "aws-cn", "amazonaws.com.cn")]
    [InlineData("", "aws", "amazonaws.com")]
    [InlineData(null, "aws", "amazonaws.com")]
    public void Partition_and_dns_suffix_follow_the_region_prefix(string? region, string partition, string dnsSuffix)
    {
        var p = AwsPartitions.ForRegion(region);
        Assert.Equal(partition, p.Name);
        Assert.Equal(dnsSuffix, p.DnsSuffix);
    }

    [Fact]
    public void Us_east_is_not_mistaken_for_govcloud_by_its_us_prefix() =>
        Assert.False(AwsPartitions.SamePartition("us-east-1", "us-gov-west-1"));

    [Fact]
    public void Every_known_region_is_listed_under_its_own_partition()
    {
        foreach (var region in AwsRegions.All)
            Assert.Contains(region, AwsRegions.InPartition(AwsPartitions.ForRegion(region)));
        Assert.Equal(AwsRegions.All.Count,
                     AwsRegions.Commercial.Count + AwsRegions.GovCloud.Count + AwsRegions.China.Count);
    }

    [Theory]
    [InlineData("us-east-1", true)]
    [InlineData("us-gov-west-1", true)]
    [InlineData("us-gov-east-1", true)]
    [InlineData("ca-west-1", true)]
    [InlineData("mx-central-1", true)]
    [InlineData("cn-north-1", true)]
    [InlineData("all-commercial", false)]
    [InlineData("US-EAST-1", false)]
    [InlineData("us-east-9", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKnown_accepts_real_region_codes_only(string? region, bool known) =>
        Assert.Equal(known, AwsRegions.IsKnown(region));
}
