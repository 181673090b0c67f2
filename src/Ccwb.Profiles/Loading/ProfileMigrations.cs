using System.Text.Json.Nodes;
using System.Text.Json;
using Ccwb.Contract.Providers;

namespace Ccwb.Profiles.Loading;

/// <summary>
/// Upstream's <c>Profile.from_dict</c> migrations, applied to the raw document before binding so that profiles written
/// by any upstream version load unchanged. Each step tolerates values of the wrong type (binding reports those).
/// </summary>
public static class ProfileMigrations
{
    private static readonly HashSet<string> DistributionTypes = new(StringComparer.Ordinal) { "presigned-s3", "landing-page" };

    public static void Apply(JsonObject profile)
    {
        SetIfMissing(profile, "schema_version", "2.0");
        Rename(profile, "okta_domain", "provider_domain");
        Rename(profile, "okta_client_id", "client_id");
        SetIfMissing(profile, "credential_storage", "session");

        var domain = StringOf(profile["provider_domain"]);
        if (IsMissing(profile, "sso_enabled"))
            profile["sso_enabled"] = !string.IsNullOrWhiteSpace(domain) && !string.Equals(domain.Trim(), "none", StringComparison.OrdinalIgnoreCase);
        if (IsMissing(profile, "auth_type") && BoolOf(profile["sso_enabled"]) is { } sso)
            profile["auth_type"] = sso ? "oidc" : "none";
        if (IsMissing(profile, "provider_type") && ProviderDetection.FromDomain(domain) is { } detected)
            profile["provider_type"] = detected;

        HealDistribution(profile);
        NullIfContainsSpace(profile, "codebuild_region");
        NullIfContainsSpace(profile, "distribution_hosted_zone_id");

        SetIfMissing(profile, "monitoring_mode", "central");
        if (IsMissing(profile, "cross_region_profile") && CrossRegionProfileFromRegions(profile["allowed_bedrock_regions"]) is { } crp)
            profile["cross_region_profile"] = crp;
    }

    // A wizard bug once stored prompt titles as distribution_type; such values mean "no distribution".
    // Profiles from before distribution_type existed only had enable_distribution, which meant presigned S3.
    private static void HealDistribution(JsonObject profile)
    {
        if (profile["distribution_type"] is { } type && !(StringOf(type) is { } t && DistributionTypes.Contains(t)))
        {
            profile["distribution_type"] = null;
            profile["enable_distribution"] = false;
        }
        else if (IsMissing(profile, "distribution_type") && BoolOf(profile["enable_distribution"]) == true)
        {
            profile["distribution_type"] = "presigned-s3";
        }
    }

    /// <summary>
    /// Upstream sets "us" when any allowed region starts with <c>us-</c>, which also catches GovCloud; a list of only
    /// GovCloud regions means the <c>us-gov</c> profile.
    /// </summary>
    private static string? CrossRegionProfileFromRegions(JsonNode? regions)
    {
        if (regions is not JsonArray array) return null;
        var names = array.Select(StringOf).OfType<string>().ToList();
        var us = names.Where(r => r.StartsWith("us-", StringComparison.Ordinal)).ToList();
        if (us.Count == 0) return null;
        return us.All(r => r.StartsWith("us-gov-", StringComparison.Ordinal)) ? "us-gov" : "us";
    }

    private static void Rename(JsonObject profile, string from, string to)
    {
        if (!profile.ContainsKey(from)) return;
        var value = profile[from];
        profile.Remove(from);
        if (IsMissing(profile, to)) profile[to] = value?.DeepClone();
    }

    private static void NullIfContainsSpace(JsonObject profile, string key)
    {
        if (StringOf(profile[key]) is { } s && s.Contains(' ', StringComparison.Ordinal)) profile[key] = null;
    }

    private static void SetIfMissing(JsonObject profile, string key, JsonNode value)
    {
        if (IsMissing(profile, key)) profile[key] = value;
    }

    // Upstream tests with dict.get(...) is None, so an explicit null counts as missing.
    private static bool IsMissing(JsonObject profile, string key) => profile[key] is null;

    internal static string? StringOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool? BoolOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;
}
