using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Ccwb.Quota;

/// <summary>The two quota tables in DynamoDB, through the SDK's low-level client (AOT-safe; the object-persistence
/// layers reflect over types).</summary>
public sealed class QuotaStore(IAmazonDynamoDB client, string policiesTable, string usageTable)
{
    // BatchGetItem takes at most 100 keys, BatchWriteItem at most 25 requests.
    private const int MaxBatchGet = 100;
    private const int MaxBatchWrite = 25;

    public string PoliciesTable { get; } = policiesTable;
    public string UsageTable { get; } = usageTable;

    public async Task PutPolicyAsync(QuotaPolicy policy, CancellationToken ct = default) =>
        await client.PutItemAsync(new PutItemRequest { TableName = PoliciesTable, Item = QuotaItems.ToItem(policy) }, ct).ConfigureAwait(false);

    /// <summary>Writes the policy only if none is stored under its key (seeding a default after deploy); false when one was.</summary>
    public async Task<bool> PutPolicyIfAbsentAsync(QuotaPolicy policy, CancellationToken ct = default)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = PoliciesTable, Item = QuotaItems.ToItem(policy),
                ConditionExpression = "attribute_not_exists(#pk)",
                ExpressionAttributeNames = new() { ["#pk"] = QuotaSchema.PartitionKey },
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<QuotaPolicy?> GetPolicyAsync(PolicyType type, string identifier, CancellationToken ct = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = PoliciesTable, Key = QuotaItems.PolicyKey(type, identifier), ConsistentRead = true,
        }, ct).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? QuotaItems.ToPolicy(item) : null;
    }

    /// <summary>Deletes a policy; false when there was none.</summary>
    public async Task<bool> DeletePolicyAsync(PolicyType type, string identifier, CancellationToken ct = default)
    {
        var response = await client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = PoliciesTable, Key = QuotaItems.PolicyKey(type, identifier), ReturnValues = ReturnValue.ALL_OLD,
        }, ct).ConfigureAwait(false);
        return response.Attributes is { Count: > 0 };
    }

    /// <summary>Policies of one type (or all), ordered by type then identifier, read through the type index.</summary>
    public async Task<IReadOnlyList<QuotaPolicy>> ListPoliciesAsync(PolicyType? type = null, CancellationToken ct = default)
    {
        var policies = new List<QuotaPolicy>();
        foreach (var t in type is { } only ? [only] : new[] { PolicyType.User, PolicyType.Group, PolicyType.Default })
        {
            var request = new QueryRequest
            {
                TableName = PoliciesTable,
                IndexName = QuotaSchema.Policies.TypeIndex,
                KeyConditionExpression = "#t = :t",
                ExpressionAttributeNames = new() { ["#t"] = QuotaSchema.Policies.TypeAttribute },
                ExpressionAttributeValues = new() { [":t"] = QuotaItems.S(PolicyTypes.Name(t)) },
            };
            do
            {
                var page = await client.QueryAsync(request, ct).ConfigureAwait(false);
                policies.AddRange((page.Items ?? []).Select(QuotaItems.ToPolicy));
                request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            } while (request.ExclusiveStartKey is not null);
        }
        return [.. policies.OrderBy(p => p.Type).ThenBy(p => p.Identifier, StringComparer.Ordinal)];
    }

    /// <summary>Writes many policies (already checked: a batch cannot be undone half-way).</summary>
    public async Task PutPoliciesAsync(IReadOnlyList<QuotaPolicy> policies, CancellationToken ct = default)
    {
        foreach (var chunk in policies.Chunk(MaxBatchWrite))
        {
            var pending = chunk.Select(p => new WriteRequest { PutRequest = new PutRequest { Item = QuotaItems.ToItem(p) } }).ToList();
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [PoliciesTable] = pending } }, ct).ConfigureAwait(false);
                pending = response.UnprocessedItems?.GetValueOrDefault(PoliciesTable) ?? [];
                if (pending.Count > 0) await Backoff(attempt, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The user's, the groups' and the default policy, read in batches. The user is matched as
    /// <see cref="QuotaSchema.UserKey"/> stores it; group names exactly.
    /// </summary>
    public async Task<PolicyCandidates> CandidatesAsync(string user, IEnumerable<string> groups, CancellationToken ct = default)
    {
        var keys = new List<(PolicyType Type, string Id)> { (PolicyType.User, QuotaSchema.UserKey(user)), (PolicyType.Default, PolicyTypes.DefaultIdentifier) };
        keys.AddRange(groups.Select(g => g.Trim()).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).Select(g => (PolicyType.Group, g)));
        var found = new List<QuotaPolicy>();
        foreach (var chunk in keys.Chunk(MaxBatchGet))
        {
            var pending = new KeysAndAttributes { Keys = [.. chunk.Select(k => QuotaItems.PolicyKey(k.Type, k.Id))], ConsistentRead = true };
            for (var attempt = 0; pending?.Keys is { Count: > 0 }; attempt++)
            {
                var response = await client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new() { [PoliciesTable] = pending } }, ct).ConfigureAwait(false);
                found.AddRange((response.Responses?.GetValueOrDefault(PoliciesTable) ?? []).Select(QuotaItems.ToPolicy));
                pending = response.UnprocessedKeys?.GetValueOrDefault(PoliciesTable);
                if (pending?.Keys is { Count: > 0 }) await Backoff(attempt, ct).ConfigureAwait(false);
            }
        }
        return new PolicyCandidates(
            found.FirstOrDefault(p => p.Type == PolicyType.User),
            [.. found.Where(p => p.Type == PolicyType.Group)],
            found.FirstOrDefault(p => p.Type == PolicyType.Default));
    }

    /// <summary>The user's effective policy by <see cref="PolicyResolution"/>, or null (unlimited).</summary>
    public async Task<QuotaPolicy?> ResolveAsync(string user, IEnumerable<string> groups, CancellationToken ct = default) =>
        PolicyResolution.Resolve(await CandidatesAsync(user, groups, ct).ConfigureAwait(false));

    public async Task PutUsageAsync(UsageRecord usage, CancellationToken ct = default) =>
        await client.PutItemAsync(new PutItemRequest { TableName = UsageTable, Item = QuotaItems.ToItem(usage) }, ct).ConfigureAwait(false);

    public async Task<UsageRecord?> GetUsageAsync(string user, UsagePeriod period, string periodKey, CancellationToken ct = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = UsageTable,
            Key = new()
            {
                [QuotaSchema.PartitionKey] = QuotaItems.S(QuotaSchema.Usage.PartitionKeyFor(user)),
                [QuotaSchema.SortKey] = QuotaItems.S(UsageRecord.SortKeyFor(period, periodKey)),
            },
        }, ct).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? QuotaItems.ToUsage(item) : null;
    }

    /// <summary>Every user's usage in one month or day, through the period index, ordered by user.</summary>
    public async Task<IReadOnlyList<UsageRecord>> ListUsageAsync(UsagePeriod period, string periodKey, CancellationToken ct = default)
    {
        var request = new QueryRequest
        {
            TableName = UsageTable,
            IndexName = QuotaSchema.Usage.PeriodIndex,
            KeyConditionExpression = "#sk = :sk",
            ExpressionAttributeNames = new() { ["#sk"] = QuotaSchema.SortKey },
            ExpressionAttributeValues = new() { [":sk"] = QuotaItems.S(UsageRecord.SortKeyFor(period, periodKey)) },
        };
        var usage = new List<UsageRecord>();
        do
        {
            var page = await client.QueryAsync(request, ct).ConfigureAwait(false);
            usage.AddRange((page.Items ?? []).Select(QuotaItems.ToUsage));
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (request.ExclusiveStartKey is not null);
        return [.. usage.OrderBy(u => u.User, StringComparer.Ordinal)];
    }

    public async Task PutUnblockAsync(UnblockRecord unblock, CancellationToken ct = default) =>
        await client.PutItemAsync(new PutItemRequest { TableName = UsageTable, Item = QuotaItems.ToItem(unblock) }, ct).ConfigureAwait(false);

    /// <summary>The user's unblock if it is still active at <paramref name="now"/>; an expired one is ignored even while TTL has not yet deleted it.</summary>
    public async Task<UnblockRecord?> GetActiveUnblockAsync(string user, DateTimeOffset now, CancellationToken ct = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = UsageTable, Key = QuotaItems.UnblockKey(user), ConsistentRead = true }, ct).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item && QuotaItems.ToUnblock(item) is { } unblock && unblock.IsActive(now) ? unblock : null;
    }

    /// <summary>Everything the check needs for one user, decided.</summary>
    public async Task<QuotaDecision> CheckAsync(string user, IEnumerable<string> groups, DateTimeOffset now, CancellationToken ct = default)
    {
        var policy = await ResolveAsync(user, groups, ct).ConfigureAwait(false);
        if (policy is null) return QuotaDecision.Evaluate(null, null, null, null, now);
        var month = await GetUsageAsync(user, UsagePeriod.Month, UsageRecord.MonthKey(now), ct).ConfigureAwait(false);
        var day = await GetUsageAsync(user, UsagePeriod.Day, UsageRecord.DayKey(now), ct).ConfigureAwait(false);
        var unblock = await GetActiveUnblockAsync(user, now, ct).ConfigureAwait(false);
        return QuotaDecision.Evaluate(policy, month, day, unblock, now);
    }

    private static Task Backoff(int attempt, CancellationToken ct) => Task.Delay(TimeSpan.FromMilliseconds(50 * Math.Pow(2, Math.Min(attempt, 6))), ct);
}
