namespace Ccwb.Credentials.Quota;

/// <summary>The quota warning and block banners, for stderr (stdout carries only the credentials).</summary>
public static class QuotaBanner
{
    private static readonly string Rule = new('=', 60);

    /// <summary>At 80 % or more of a limit; nothing when the answer has no usage.</summary>
    public static IReadOnlyList<string> Warning(QuotaResult result)
    {
        if (result.Usage is not { } usage) return [];
        return ["", Rule, "QUOTA WARNING", Rule, .. usage.Lines(), Rule];
    }

    /// <summary>The user is over quota (or blocked by policy): no credentials.</summary>
    public static IReadOnlyList<string> Blocked(QuotaResult result)
    {
        var lines = new List<string> { "", Rule, "ACCESS BLOCKED - QUOTA EXCEEDED", Rule };
        if (result.Message.Length > 0) lines.Add(result.Message);
        if (result.Usage is { } usage && usage.Lines().Any())
        {
            lines.Add("");
            lines.Add("Current Usage:");
            lines.AddRange(usage.Lines());
        }
        if (result.Policy is { } policy && (policy.Type.Length > 0 || policy.Identifier.Length > 0))
        {
            lines.Add("");
            lines.Add($"Policy: {policy.Type}:{policy.Identifier}");
        }
        lines.Add("");
        lines.Add("To request an unblock, contact your administrator.");
        lines.Add(Rule);
        return lines;
    }
}
