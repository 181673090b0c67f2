using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Templates;

namespace Ccwb.CloudFormation.Tests;

/// <summary>The quota template's functions, API and roles as the deploy relies on them.</summary>
public sealed class QuotaTemplateTests
{
    private static readonly JsonObject Resources =
        TemplateLibrary.Get(TemplateLibrary.QuotaService).Document["Resources"]!.AsObject();

    private static IEnumerable<JsonObject> Statements(string role) =>
        Resources[role]!["Properties"]!["Policies"]!.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).Select(s => s!.AsObject());

    private static IEnumerable<string> Actions(JsonObject statement) =>
        statement["Action"] is JsonArray many ? many.Select(a => (string)a!) : [(string)statement["Action"]!];

    [Fact]
    public void Both_functions_are_arm64_custom_runtime_bootstraps_with_code_from_the_bucket_parameters()
    {
        foreach (var (function, key) in (ReadOnlySpan<(string, string)>)[("CheckFunction", "CheckFunctionCodeKey"), ("MonitorFunction", "MonitorFunctionCodeKey")])
        {
            var properties = Resources[function]!["Properties"]!;
            Assert.Equal(("provided.al2023", "bootstrap", "arm64"), ((string)properties["Runtime"]!, (string)properties["Handler"]!, (string)properties["Architectures"]![0]!));
            Assert.Equal("FunctionCodeBucket", (string)properties["Code"]!["S3Bucket"]!["Ref"]!);
            Assert.Equal(key, (string)properties["Code"]!["S3Key"]!["Ref"]!);
        }
    }

    [Fact]
    public void Check_function_role_only_reads_the_two_tables()
    {
        var statements = Statements("CheckFunctionRole").ToList();
        Assert.All(statements.SelectMany(Actions), a => Assert.Contains(a, (string[])["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]));
        Assert.All(statements, s => Assert.NotEqual("\"*\"", s["Resource"]!.ToJsonString()));
    }

    [Fact]
    public void Monitor_role_writes_only_the_usage_table_publishes_only_to_the_topic_and_reads_metrics()
    {
        var statements = Statements("MonitorFunctionRole").ToList();
        Assert.DoesNotContain(statements.SelectMany(Actions), a => a.EndsWith('*'));
        var writes = statements.Where(s => Actions(s).Any(a => a is "dynamodb:PutItem" or "dynamodb:UpdateItem")).ToList();
        Assert.All(writes, s => Assert.DoesNotContain("QuotaPoliciesTable", s["Resource"]!.ToJsonString(), StringComparison.Ordinal));
        var publish = Assert.Single(statements, s => Actions(s).Contains("sns:Publish"));
        Assert.Equal("QuotaAlertTopic", (string)publish["Resource"]!["Ref"]!);
        var anyResource = statements.Where(s => s["Resource"]!.GetValueKind() == JsonValueKind.String && (string)s["Resource"]! == "*");
        Assert.All(anyResource.SelectMany(Actions), a => Assert.StartsWith("cloudwatch:", a, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_routes_use_the_jwt_authorizer_only_when_jwt_is_chosen_and_iam_otherwise()
    {
        foreach (var route in (string[])["QuotaApiGetCheckRoute", "QuotaApiPostCheckRoute"])
        {
            var properties = Resources[route]!["Properties"]!;
            Assert.Equal("""{"Fn::If":["UsesJwt","JWT","AWS_IAM"]}""", properties["AuthorizationType"]!.ToJsonString());
            Assert.Equal("""{"Fn::If":["UsesJwt",{"Ref":"QuotaApiJwtAuthorizer"},{"Ref":"AWS::NoValue"}]}""", properties["AuthorizerId"]!.ToJsonString());
        }
        Assert.Equal("UsesJwt", (string)Resources["QuotaApiJwtAuthorizer"]!["Condition"]!);
        Assert.Equal("UsesIam", (string)Resources["QuotaApiInvokePolicy"]!["Condition"]!);
    }
}
