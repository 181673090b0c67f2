using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Ccwb.CloudFormation.Templates;
using Ccwb.Testing.Peers;

namespace Ccwb.Quota.Tests;

/// <summary>quota-service.yaml and <see cref="QuotaSchema"/> describe the same tables, indexes, TTL and outputs.</summary>
public sealed class TemplateTests
{
    private static readonly CfnTemplate Template = TemplateLibrary.Get(QuotaSchema.TemplateFile);

    private static JsonObject Properties(string resource) => (JsonObject)Template.Document["Resources"]![resource]!["Properties"]!;

    private static IEnumerable<(string Name, string Kind)> Keys(JsonNode? schema) =>
        ((JsonArray)schema!).Select(k => (k!["AttributeName"]!.GetValue<string>(), k["KeyType"]!.GetValue<string>()));

    [Fact]
    public void Both_tables_are_keyed_pk_sk()
    {
        foreach (var table in new[] { QuotaSchema.Policies.ResourceName, QuotaSchema.Usage.ResourceName })
            Assert.Equal([(QuotaSchema.PartitionKey, "HASH"), (QuotaSchema.SortKey, "RANGE")], Keys(Properties(table)["KeySchema"]));
    }

    [Fact]
    public void Indexes_and_ttl_are_the_ones_the_store_queries()
    {
        var policyIndex = Assert.Single((JsonArray)Properties(QuotaSchema.Policies.ResourceName)["GlobalSecondaryIndexes"]!)!;
        Assert.Equal(QuotaSchema.Policies.TypeIndex, policyIndex["IndexName"]!.GetValue<string>());
        Assert.Equal([(QuotaSchema.Policies.TypeAttribute, "HASH"), (QuotaSchema.Policies.IdentifierAttribute, "RANGE")], Keys(policyIndex["KeySchema"]));
        var periodIndex = Assert.Single((JsonArray)Properties(QuotaSchema.Usage.ResourceName)["GlobalSecondaryIndexes"]!)!;
        Assert.Equal(QuotaSchema.Usage.PeriodIndex, periodIndex["IndexName"]!.GetValue<string>());
        Assert.Equal([(QuotaSchema.SortKey, "HASH"), (QuotaSchema.PartitionKey, "RANGE")], Keys(periodIndex["KeySchema"]));
        Assert.Equal(QuotaSchema.Usage.TtlAttribute, Properties(QuotaSchema.Usage.ResourceName)["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_carry_the_names_the_profile_and_the_cli_read()
    {
        foreach (var output in new[] { QuotaSchema.Policies.TableNameOutput, QuotaSchema.Policies.TableArnOutput, QuotaSchema.Usage.TableNameOutput,
                     QuotaSchema.Usage.TableArnOutput, QuotaSchema.AlertTopicOutput })
            Assert.Contains(output, Template.Outputs);
        Assert.Equal(QuotaSchema.AlertTopicResourceName, Template.Document["Outputs"]![QuotaSchema.AlertTopicOutput]!["Value"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void The_default_policy_output_with_the_templates_default_parameters_reads_as_the_default_policy()
    {
        // Evaluate the output's !Join of !Refs with each parameter's Default, as CloudFormation would.
        var join = Template.Document["Outputs"]!["DefaultPolicy"]!["Value"]!["Fn::Join"]!.AsArray();
        var value = string.Join(join[0]!.GetValue<string>(),
            join[1]!.AsArray().Select(r => Template.Parameter(r!["Ref"]!.GetValue<string>())!.Default));
        Assert.Equal("10000000,0,0,0,80,block,alert", value);
        var (policy, errors) = PolicyRows.ReadStackDefault(value);
        Assert.Empty(errors);
        Assert.Equal(new QuotaPolicy { Type = PolicyType.Default, Identifier = "default", MonthlyTokenLimit = 10_000_000 }, policy);
        Assert.Equal("DefaultPolicy", Assert.Single(PolicyRows.ReadStackDefault("1,2,3").Errors).Field);
        Assert.Equal("enforcement_mode", Assert.Single(PolicyRows.ReadStackDefault("1,0,0,0,80,shout,alert").Errors).Field);
    }

    [Fact]
    public async Task Tables_made_from_the_template_have_its_keys_indexes_and_ttl_in_dynamodb()
    {
        await using var peer = await DynamoPeer.StartAsync();
        var names = await peer.CreateTablesFromTemplateAsync(Template.Document, "acme-quota");
        using var client = StoreTests.Client(peer);
        var ct = TestContext.Current.CancellationToken;

        var usage = (await client.DescribeTableAsync(names[QuotaSchema.Usage.ResourceName], ct)).Table;
        Assert.Equal("acme-quota-UserQuotaMetricsTable-TEST", usage.TableName);
        Assert.Equal(QuotaSchema.Usage.PeriodIndex, Assert.Single(usage.GlobalSecondaryIndexes).IndexName);
        var ttl = (await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = usage.TableName }, ct)).TimeToLiveDescription;
        Assert.Equal(("ENABLED", QuotaSchema.Usage.TtlAttribute), (ttl.TimeToLiveStatus.Value, ttl.AttributeName));

        var policies = (await client.DescribeTableAsync(names[QuotaSchema.Policies.ResourceName], ct)).Table;
        Assert.Equal(QuotaSchema.Policies.TypeIndex, Assert.Single(policies.GlobalSecondaryIndexes).IndexName);
        var noTtl = (await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = policies.TableName }, ct)).TimeToLiveDescription;
        Assert.Equal("DISABLED", noTtl.TimeToLiveStatus.Value);
    }
}
