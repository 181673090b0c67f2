using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Ccwb.Testing;

namespace Ccwb.Functions.Tests.Peers;

/// <summary>dynalite (DynamoDB from npm, in memory) on 127.0.0.1 with the quota service's two tables.</summary>
public sealed class DynamoDbPeer : IAsyncDisposable
{
    public const string PoliciesTable = "QuotaPolicies";
    public const string QuotaTable = "UserQuotaMetrics";
    private readonly Process process;

    private DynamoDbPeer(Process process, string endpoint)
    {
        this.process = process;
        Endpoint = endpoint;
        Client = new AmazonDynamoDBClient(new BasicAWSCredentials("AKIDTEST", "test-secret"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
    }

    public string Endpoint { get; }
    public IAmazonDynamoDB Client { get; }

    public static async Task<DynamoDbPeer> StartAsync()
    {
        if (!Directory.Exists(Repo.PathOf("tests", "peers", "node_modules", "dynalite")))
            throw new InvalidOperationException("npm peers missing: run `npm ci` in tests/peers (build/install-prerequisites.sh does it).");
        const string script = """
            const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
            server.listen(0, '127.0.0.1', () => console.log('READY http://127.0.0.1:' + server.address().port));
            process.on('SIGTERM', () => server.close(() => process.exit(0)));
            """;
        var process = Process.Start(new ProcessStartInfo("node", ["-e", script])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Repo.PathOf("tests", "peers"),
        })!;
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("READY ", StringComparison.Ordinal) == true) ready.TrySetResult(e.Data[6..]); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(30))) != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("dynalite did not start: " + string.Join('\n', errors));
        }
        var peer = new DynamoDbPeer(process, await ready.Task);
        await peer.CreateTablesAsync();
        return peer;
    }

    // The key schema of the quota stack's tables: string pk / sk on both.
    private async Task CreateTablesAsync()
    {
        foreach (var table in (string[])[PoliciesTable, QuotaTable])
            await Client.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S)],
                KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            });
    }

    public Task PutAsync(string table, Dictionary<string, AttributeValue> item) =>
        Client.PutItemAsync(new PutItemRequest { TableName = table, Item = item });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
