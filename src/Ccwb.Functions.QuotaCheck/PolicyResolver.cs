namespace Ccwb.Functions.QuotaCheck;

/// <summary>The policy that applies to a user: their own, else the strictest of their groups', else the default.</summary>
public static class PolicyResolver
{
    public static async Task<QuotaPolicy?> ResolveAsync(IQuotaStore store, CallerIdentity caller, CancellationToken cancel)
    {
        if (await store.GetPolicyAsync("user", caller.User, cancel) is { Enabled: true } own) return own;
        QuotaPolicy? strictest = null;
        foreach (var group in caller.Groups)
        {
            if (await store.GetPolicyAsync("group", group, cancel) is not { Enabled: true } policy) continue;
            if (strictest is null || Stricter(policy, strictest)) strictest = policy;
        }
        if (strictest is not null) return strictest;
        return await store.GetPolicyAsync("default", "default", cancel) is { Enabled: true } fallback ? fallback : null;
    }

    // The lowest monthly token limit wins; 0 means "no token limit", so it is the loosest, not the strictest. Equal
    // limits: the first identifier in ordinal order, so the answer does not depend on the order of the claim.
    private static bool Stricter(QuotaPolicy a, QuotaPolicy b)
    {
        var la = a.MonthlyTokenLimit > 0 ? a.MonthlyTokenLimit : long.MaxValue;
        var lb = b.MonthlyTokenLimit > 0 ? b.MonthlyTokenLimit : long.MaxValue;
        return la != lb ? la < lb : string.CompareOrdinal(a.Identifier, b.Identifier) < 0;
    }
}
