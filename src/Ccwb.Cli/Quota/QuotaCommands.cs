using System.CommandLine;
using System.Globalization;
using System.Text;
using Ccwb.Quota;

namespace Ccwb.Cli.Quota;

/// <summary>
/// <c>ccwb quota</c>: quota policies (user, group, default) and usage in the quota stack's DynamoDB tables. The
/// effective policy <c>show</c> prints comes from the same resolution the check function uses.
/// </summary>
internal static class QuotaCommands
{
    public static Command Create()
    {
        var quota = new Command("quota", "Manage quota policies and look at usage (the quota stack's DynamoDB tables).");
        quota.Subcommands.Add(SetCommand("set-user", "Create or change a user's policy.", PolicyType.User, "email", "The user's e-mail address"));
        quota.Subcommands.Add(SetCommand("set-group", "Create or change a group's policy (groups come from the id token).", PolicyType.Group, "group", "The group name"));
        quota.Subcommands.Add(SetCommand("set-default", "Create or change the default policy (users without a user or group policy).", PolicyType.Default, null, null));
        quota.Subcommands.Add(GenericSet());
        quota.Subcommands.Add(List());
        quota.Subcommands.Add(Show());
        quota.Subcommands.Add(Delete());
        quota.Subcommands.Add(Usage());
        quota.Subcommands.Add(Unblock());
        quota.Subcommands.Add(Export());
        quota.Subcommands.Add(Import());
        return quota;
    }

    /// <summary>Adds the table options and runs <paramref name="action"/> with the store, printing any failure as one error line.</summary>
    private static void Action(Command command, Func<ParseResult, QuotaStore, TextWriter, CancellationToken, Task<int>> action, Action<ParseResult>? check = null)
    {
        var target = new QuotaTarget();
        target.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = Console.Out;
            var error = Console.Error;
            QuotaStore? store = null;
            IDisposable? client = null;
            try
            {
                check?.Invoke(parse); // bad arguments are reported before any profile or table is touched
                (store, client) = target.Open(parse, output);
                return await action(parse, store, output, ct).ConfigureAwait(false);
            }
            catch (QuotaCommandException e)
            {
                return Findings.Fail(error, e.Subject, TerminalText.Clean(e.Message));
            }
            catch (QuotaInputErrors e)
            {
                foreach (var problem in e.Errors) Findings.Fail(error, problem.Field, TerminalText.Clean(problem.Message));
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Findings.Fail(error, "file", TerminalText.Clean(e.Message));
            }
            catch (Exception e) when (store is not null && e is not OperationCanceledException)
            {
                var explained = QuotaTarget.Explain(e, store);
                return Findings.Fail(error, explained.Subject, TerminalText.Clean(explained.Message));
            }
            finally
            {
                client?.Dispose();
            }
        });
    }

    private static Command SetCommand(string name, string description, PolicyType type, string? argumentName, string? argumentDescription)
    {
        var command = new Command(name, description);
        Argument<string>? identifier = null;
        if (argumentName is not null)
        {
            identifier = new Argument<string>(argumentName) { Description = argumentDescription };
            command.Arguments.Add(identifier);
        }
        var limits = new PolicyOptions();
        limits.AddTo(command);
        Action(command, (parse, store, output, ct) => SaveAsync(parse, store, output, limits, type, identifier is null ? null : parse.GetValue(identifier), ct),
            parse => CheckSet(parse, limits, type, identifier is null ? null : parse.GetValue(identifier)));
        return command;
    }

    private static Command GenericSet()
    {
        var command = new Command("set", "Create or change a policy of any type.");
        var type = new Option<string>("--type") { Description = "user, group or default", Required = true };
        var identifier = new Option<string?>("--identifier") { Description = "E-mail address (user) or group name (group); none for default" };
        command.Options.Add(type);
        command.Options.Add(identifier);
        var limits = new PolicyOptions();
        limits.AddTo(command);
        Action(command, (parse, store, output, ct) => SaveAsync(parse, store, output, limits, TypeOf(parse.GetValue(type)), parse.GetValue(identifier), ct),
            parse => CheckSet(parse, limits, TypeOf(parse.GetValue(type)), parse.GetValue(identifier)));
        return command;
    }

    /// <summary>Every problem of the identifier and the limits at once, before the table is read.</summary>
    private static void CheckSet(ParseResult parse, PolicyOptions limits, PolicyType type, string? identifierText)
    {
        var errors = new List<QuotaInputError>();
        if (QuotaValues.NormalizeIdentifier(type, identifierText, out var idError) is null)
            errors.Add(new(type == PolicyType.User ? "email" : type == PolicyType.Group ? "group" : "identifier", idError!));
        try
        {
            limits.Apply(parse, new QuotaPolicy { Type = type, Identifier = "" });
        }
        catch (QuotaInputErrors e)
        {
            errors.AddRange(e.Errors);
        }
        if (errors.Count > 0) throw new QuotaInputErrors(errors);
    }

    private static async Task<int> SaveAsync(ParseResult parse, QuotaStore store, TextWriter output, PolicyOptions limits, PolicyType type, string? identifierText, CancellationToken ct)
    {
        var identifier = Identifier(type, identifierText);
        var now = DateTimeOffset.UtcNow;
        var existing = await store.GetPolicyAsync(type, identifier, ct).ConfigureAwait(false);
        var basis = existing ?? new QuotaPolicy { Type = type, Identifier = identifier, CreatedAt = now, CreatedBy = Environment.UserName };
        var policy = limits.Apply(parse, basis) with { UpdatedAt = now };
        await store.PutPolicyAsync(policy, ct).ConfigureAwait(false);
        output.WriteLine($"{(existing is null ? "Created" : "Updated")} {policy.Key}: {Describe(policy)}");
        return 0;
    }

    private static Command List()
    {
        var command = new Command("list", "List policies.");
        var type = new Option<string?>("--type") { Description = "Only this type: user, group or default" };
        var json = new Option<bool>("--json") { Description = "Print JSON (the export format)" };
        command.Options.Add(type);
        command.Options.Add(json);
        Action(command, async (parse, store, output, ct) =>
        {
            var policies = await store.ListPoliciesAsync(parse.GetValue(type) is { } t ? TypeOf(t) : null, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                output.Write(PolicyFiles.WriteJson(policies));
                return 0;
            }
            if (policies.Count == 0)
            {
                output.WriteLine("No policies. Without one, usage is unlimited; add a default with 'ccwb quota set-default --monthly-limit 10M'.");
                return 0;
            }
            output.Write(Table(["POLICY", "MONTHLY", "DAILY", "MONTHLY $", "DAILY $", "WARN", "MODE", "DAILY MODE", "ENABLED"],
                policies.Select(p => new[]
                {
                    TerminalText.Clean(p.Key), Column(p.MonthlyTokenLimit), Column(p.DailyTokenLimit), Cost(p.MonthlyCostLimitUsd), Cost(p.DailyCostLimitUsd),
                    $"{p.WarnThresholdPercent}%", PolicyTypes.Name(p.MonthlyEnforcement), PolicyTypes.Name(p.DailyEnforcement), p.Enabled ? "yes" : "no",
                })));
            return 0;
        }, parse => { if (parse.GetValue(type) is { } t) TypeOf(t); });
        return command;
    }

    private static Command Show()
    {
        var command = new Command("show", "Show the policy that applies to a user, with this month's and today's usage and the check's answer.");
        var user = new Argument<string>("email") { Description = "The user's e-mail address" };
        var groups = new Option<string?>("--groups") { Description = "The user's groups, comma-separated (as the id token lists them)" };
        command.Arguments.Add(user);
        command.Options.Add(groups);
        Action(command, async (parse, store, output, ct) =>
        {
            var email = Identifier(PolicyType.User, parse.GetValue(user));
            var groupList = GroupsOf(parse.GetValue(groups));
            var now = DateTimeOffset.UtcNow;
            var candidates = await store.CandidatesAsync(email, groupList, ct).ConfigureAwait(false);
            var policy = PolicyResolution.Resolve(candidates);
            var month = await store.GetUsageAsync(email, UsagePeriod.Month, UsageRecord.MonthKey(now), ct).ConfigureAwait(false);
            var day = await store.GetUsageAsync(email, UsagePeriod.Day, UsageRecord.DayKey(now), ct).ConfigureAwait(false);
            var unblock = await store.GetActiveUnblockAsync(email, now, ct).ConfigureAwait(false);
            var decision = QuotaDecision.Evaluate(policy, month, day, unblock, now);

            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"User:     {email}\n");
            text.Append(CultureInfo.InvariantCulture, $"Groups:   {(groupList.Count == 0 ? "none" : TerminalText.Clean(string.Join(", ", groupList)))}\n");
            text.Append(CultureInfo.InvariantCulture, $"Policy:   {(policy is null ? "none (usage is unlimited)" : TerminalText.Clean(policy.Key) + " (" + WhyChosen(policy, candidates) + ")")}\n");
            foreach (var skipped in Skipped(candidates)) text.Append(CultureInfo.InvariantCulture, $"Skipped:  {TerminalText.Clean(skipped.Key)} (disabled)\n");
            if (policy is not null) text.Append(CultureInfo.InvariantCulture, $"Limits:   {Describe(policy)}\n");
            text.Append(CultureInfo.InvariantCulture, $"Usage:    {QuotaValues.Tokens(decision.MonthlyTokens)} tokens (${QuotaValues.Usd(decision.MonthlyCostUsd)}) in {UsageRecord.MonthKey(now)}, " +
                                                    $"{QuotaValues.Tokens(decision.DailyTokens)} tokens (${QuotaValues.Usd(decision.DailyCostUsd)}) today\n");
            if (unblock is not null) text.Append(CultureInfo.InvariantCulture, $"Unblock:  until {Utc(unblock.ExpiresAt)}{(unblock.Reason is { } r ? " (" + TerminalText.Clean(r) + ")" : "")}\n");
            text.Append(CultureInfo.InvariantCulture, $"Check:    {(decision.Allowed ? "allowed" : "BLOCKED")} ({decision.Reason}{(decision.Warning && decision.Allowed ? ", warning" : "")}): {decision.Message}\n");
            output.Write(text.ToString());
            return 0;
        }, parse =>
        {
            Identifier(PolicyType.User, parse.GetValue(user));
            GroupsOf(parse.GetValue(groups));
        });
        return command;
    }

    private static Command Delete()
    {
        var command = new Command("delete", "Delete a policy: 'delete user EMAIL', 'delete group NAME' or 'delete default'.");
        var type = new Argument<string>("type") { Description = "user, group or default" };
        var identifier = new Argument<string?>("identifier") { Description = "E-mail address or group name", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(type);
        command.Arguments.Add(identifier);
        Action(command, async (parse, store, output, ct) =>
        {
            var policyType = TypeOf(parse.GetValue(type));
            var id = Identifier(policyType, parse.GetValue(identifier));
            var key = $"{PolicyTypes.Name(policyType)}:{id}";
            if (!await store.DeletePolicyAsync(policyType, id, ct).ConfigureAwait(false))
                throw new QuotaCommandException(key, "no such policy");
            output.WriteLine($"Deleted {key}.");
            return 0;
        }, parse => Identifier(TypeOf(parse.GetValue(type)), parse.GetValue(identifier)));
        return command;
    }

    private static Command Usage()
    {
        var command = new Command("usage", "Show token usage and cost: one user's month and day, or every user's month.");
        var user = new Argument<string?>("email") { Description = "Only this user", Arity = ArgumentArity.ZeroOrOne };
        var month = new Option<string?>("--month") { Description = "Month as yyyy-MM (default: this month, UTC)" };
        command.Arguments.Add(user);
        command.Options.Add(month);
        Action(command, async (parse, store, output, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var monthKey = MonthOf(parse.GetValue(month)) ?? UsageRecord.MonthKey(now);
            var records = new List<UsageRecord>();
            if (parse.GetValue(user) is { } text)
            {
                var email = Identifier(PolicyType.User, text);
                if (await store.GetUsageAsync(email, UsagePeriod.Month, monthKey, ct).ConfigureAwait(false) is { } m) records.Add(m);
                if (monthKey == UsageRecord.MonthKey(now) && await store.GetUsageAsync(email, UsagePeriod.Day, UsageRecord.DayKey(now), ct).ConfigureAwait(false) is { } d)
                    records.Add(d);
            }
            else
            {
                records.AddRange(await store.ListUsageAsync(UsagePeriod.Month, monthKey, ct).ConfigureAwait(false));
            }
            if (records.Count == 0)
            {
                output.WriteLine($"No usage recorded for {monthKey}.");
                return 0;
            }
            output.Write(Table(["USER", "PERIOD", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "TOTAL", "COST $"],
                records.Select(r => new[]
                {
                    TerminalText.Clean(r.User), r.PeriodKey, QuotaValues.Tokens(r.InputTokens), QuotaValues.Tokens(r.OutputTokens),
                    QuotaValues.Tokens(r.CacheReadTokens), QuotaValues.Tokens(r.CacheWriteTokens), QuotaValues.Tokens(r.TotalTokens), QuotaValues.Usd(r.CostUsd),
                })));
            return 0;
        }, parse =>
        {
            if (parse.GetValue(user) is { } text) Identifier(PolicyType.User, text);
            MonthOf(parse.GetValue(month));
        });
        return command;
    }

    private static Command Unblock()
    {
        var command = new Command("unblock", "Let a blocked user through until a time (the block returns after it unless usage drops or the period resets).");
        var user = new Argument<string>("email") { Description = "The user's e-mail address" };
        var duration = new Option<string?>("--duration") { Description = "How long: Nh (up to 168h), Nd (up to 7d) or until-reset (next month); default 24h" };
        var until = new Option<string?>("--until") { Description = "Until this time (ISO 8601, e.g. 2026-12-24T18:00Z), at most 7 days ahead" };
        var reason = new Option<string?>("--reason") { Description = "Why, kept with the unblock" };
        command.Arguments.Add(user);
        command.Options.Add(duration);
        command.Options.Add(until);
        command.Options.Add(reason);
        DateTimeOffset ExpiryOf(ParseResult parse, DateTimeOffset now)
        {
            var durationText = parse.GetValue(duration);
            var untilText = parse.GetValue(until);
            if (durationText is not null && untilText is not null) throw new QuotaCommandException("--until", "cannot be combined with --duration");
            if (untilText is not null)
            {
                if (!DateTimeOffset.TryParse(untilText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                    throw new QuotaCommandException("--until", $"'{untilText}' is not a date and time (ISO 8601, e.g. 2026-12-24T18:00Z)");
                if (at <= now) throw new QuotaCommandException("--until", $"{Utc(at)} is not in the future");
                if (at > now.AddDays(7)) throw new QuotaCommandException("--until", $"{Utc(at)} is more than 7 days ahead; unblock again later if needed");
                return at;
            }
            return QuotaValues.TryParseUnblockDuration(durationText ?? "24h", now, out var expiry) ? expiry
                : throw new QuotaCommandException("--duration", $"'{durationText}' is not a duration: use Nh (up to 168h), Nd (up to 7d) or until-reset");
        }
        Action(command, async (parse, store, output, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var email = Identifier(PolicyType.User, parse.GetValue(user));
            var record = new UnblockRecord { User = email, ExpiresAt = ExpiryOf(parse, now), CreatedAt = now, CreatedBy = Environment.UserName, Reason = parse.GetValue(reason) };
            await store.PutUnblockAsync(record, ct).ConfigureAwait(false);
            output.WriteLine($"Unblocked {email} until {Utc(record.ExpiresAt)}.");
            return 0;
        }, parse =>
        {
            Identifier(PolicyType.User, parse.GetValue(user));
            ExpiryOf(parse, DateTimeOffset.UtcNow);
        });
        return command;
    }

    private static Command Export()
    {
        var command = new Command("export", "Write every policy as CSV or JSON (the import format).");
        var format = new Option<string?>("--format") { Description = "csv or json (default: from --output's extension, else json)" };
        var file = new Option<FileInfo?>("--output", "-o") { Description = "File to write (default: standard output)" };
        command.Options.Add(format);
        command.Options.Add(file);
        Action(command, async (parse, store, output, ct) =>
        {
            var path = parse.GetValue(file)?.FullName;
            var chosen = path is null ? PolicyFiles.FormatOf("-.json", parse.GetValue(format)) : PolicyFiles.FormatOf(path, parse.GetValue(format));
            var policies = await store.ListPoliciesAsync(ct: ct).ConfigureAwait(false);
            var text = chosen == "csv" ? PolicyFiles.WriteCsv(policies) : PolicyFiles.WriteJson(policies);
            if (path is null)
            {
                output.Write(text);
                return 0;
            }
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, text, ct).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            output.WriteLine($"Exported {policies.Count} policies to {path}.");
            return 0;
        }, parse =>
        {
            if (parse.GetValue(format) is { } f) PolicyFiles.FormatOf("-", f);
        });
        return command;
    }

    private static Command Import()
    {
        var command = new Command("import", "Create or replace policies from a CSV or JSON file. Every row is checked first; if any is bad nothing is written.");
        var file = new Argument<FileInfo>("file") { Description = "CSV (header row of column names) or JSON file, as export writes" };
        var format = new Option<string?>("--format") { Description = "csv or json (default: from the file's extension)" };
        command.Arguments.Add(file);
        command.Options.Add(format);
        IReadOnlyList<QuotaPolicy> ReadChecked(ParseResult parse)
        {
            var path = parse.GetValue(file)!.FullName;
            if (!File.Exists(path)) throw new QuotaCommandException(Path.GetFileName(path), "file not found");
            var (policies, problems) = PolicyFiles.Read(path, PolicyFiles.FormatOf(path, parse.GetValue(format)));
            if (problems.Count == 0) return policies;
            var rows = problems.Select(p => p.Where).Distinct().Count();
            throw new QuotaInputErrors([.. problems.Select(p => new QuotaInputError($"{p.Where}: {p.Field}", p.Message)),
                new QuotaInputError("import", $"nothing was imported: {rows} {(rows == 1 ? "entry has" : "entries have")} errors")]);
        }
        Action(command, async (parse, store, output, ct) =>
        {
            var policies = ReadChecked(parse);
            var now = DateTimeOffset.UtcNow;
            var stamped = policies.Select(p => p with { CreatedAt = now, UpdatedAt = now, CreatedBy = Environment.UserName }).ToList();
            await store.PutPoliciesAsync(stamped, ct).ConfigureAwait(false);
            output.WriteLine($"Imported {stamped.Count} policies ({stamped.Count(p => p.Type == PolicyType.User)} user, " +
                             $"{stamped.Count(p => p.Type == PolicyType.Group)} group, {stamped.Count(p => p.Type == PolicyType.Default)} default).");
            return 0;
        }, parse => ReadChecked(parse));
        return command;
    }

    private static PolicyType TypeOf(string? text) =>
        PolicyTypes.Parse(text) ?? throw new QuotaCommandException("type", $"'{text}' is not a policy type: use user, group or default");

    private static string Identifier(PolicyType type, string? text) =>
        QuotaValues.NormalizeIdentifier(type, text, out var error) ?? throw new QuotaCommandException(type == PolicyType.User ? "email" : type == PolicyType.Group ? "group" : "identifier", error!);

    private static List<string> GroupsOf(string? text)
    {
        var groups = new List<string>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            groups.Add(QuotaValues.NormalizeGroup(part, out var error) ?? throw new QuotaCommandException("--groups", error!));
        return groups;
    }

    private static string? MonthOf(string? text)
    {
        if (text is null) return null;
        return DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? text
            : throw new QuotaCommandException("--month", $"'{text}' is not a month as yyyy-MM");
    }

    private static string WhyChosen(QuotaPolicy policy, PolicyCandidates candidates) => policy.Type switch
    {
        PolicyType.User => "the user's own policy",
        PolicyType.Group when candidates.Groups.Count(g => g.Enabled) > 1 =>
            $"the most restrictive of {candidates.Groups.Count(g => g.Enabled)} enabled group policies: lowest monthly token limit",
        PolicyType.Group => "the policy of the user's group",
        _ => "no enabled user or group policy applies",
    };

    private static IEnumerable<QuotaPolicy> Skipped(PolicyCandidates candidates) =>
        new[] { candidates.User }.Concat(candidates.Groups).Append(candidates.Default).OfType<QuotaPolicy>().Where(p => !p.Enabled);

    public static string Describe(QuotaPolicy p) =>
        $"monthly {Limit(p.MonthlyTokenLimit)}{(p.MonthlyCostLimitUsd > 0 ? $" / ${QuotaValues.Usd(p.MonthlyCostLimitUsd)}" : "")} ({PolicyTypes.Name(p.MonthlyEnforcement)}), " +
        $"daily {Limit(p.DailyTokenLimit)}{(p.DailyCostLimitUsd > 0 ? $" / ${QuotaValues.Usd(p.DailyCostLimitUsd)}" : "")} ({PolicyTypes.Name(p.DailyEnforcement)}), " +
        $"warn at {p.WarnThresholdPercent}%{(p.Enabled ? "" : ", DISABLED")}";

    private static string Limit(long tokens) => tokens > 0 ? QuotaValues.Tokens(tokens) + " tokens" : "unlimited";

    private static string Column(long tokens) => tokens > 0 ? QuotaValues.Tokens(tokens) : "unlimited";

    private static string Cost(decimal usd) => usd > 0 ? QuotaValues.Usd(usd) : "-";

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all) text.Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        return text.ToString();
    }
}
