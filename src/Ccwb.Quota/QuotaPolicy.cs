namespace Ccwb.Quota;

public enum PolicyType
{
    User,
    Group,
    Default,
}

/// <summary>What happens when a limit is reached: an alert only, or access blocked until the period resets.</summary>
public enum EnforcementMode
{
    Alert,
    Block,
}

/// <summary>The lower-case names used in tables, files and on the command line.</summary>
public static class PolicyTypes
{
    /// <summary>The identifier of the one default policy.</summary>
    public const string DefaultIdentifier = "default";

    public static string Name(PolicyType type) => type switch
    {
        PolicyType.User => "user",
        PolicyType.Group => "group",
        _ => "default",
    };

    public static PolicyType? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "user" => PolicyType.User,
        "group" => PolicyType.Group,
        "default" => PolicyType.Default,
        _ => null,
    };

    public static string Name(EnforcementMode mode) => mode == EnforcementMode.Block ? "block" : "alert";

    public static EnforcementMode? ParseMode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "alert" => EnforcementMode.Alert,
        "block" => EnforcementMode.Block,
        _ => null,
    };
}

/// <summary>
/// A quota for one user, one group, or everyone (the default). A limit of 0 means "no limit of that kind".
/// Usage at or above <see cref="WarnThresholdPercent"/> of a limit warns; at or above the limit, the limit's
/// enforcement mode decides between an alert and a block.
/// </summary>
public sealed record QuotaPolicy
{
    public required PolicyType Type { get; init; }

    /// <summary>User e-mail (stored lower-case), group name, or <see cref="PolicyTypes.DefaultIdentifier"/>.</summary>
    public required string Identifier { get; init; }

    public long MonthlyTokenLimit { get; init; }
    public long DailyTokenLimit { get; init; }
    public decimal MonthlyCostLimitUsd { get; init; }
    public decimal DailyCostLimitUsd { get; init; }
    public int WarnThresholdPercent { get; init; } = 80;

    /// <summary>Applies to the monthly token and cost limits (upstream's <c>enforcement_mode</c>).</summary>
    public EnforcementMode MonthlyEnforcement { get; init; } = EnforcementMode.Block;

    /// <summary>Applies to the daily token and cost limits.</summary>
    public EnforcementMode DailyEnforcement { get; init; } = EnforcementMode.Alert;

    public bool Enabled { get; init; } = true;
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? CreatedBy { get; init; }

    /// <summary><c>user:alice@example.com</c>, <c>group:engineering</c>, <c>default:default</c>.</summary>
    public string Key => $"{PolicyTypes.Name(Type)}:{Identifier}";

    /// <summary>Ordering key for "most restrictive": a limit of 0 (none) sorts after every real limit.</summary>
    internal static long Restrictiveness(long limit) => limit > 0 ? limit : long.MaxValue;

    internal static decimal Restrictiveness(decimal limit) => limit > 0 ? limit : decimal.MaxValue;
}
