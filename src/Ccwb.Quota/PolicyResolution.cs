namespace Ccwb.Quota;

/// <summary>The policies that could apply to one user: their own, their groups', and the default.</summary>
public sealed record PolicyCandidates(QuotaPolicy? User, IReadOnlyList<QuotaPolicy> Groups, QuotaPolicy? Default);

/// <summary>
/// THE policy resolution, used by <c>ccwb quota show</c> and the check function alike:
/// the user's enabled policy; else the most restrictive enabled policy of the user's groups; else the enabled
/// default; else none (unlimited). A disabled policy is skipped as if absent, so a disabled user policy falls back
/// to the groups, not to "unlimited".
/// </summary>
public static class PolicyResolution
{
    public static QuotaPolicy? Resolve(PolicyCandidates candidates)
    {
        if (candidates.User is { Enabled: true } user) return user;
        return MostRestrictiveGroup(candidates.Groups) ?? (candidates.Default is { Enabled: true } fallback ? fallback : null);
    }

    /// <summary>
    /// Among several group policies the spec takes the one with the lowest monthly token limit (upstream's rule).
    /// A limit of 0 means none, so it counts as the least restrictive. Ties are broken by the lower daily token limit,
    /// then monthly and daily cost limits, then the group name (ordinal), so the answer never depends on the order
    /// the IdP lists groups in or the table returns them.
    /// </summary>
    public static QuotaPolicy? MostRestrictiveGroup(IEnumerable<QuotaPolicy> groups) =>
        groups.Where(g => g is { Enabled: true, Type: PolicyType.Group })
            .OrderBy(g => QuotaPolicy.Restrictiveness(g.MonthlyTokenLimit))
            .ThenBy(g => QuotaPolicy.Restrictiveness(g.DailyTokenLimit))
            .ThenBy(g => QuotaPolicy.Restrictiveness(g.MonthlyCostLimitUsd))
            .ThenBy(g => QuotaPolicy.Restrictiveness(g.DailyCostLimitUsd))
            .ThenBy(g => g.Identifier, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Resolves from a flat list of policies (as listed or exported): the user's, those of <paramref name="groups"/>, and the default.</summary>
    public static QuotaPolicy? Resolve(string user, IEnumerable<string> groups, IEnumerable<QuotaPolicy> policies)
    {
        var all = policies.ToList();
        var userKey = QuotaSchema.UserKey(user);
        var groupSet = groups.Select(g => g.Trim()).ToHashSet(StringComparer.Ordinal);
        return Resolve(new PolicyCandidates(
            all.FirstOrDefault(p => p.Type == PolicyType.User && QuotaSchema.UserKey(p.Identifier) == userKey),
            [.. all.Where(p => p.Type == PolicyType.Group && groupSet.Contains(p.Identifier))],
            all.FirstOrDefault(p => p.Type == PolicyType.Default)));
    }
}
