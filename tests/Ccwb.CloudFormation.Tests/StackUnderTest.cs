using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Templates;
using Ccwb.CloudFormation.Tests.Iam;
using Ccwb.Profiles;

namespace Ccwb.CloudFormation.Tests;

/// <summary>A profile's planned auth stack, resolved as CloudFormation would create it.</summary>
internal sealed class StackUnderTest
{
    public StackUnderTest(DeploymentProfile profile, string? region = null)
    {
        Plan = DeployPlanner.Plan(profile);
        Stack = Plan.Stacks.Single(s => s.Kind == "auth");
        Parameters = Stack.Parameters.ToDictionary(p => p.Key, p => p.Value);
        Resolver = new TemplateResolver(TemplateLibrary.Get(Stack.TemplateFile).Document, Parameters, region ?? Stack.Region, Stack.StackName);
    }

    public DeployPlan Plan { get; }

    public PlannedStack Stack { get; }

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public TemplateResolver Resolver { get; }

    private JsonNode? _bedrockPolicy;

    public JsonNode BedrockPolicy => _bedrockPolicy ??= Resolver.Resource("BedrockAccessPolicy")["Properties"]!["PolicyDocument"]!;

    public IReadOnlyList<string> AllowedRegions => Parameters["AllowedBedrockRegions"].Split(',');

    public IReadOnlyList<string> SelectedModels =>
        [.. Parameters.Where(p => p.Key.StartsWith("InferenceProfile", StringComparison.Ordinal)).Select(p => p.Value)];

    /// <summary>Whether a caller in <paramref name="region"/> may invoke <paramref name="resourceArn"/>.</summary>
    public bool MayInvoke(string region, string resourceArn, string action = "bedrock:InvokeModel") =>
        PolicyEvaluator.IsAllowed(BedrockPolicy, new(action, resourceArn, new Dictionary<string, string> { ["aws:RequestedRegion"] = region }));

    public string InferenceProfileArn(string region, string modelId, string account = TemplateResolver.AccountId) =>
        $"arn:{Resolver.Partition}:bedrock:{region}:{account}:inference-profile/{modelId}";

    public string FoundationModelArn(string region, string baseModelId) =>
        $"arn:{Resolver.Partition}:bedrock:{region}::foundation-model/{baseModelId}";
}
