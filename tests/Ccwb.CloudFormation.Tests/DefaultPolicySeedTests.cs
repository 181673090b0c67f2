using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Ccwb.Cli.Quota;
using Ccwb.CloudFormation.Templates;
using Ccwb.Quota;
using Ccwb.Testing.Peers;

namespace Ccwb.CloudFormation.Tests;

/// <summary>After <c>ccwb deploy</c> creates the quota stack, its DefaultPolicy output is written once into dynalite's tables.</summary>
public sealed class DefaultPolicySeedTests : IAsyncLifetime
{
    private DynamoPeer dynamo = null!;
    private AmazonDynamoDBClient client = null!;
    private Dictionary<string, string> outputs = null!;

    public async ValueTask InitializeAsync()
    {
        dynamo = await DynamoPeer.StartAsync();
        var tables = await dynamo.CreateTablesFromTemplateAsync(TemplateLibrary.Get(TemplateLibrary.QuotaService).Document, "acme-quota");
        client = new AmazonDynamoDBClient(new BasicAWSCredentials(DynamoPeer.AccessKey, DynamoPeer.SecretKey),
            new AmazonDynamoDBConfig { ServiceURL = dynamo.Url, AuthenticationRegion = DynamoPeer.Region });
        outputs = new()
        {
            [QuotaSchema.Policies.TableNameOutput] = tables[QuotaSchema.Policies.ResourceName],
            [QuotaSchema.Usage.TableNameOutput] = tables[QuotaSchema.Usage.ResourceName],
            [DefaultPolicySeed.Output] = "5000000,250000,0,0,80,block,alert",
        };
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await dynamo.DisposeAsync();
    }

    private QuotaStore Store => new(client, outputs[QuotaSchema.Policies.TableNameOutput], outputs[QuotaSchema.Usage.TableNameOutput]);

    [Fact]
    public async Task First_deploy_writes_the_stacks_default_and_a_redeploy_keeps_a_default_changed_since()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(await DefaultPolicySeed.SeedAsync(client, outputs, ct));
        var written = await Store.GetPolicyAsync(PolicyType.Default, PolicyTypes.DefaultIdentifier, ct);
        Assert.NotNull(written);
        Assert.Equal((5_000_000L, EnforcementMode.Block, EnforcementMode.Alert), (written.MonthlyTokenLimit, written.MonthlyEnforcement, written.DailyEnforcement));

        outputs[DefaultPolicySeed.Output] = "9000000,0,0,0,80,alert,alert";
        Assert.False(await DefaultPolicySeed.SeedAsync(client, outputs, ct));
        Assert.Equal(5_000_000L, (await Store.GetPolicyAsync(PolicyType.Default, PolicyTypes.DefaultIdentifier, ct))!.MonthlyTokenLimit);
    }

    [Fact]
    public async Task A_malformed_or_missing_output_is_a_clear_error_and_nothing_is_written()
    {
        var ct = TestContext.Current.CancellationToken;
        outputs[DefaultPolicySeed.Output] = "5000000,block";
        var malformed = await Assert.ThrowsAsync<SeedException>(() => DefaultPolicySeed.SeedAsync(client, outputs, ct));
        Assert.Contains("DefaultPolicy", malformed.Message, StringComparison.Ordinal);

        outputs.Remove(DefaultPolicySeed.Output);
        var missing = await Assert.ThrowsAsync<SeedException>(() => DefaultPolicySeed.SeedAsync(client, outputs, ct));
        Assert.Equal("the quota stack has no DefaultPolicy output; redeploy it with this version of ccwb", missing.Message);
        Assert.Null(await Store.GetPolicyAsync(PolicyType.Default, PolicyTypes.DefaultIdentifier, ct));
    }
}
