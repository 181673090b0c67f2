using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ccwb.Testing.Peers;

/// <summary>
/// dynalite from npm (tests/peers/dynamodb-server.mjs): DynamoDB's JSON API on 127.0.0.1, in memory, one per test
/// class. Tables are made from a CloudFormation template's own AWS::DynamoDB::Table resources, so a key, index or
/// TTL attribute the code expects but the template lacks fails the tests.
/// </summary>
public sealed class DynamoPeer : IAsyncDisposable
{
    // dynalite checks that requests carry a SigV4-shaped Authorization header (as DynamoDB does), not the signature.
    public const string AccessKey = "AKIDQUOTATEST";
    public const string SecretKey = "quota-test-secret";
    public const string Region = "us-east-1";

    private readonly NodePeer node;
    private readonly HttpClient http = new();

    private DynamoPeer(NodePeer node) => this.node = node;

    public string Url => node.Url;

    /// <summary>The X-Amz-Target operation of every request served (e.g. <c>DynamoDB_20120810.PutItem</c>).</summary>
    public IReadOnlyList<string> Requests => node.Requests;

    /// <summary>Environment for a program that should use this peer through the AWS SDK's own settings.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = Region,
        ["AWS_ENDPOINT_URL_DYNAMODB"] = Url,
    };

    public static async Task<DynamoPeer> StartAsync() => new(await NodePeer.StartAsync("dynamodb-server.mjs", "dynalite"));

    /// <summary>
    /// Creates every AWS::DynamoDB::Table of a parsed template (CloudFormation's JSON form) as CloudFormation would:
    /// keys, attribute definitions, indexes and billing mode as declared, then the TTL specification. A table without
    /// a TableName gets <c>{stack}-{logical id}-{suffix}</c>, the shape of CloudFormation's generated names.
    /// Returns the table name per logical id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> CreateTablesFromTemplateAsync(JsonObject template, string stackName, string suffix = "TEST")
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (logicalId, resource) in (JsonObject)template["Resources"]!)
        {
            if (resource!["Type"]?.GetValue<string>() != "AWS::DynamoDB::Table") continue;
            var properties = (JsonObject)resource["Properties"]!;
            var name = properties["TableName"] switch
            {
                JsonValue literal => literal.GetValue<string>(),
                null => $"{stackName}-{logicalId}-{suffix}",
                _ => throw new NotSupportedException($"{logicalId}: TableName must be a literal or absent for these tests"),
            };
            var create = new JsonObject { ["TableName"] = name };
            foreach (var key in new[] { "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput" })
                if (properties[key] is { } value) create[key] = value.DeepClone();
            await CallAsync("CreateTable", create);
            if (properties["TimeToLiveSpecification"] is JsonObject ttl)
            {
                // A YAML template's scalars are text; CloudFormation converts them to the API's types, as done here.
                var spec = new JsonObject
                {
                    ["AttributeName"] = ttl["AttributeName"]?.DeepClone(),
                    ["Enabled"] = bool.Parse(ttl["Enabled"]?.ToString() ?? "false"),
                };
                await CallAsync("UpdateTimeToLive", new JsonObject { ["TableName"] = name, ["TimeToLiveSpecification"] = spec });
            }
            names[logicalId] = name;
        }
        return names;
    }

    /// <summary>One DynamoDB API call (JSON 1.0); throws with DynamoDB's error body on a non-200 answer.</summary>
    public async Task<JsonNode> CallAsync(string operation, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        var now = DateTime.UtcNow;
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        request.Headers.Add("X-Amz-Date", now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={AccessKey}/{now:yyyyMMdd}/{Region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"DynamoDB {operation} failed ({(int)response.StatusCode}): {text}");
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await node.DisposeAsync();
    }
}
