using System.Text.Json;

namespace Ccwb.Profiles;

/// <summary>
/// The central collector's settings, read from the profile's free-form <c>monitoring_config</c> object (upstream's
/// keys): an existing VPC and its subnets or the CIDRs of a new one, load balancer exposure, and HTTPS.
/// </summary>
/// <param name="CreateVpc">False when the profile says to use an existing VPC; null when it does not say.</param>
/// <param name="SubnetIds">A JSON list, or the comma-separated text the wizard's manual entry accepts.</param>
public sealed record CollectorSettings(
    bool? CreateVpc,
    string? VpcId,
    IReadOnlyList<string> SubnetIds,
    string? VpcCidr,
    string? Subnet1Cidr,
    string? Subnet2Cidr,
    string? AlbScheme,
    string? CustomDomain,
    string? HostedZoneId,
    string? CertificateArn)
{
    /// <summary>An existing VPC is used when its id is given or a new one is refused.</summary>
    public bool UsesExistingVpc => VpcId is not null || CreateVpc == false;

    /// <summary>HTTPS needs a certificate: a given one, or one issued for the custom domain in its hosted zone.</summary>
    public bool HasHttps => CertificateArn is not null || (CustomDomain is not null && HostedZoneId is not null);

    public static CollectorSettings From(IReadOnlyDictionary<string, JsonElement> config) => new(
        config.TryGetValue("create_vpc", out var create) && create.ValueKind is JsonValueKind.True or JsonValueKind.False ? create.GetBoolean() : null,
        Text(config, "vpc_id"),
        SubnetIdsOf(config),
        Text(config, "vpc_cidr"),
        Text(config, "subnet1_cidr"),
        Text(config, "subnet2_cidr"),
        Text(config, "alb_scheme"),
        Text(config, "custom_domain"),
        Text(config, "hosted_zone_id"),
        Text(config, "certificate_arn"));

    private static List<string> SubnetIdsOf(IReadOnlyDictionary<string, JsonElement> config)
    {
        if (!config.TryGetValue("subnet_ids", out var value)) return [];
        return value.ValueKind switch
        {
            JsonValueKind.Array => [.. value.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!.Trim())],
            JsonValueKind.String => [.. value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            _ => [],
        };
    }

    private static string? Text(IReadOnlyDictionary<string, JsonElement> config, string key) =>
        config.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()?.Trim() is { Length: > 0 } text
            ? text
            : null;
}
