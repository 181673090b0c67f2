using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ccwb.CloudFormation.Tests.Iam;

/// <summary>
/// IAM's evaluation of one identity policy (or trust policy) for one request: an explicit Deny wins, else any Allow
/// whose Action, Resource, Principal and every Condition match, else the implicit deny. Supports what these
/// templates use: Action/NotAction and Resource wildcards (<c>*</c>, <c>?</c>), StringEquals, StringNotEquals,
/// StringLike, Bool and ForAnyValue:StringLike, multi-valued condition values (any of them).
/// </summary>
internal static class PolicyEvaluator
{
    public sealed record Request(
        string Action,
        string Resource = "*",
        IReadOnlyDictionary<string, string>? Context = null,
        string? FederatedPrincipal = null);

    public static bool IsAllowed(JsonNode policy, Request request)
    {
        var statements = policy["Statement"] switch
        {
            JsonArray a => a.Select(s => s!.AsObject()).ToList(),
            JsonObject o => [o],
            _ => throw new InvalidOperationException("policy has no Statement"),
        };
        var matching = statements.Where(s => Matches(s, request)).ToList();
        if (matching.Any(s => s["Effect"]!.GetValue<string>() == "Deny")) return false;
        return matching.Any(s => s["Effect"]!.GetValue<string>() == "Allow");
    }

    private static bool Matches(JsonObject statement, Request request)
    {
        if (statement["Action"] is { } actions && !Values(actions).Any(a => Wildcard(a, request.Action, ignoreCase: true))) return false;
        if (statement["NotAction"] is { } notActions && Values(notActions).Any(a => Wildcard(a, request.Action, ignoreCase: true))) return false;
        if (statement["Resource"] is { } resources && !Values(resources).Any(r => Wildcard(r, request.Resource, ignoreCase: false))) return false;
        if (statement["Principal"] is JsonObject principal &&
            (principal["Federated"] is not { } federated || request.FederatedPrincipal is null ||
             !Values(federated).Contains(request.FederatedPrincipal, StringComparer.Ordinal)))
            return false;
        return statement["Condition"] is not JsonObject conditions || conditions.All(c => ConditionHolds(c.Key, c.Value!.AsObject(), request));
    }

    private static bool ConditionHolds(string op, JsonObject keys, Request request)
    {
        foreach (var (key, expected) in keys)
        {
            var wanted = Values(expected!);
            string? actual = null;
            request.Context?.TryGetValue(key, out actual);
            var holds = op switch
            {
                "StringEquals" => actual is not null && wanted.Contains(actual, StringComparer.Ordinal),
                "StringNotEquals" => actual is null || !wanted.Contains(actual, StringComparer.Ordinal),
                "StringLike" or "ForAnyValue:StringLike" => actual is not null && wanted.Any(w => Wildcard(w, actual, ignoreCase: false)),
                "Bool" => actual is not null && wanted.Contains(actual, StringComparer.OrdinalIgnoreCase),
                _ => throw new InvalidOperationException($"condition operator {op} is not modelled"),
            };
            if (!holds) return false;
        }
        return true;
    }

    private static List<string> Values(JsonNode node) => node switch
    {
        JsonArray a => [.. a.Select(v => v!.GetValue<string>())],
        _ => [node.GetValue<string>()],
    };

    private static readonly ConcurrentDictionary<(string, bool), Regex> Patterns = new();

    private static bool Wildcard(string pattern, string value, bool ignoreCase) =>
        Patterns.GetOrAdd((pattern, ignoreCase), key => new Regex(
            "^" + Regex.Escape(key.Item1).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            (key.Item2 ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant)).IsMatch(value);
}
