using Ccwb.Bedrock;

namespace Ccwb.Functions.UsageMonitor;

/// <summary>
/// Tokens one user spent of one kind on one model in the monitor's window: a series of
/// <c>sum by ("user.email", type, model)(sum_over_time({"claude_code.token.usage"}[window]))</c>.
/// </summary>
public sealed record TokenSample(string User, string Type, string? Model, decimal Tokens);

/// <summary>A user's tokens in the window, by kind, and what they cost.</summary>
public sealed record UserUsage(string User, long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, decimal CostUsd)
{
    public long TotalTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens;
}

/// <summary>Totals token samples per user and prices them per model with <see cref="ModelPrices"/>.</summary>
public static class UsagePricing
{
    /// <summary>
    /// The kind a metric's <c>type</c> attribute names. Claude Code sends camelCase (<c>input</c>, <c>output</c>,
    /// <c>cacheRead</c>, <c>cacheCreation</c>); the snake_case forms are accepted too. Cache creation is billed as a
    /// cache write (it is often most of the tokens, so it must not be dropped).
    /// </summary>
    public static TokenKind? KindOf(string? type) => type switch
    {
        "input" => TokenKind.Input,
        "output" => TokenKind.Output,
        "cacheRead" or "cache_read" => TokenKind.CacheRead,
        "cacheCreation" or "cache_creation" or "cache_write" => TokenKind.CacheWrite,
        _ => null,
    };

    /// <summary>Per-user totals, ordered by user; samples of an unknown type or without a user are left out.</summary>
    public static IReadOnlyList<UserUsage> Aggregate(IEnumerable<TokenSample> samples)
    {
        var users = new SortedDictionary<string, (decimal[] Tokens, decimal Cost)>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (string.IsNullOrWhiteSpace(sample.User) || sample.Tokens <= 0 || KindOf(sample.Type) is not { } kind) continue;
            var entry = users.TryGetValue(sample.User, out var e) ? e : (Tokens: new decimal[4], Cost: 0m);
            entry.Tokens[(int)kind] += sample.Tokens;
            entry.Cost += ModelPrices.For(sample.Model).Cost(kind, sample.Tokens);
            users[sample.User] = entry;
        }
        return [.. users.Select(u => new UserUsage(u.Key, (long)u.Value.Tokens[(int)TokenKind.Input], (long)u.Value.Tokens[(int)TokenKind.Output],
            (long)u.Value.Tokens[(int)TokenKind.CacheRead], (long)u.Value.Tokens[(int)TokenKind.CacheWrite], u.Value.Cost))];
    }
}
