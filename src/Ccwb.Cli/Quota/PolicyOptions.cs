using System.CommandLine;
using System.Globalization;
using Ccwb.Quota;

namespace Ccwb.Cli.Quota;

/// <summary>
/// The limit options of the set commands. Options not given keep the stored policy's values (or the defaults for a
/// new policy), so one limit can be changed without restating the others.
/// </summary>
internal sealed class PolicyOptions
{
    private readonly Option<string?> monthly = new("--monthly-limit") { Description = "Monthly tokens (500K, 10M, 1B; 0 for none)" };
    private readonly Option<string?> daily = new("--daily-limit") { Description = "Daily tokens (0 for none)" };
    private readonly Option<string?> monthlyCost = new("--monthly-cost-limit") { Description = "Monthly cost in US dollars (0 for none)" };
    private readonly Option<string?> dailyCost = new("--daily-cost-limit") { Description = "Daily cost in US dollars (0 for none)" };
    private readonly Option<string?> warn = new("--warn-percent") { Description = "Warn at this percentage of a limit (1-100, default 80)" };
    private readonly Option<string?> enforcement = new("--enforcement") { Description = "Monthly limits: alert or block (default block)" };
    private readonly Option<string?> dailyEnforcement = new("--daily-enforcement") { Description = "Daily limits: alert or block (default alert)" };
    private readonly Option<bool> disable = new("--disable") { Description = "Store the policy disabled (resolution skips it)" };
    private readonly Option<bool> enable = new("--enable") { Description = "Store the policy enabled (the default)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { monthly, daily, monthlyCost, dailyCost, warn, enforcement, dailyEnforcement, disable, enable })
            command.Options.Add(option);
    }

    /// <summary>The stored policy (or a new one) with the given options applied and checked; every bad value is reported.</summary>
    public QuotaPolicy Apply(ParseResult parse, QuotaPolicy basis)
    {
        var errors = new List<QuotaInputError>();
        long Tokens(Option<string?> option, long current)
        {
            if (parse.GetValue(option) is not { } text) return current;
            if (QuotaValues.TryParseTokens(text, out var tokens)) return tokens;
            errors.Add(new(option.Name, $"'{text}' is not a token amount (a whole number, optionally with K, M or B: 500K, 1.5M)"));
            return current;
        }
        decimal Cost(Option<string?> option, decimal current)
        {
            if (parse.GetValue(option) is not { } text) return current;
            if (QuotaValues.TryParseCost(text, out var usd)) return usd;
            errors.Add(new(option.Name, $"'{text}' is not an amount of US dollars of 0 or more"));
            return current;
        }
        EnforcementMode Mode(Option<string?> option, EnforcementMode current)
        {
            if (parse.GetValue(option) is not { } text) return current;
            if (PolicyTypes.ParseMode(text) is { } mode) return mode;
            errors.Add(new(option.Name, $"'{text}' is not an enforcement mode: use 'alert' or 'block'"));
            return current;
        }
        var warnPercent = basis.WarnThresholdPercent;
        if (parse.GetValue(warn) is { } warnText && !int.TryParse(warnText, NumberStyles.None, CultureInfo.InvariantCulture, out warnPercent))
            errors.Add(new(warn.Name, $"'{warnText}' is not a whole percentage (1-100)"));
        if (parse.GetValue(enable) && parse.GetValue(disable)) errors.Add(new("--enable", "cannot be combined with --disable"));

        var policy = basis with
        {
            MonthlyTokenLimit = Tokens(monthly, basis.MonthlyTokenLimit),
            DailyTokenLimit = Tokens(daily, basis.DailyTokenLimit),
            MonthlyCostLimitUsd = Cost(monthlyCost, basis.MonthlyCostLimitUsd),
            DailyCostLimitUsd = Cost(dailyCost, basis.DailyCostLimitUsd),
            WarnThresholdPercent = warnPercent,
            MonthlyEnforcement = Mode(enforcement, basis.MonthlyEnforcement),
            DailyEnforcement = Mode(dailyEnforcement, basis.DailyEnforcement),
            Enabled = parse.GetValue(disable) ? false : parse.GetValue(enable) || basis.Enabled,
        };
        if (errors.Count == 0)
            errors.AddRange(QuotaValues.Check(policy).Select(e => e with { Field = OptionFor(e.Field) }));
        if (errors.Count > 0) throw new QuotaInputErrors(errors);
        return policy;
    }

    private static string OptionFor(string field) => field switch
    {
        "monthly_token_limit" => "--monthly-limit",
        "daily_token_limit" => "--daily-limit",
        "monthly_cost_limit_usd" => "--monthly-cost-limit",
        "daily_cost_limit_usd" => "--daily-cost-limit",
        "warn_threshold_percent" => "--warn-percent",
        _ => field,
    };
}

/// <summary>Several bad inputs at once, each printed on its own error line.</summary>
internal sealed class QuotaInputErrors(IReadOnlyList<QuotaInputError> errors) : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<QuotaInputError> Errors { get; } = errors;
}
