using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Ccwb.CloudFormation.Templates;
using Ccwb.Quota;
using Ccwb.Testing.Peers;

namespace Ccwb.Cli.Tests.Support;

/// <summary>One dynalite for a test class; each test gets its own pair of quota tables, made from quota-service.yaml.</summary>
public sealed class QuotaPeer : IAsyncLifetime
{
    private int tables;

    public DynamoPeer Dynamo { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Dynamo = await DynamoPeer.StartAsync();

    public async ValueTask DisposeAsync() => await Dynamo.DisposeAsync();

    /// <summary>Fresh tables and a store of the tests' own to look at them.</summary>
    public async Task<QuotaStore> NewTablesAsync()
    {
        var names = await Dynamo.CreateTablesFromTemplateAsync(TemplateLibrary.Get(QuotaSchema.TemplateFile).Document, "acme-quota",
            $"T{Interlocked.Increment(ref tables)}");
        var client = new AmazonDynamoDBClient(new BasicAWSCredentials(DynamoPeer.AccessKey, DynamoPeer.SecretKey),
            new AmazonDynamoDBConfig { ServiceURL = Dynamo.Url, AuthenticationRegion = DynamoPeer.Region });
        return new QuotaStore(client, names[QuotaSchema.Policies.ResourceName], names[QuotaSchema.Usage.ResourceName]);
    }
}
