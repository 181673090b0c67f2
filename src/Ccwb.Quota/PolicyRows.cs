using System.Globalization;

namespace Ccwb.Quota;

/// <summary>
/// Policies as rows of named text values: the columns of an exported CSV file and the keys of an exported JSON
/// object. Import reads every row with <see cref="Read"/> and writes only when no row has an error.
/// </summary>
public static class PolicyRows
{
    private static readonly List<string> ColumnList =
    [
        "type", "identifier", "monthly_token_limit", "daily_token_limit", "monthly_cost_limit_usd", "daily_cost_limit_usd",
        "warn_threshold_percent", "enforcement_mode", "daily_enforcement_mode", "enabled",
    ];

    public static IReadOnlyList<string> Columns => ColumnList;

    public static IReadOnlyList<string> Write(QuotaPolicy p) =>
    [
        PolicyTypes.Name(p.Type), p.Identifier,
        p.MonthlyTokenLimit.ToString(CultureInfo.InvariantCulture), p.DailyTokenLimit.ToString(CultureInfo.InvariantCulture),
        p.MonthlyCostLimitUsd.ToString(CultureInfo.InvariantCulture), p.DailyCostLimitUsd.ToString(CultureInfo.InvariantCulture),
        p.WarnThresholdPercent.ToString(CultureInfo.InvariantCulture),
        PolicyTypes.Name(p.MonthlyEnforcement), PolicyTypes.Name(p.DailyEnforcement), p.Enabled ? "true" : "false",
    ];

    /// <summary>
    /// A policy from one row, or the errors that stop it. Absent or empty values take the defaults (no limit, warn
    /// at 80 %, monthly block, daily alert, enabled); unknown columns are errors, so a misspelt column is not silently
    /// dropped.
    /// </summary>
    public static (QuotaPolicy? Policy, IReadOnlyList<QuotaInputError> Errors) Read(IReadOnlyDictionary<string, string?> row)
    {
        var errors = new List<QuotaInputError>();
        foreach (var column in row.Keys.Where(k => !Columns.Contains(k)))
            errors.Add(new(column, $"unknown column (expected: {string.Join(", ", Columns)})"));
        string? Value(string column) => row.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var type = PolicyTypes.Parse(Value("type"));
        if (type is null) errors.Add(new("type", Value("type") is { } t ? $"'{t}' is not user, group or default" : "is required (user, group or default)"));
        string? identifier = null;
        if (type is { } known)
        {
            identifier = QuotaValues.NormalizeIdentifier(known, Value("identifier"), out var idError);
            if (idError is not null) errors.Add(new("identifier", idError));
        }

        long Tokens(string column)
        {
            if (Value(column) is not { } text) return 0;
            if (QuotaValues.TryParseTokens(text, out var tokens)) return tokens;
            errors.Add(new(column, $"'{text}' is not a token amount (a whole number, optionally with K, M or B: 500K, 1.5M)"));
            return 0;
        }
        decimal Cost(string column)
        {
            if (Value(column) is not { } text) return 0;
            if (QuotaValues.TryParseCost(text, out var usd)) return usd;
            errors.Add(new(column, $"'{text}' is not an amount of US dollars of 0 or more"));
            return 0;
        }
        EnforcementMode Mode(string column, EnforcementMode fallback)
        {
            if (Value(column) is not { } text) return fallback;
            if (PolicyTypes.ParseMode(text) is { } mode) return mode;
            errors.Add(new(column, $"'{text}' is not an enforcement mode: use 'alert' or 'block'"));
            return fallback;
        }

        var warn = 80;
        if (Value("warn_threshold_percent") is { } warnText && !int.TryParse(warnText, NumberStyles.None, CultureInfo.InvariantCulture, out warn))
            errors.Add(new("warn_threshold_percent", $"'{warnText}' is not a whole percentage (1-100)"));
        var enabled = true;
        if (Value("enabled") is { } enabledText && !QuotaValues.TryParseBool(enabledText, out enabled))
            errors.Add(new("enabled", $"'{enabledText}' is not true or false"));

        var policy = new QuotaPolicy
        {
            Type = type ?? PolicyType.Default,
            Identifier = identifier ?? "",
            MonthlyTokenLimit = Tokens("monthly_token_limit"),
            DailyTokenLimit = Tokens("daily_token_limit"),
            MonthlyCostLimitUsd = Cost("monthly_cost_limit_usd"),
            DailyCostLimitUsd = Cost("daily_cost_limit_usd"),
            WarnThresholdPercent = warn,
            MonthlyEnforcement = Mode("enforcement_mode", EnforcementMode.Block),
            DailyEnforcement = Mode("daily_enforcement_mode", EnforcementMode.Alert),
            Enabled = enabled,
        };
        if (errors.Count == 0) errors.AddRange(QuotaValues.Check(policy));
        // In column order (unknown columns first), whatever order the values were read in.
        return errors.Count == 0 ? (policy, errors) : (null, [.. errors.OrderBy(e => ColumnList.IndexOf(e.Field))]);
    }

    /// <summary>
    /// The default policy the quota stack's <c>DefaultPolicy</c> output describes (its parameters joined with commas:
    /// monthly tokens, daily tokens, monthly USD, daily USD, warn percent, monthly mode, daily mode), checked like a row.
    /// </summary>
    public static (QuotaPolicy? Policy, IReadOnlyList<QuotaInputError> Errors) ReadStackDefault(string output)
    {
        var values = output.Split(',');
        if (values.Length != 7) return (null, [new QuotaInputError("DefaultPolicy", $"'{output}' does not have the 7 values the quota stack writes")]);
        return Read(new Dictionary<string, string?>
        {
            ["type"] = "default",
            ["monthly_token_limit"] = values[0], ["daily_token_limit"] = values[1],
            ["monthly_cost_limit_usd"] = values[2], ["daily_cost_limit_usd"] = values[3],
            ["warn_threshold_percent"] = values[4], ["enforcement_mode"] = values[5], ["daily_enforcement_mode"] = values[6],
        });
    }
}
