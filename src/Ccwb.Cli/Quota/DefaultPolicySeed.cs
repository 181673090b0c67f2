using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Ccwb.Quota;

namespace Ccwb.Cli.Quota;

/// <summary>A failed seed: the stacks are deployed, the default policy is not written.</summary>
internal sealed class SeedException(string message) : Exception(message);

/// <summary>
/// After the quota stack deploys, writes its DefaultPolicy output as the organisation's default policy unless one
/// exists: a default changed later with <c>ccwb quota set-default</c> is never overwritten by a redeploy.
/// </summary>
internal static class DefaultPolicySeed
{
    public const string Output = "DefaultPolicy";

    /// <returns>True when the policy was written, false when a default policy already existed.</returns>
    public static async Task<bool> SeedAsync(IAmazonDynamoDB client, IReadOnlyDictionary<string, string> quotaOutputs, CancellationToken ct)
    {
        string Required(string name) => quotaOutputs.GetValueOrDefault(name) is { Length: > 0 } value
            ? value : throw new SeedException($"the quota stack has no {name} output; redeploy it with this version of ccwb");
        var (policy, errors) = PolicyRows.ReadStackDefault(Required(Output));
        if (policy is null) throw new SeedException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        var store = new QuotaStore(client, Required(QuotaSchema.Policies.TableNameOutput), Required(QuotaSchema.Usage.TableNameOutput));
        try
        {
            return await store.PutPolicyIfAbsentAsync(policy, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new SeedException($"DynamoDB refused it ({e.ErrorCode ?? e.StatusCode.ToString()}): {e.Message}");
        }
        catch (AmazonClientException e)
        {
            throw new SeedException($"could not reach DynamoDB: {e.Message}");
        }
    }

    /// <summary>A client for the profile's region, or for <paramref name="endpointUrl"/> when given.</summary>
    public static AmazonDynamoDBClient Client(string region, string? endpointUrl)
    {
        var config = new AmazonDynamoDBConfig { MaxErrorRetry = 2, Timeout = TimeSpan.FromSeconds(30) };
        if (endpointUrl is null) config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        else
        {
            config.ServiceURL = endpointUrl;
            config.AuthenticationRegion = region;
        }
        return new AmazonDynamoDBClient(config);
    }
}
