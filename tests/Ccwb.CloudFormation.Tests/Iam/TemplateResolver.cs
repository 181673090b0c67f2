using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ccwb.Bedrock;

namespace Ccwb.CloudFormation.Tests.Iam;

/// <summary>
/// Does what CloudFormation does to a template before creating resources: substitutes parameters and pseudo
/// parameters, evaluates conditions and intrinsic functions, and drops AWS::NoValue. Resources referenced by Ref or
/// GetAtt resolve to ARN-shaped placeholders of the stack's account, region and partition.
/// </summary>
internal sealed partial class TemplateResolver
{
    public const string AccountId = "123456789012";

    private readonly JsonObject _template;
    private readonly Dictionary<string, JsonNode> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);

    private readonly IReadOnlyDictionary<string, string> _exports;

    /// <param name="exports">Exports of the stacks already in the account and region, for Fn::ImportValue.</param>
    public TemplateResolver(JsonObject template, IReadOnlyDictionary<string, string> parameters, string region, string stackName,
                            IReadOnlyDictionary<string, string>? exports = null)
    {
        _template = template;
        _exports = exports ?? new Dictionary<string, string>();
        Region = region;
        Partition = AwsPartitions.ForRegion(region).Name;
        _values["AWS::Region"] = region;
        _values["AWS::Partition"] = Partition;
        _values["AWS::AccountId"] = AccountId;
        _values["AWS::StackName"] = stackName;
        _values["AWS::URLSuffix"] = AwsPartitions.ForRegion(region).DnsSuffix;
        foreach (var (name, node) in template["Parameters"]?.AsObject() ?? [])
        {
            var type = node!["Type"]!.GetValue<string>();
            var value = parameters.TryGetValue(name, out var v) ? v
                : node["Default"]?.GetValue<string>() ?? throw new InvalidOperationException($"no value for required parameter {name}");
            _values[name] = type == "CommaDelimitedList" ? new JsonArray([.. value.Split(',').Select(x => (JsonNode)x)]) : value;
        }
        foreach (var (name, _) in template["Resources"]!.AsObject()) _values[name] = PhysicalId(name);
    }

    public string Region { get; }

    public string Partition { get; }

    /// <summary>Resources whose Condition holds, resolved.</summary>
    public IReadOnlyDictionary<string, JsonObject> Resources() =>
        _template["Resources"]!.AsObject()
            .Where(r => r.Value!["Condition"] is not { } c || Condition(c.GetValue<string>()))
            .ToDictionary(r => r.Key, r => (JsonObject)Resolve(r.Value!.DeepClone())!);

    public JsonObject Resource(string logicalId) =>
        Resources().TryGetValue(logicalId, out var r) ? r : throw new InvalidOperationException($"{logicalId} is not created");

    public bool Condition(string name)
    {
        if (_conditions.TryGetValue(name, out var known)) return known;
        var value = Truth(_template["Conditions"]![name]!);
        _conditions[name] = value;
        return value;
    }

    /// <summary>The ARN-shaped value Ref returns for a resource (what the credential helper and policies see).</summary>
    public string PhysicalId(string logicalId)
    {
        var type = _template["Resources"]![logicalId]!["Type"]!.GetValue<string>();
        return type switch
        {
            "AWS::IAM::OIDCProvider" => $"arn:{Partition}:iam::{AccountId}:oidc-provider/{logicalId}",
            "AWS::IAM::ManagedPolicy" => $"arn:{Partition}:iam::{AccountId}:policy/{logicalId}",
            "AWS::Cognito::IdentityPool" => $"{Region}:00000000-0000-0000-0000-{logicalId.Length:D12}",
            _ => $"{logicalId}-physical-id",
        };
    }

    private bool Truth(JsonNode node)
    {
        var (fn, arg) = Single(node) ?? throw new InvalidOperationException($"not a condition: {node.ToJsonString()}");
        return fn switch
        {
            "Fn::Equals" => Text(Resolve(arg[0]!.DeepClone())) == Text(Resolve(arg[1]!.DeepClone())),
            "Fn::Not" => !Truth(arg[0]!),
            "Fn::And" => arg.AsArray().All(a => Truth(a!)),
            "Fn::Or" => arg.AsArray().Any(a => Truth(a!)),
            "Condition" => Condition(arg.GetValue<string>()),
            _ => throw new InvalidOperationException($"unsupported condition function {fn}"),
        };
    }

    /// <summary>Resolves intrinsic functions; returns null for AWS::NoValue.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(Resolve).Where(n => n is not null).Select(n => n!.DeepClone())]);
            case JsonObject obj when Single(obj) is var (fn, arg) && (fn.StartsWith("Fn::", StringComparison.Ordinal) || fn == "Ref"):
                return Function(fn, arg);
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                    if (Resolve(value) is { } resolved) result[key] = resolved.DeepClone();
                return result;
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? Function(string fn, JsonNode arg) => fn switch
    {
        "Ref" when arg.GetValue<string>() == "AWS::NoValue" => null,
        "Ref" => _values[arg.GetValue<string>()].DeepClone(),
        "Fn::If" => Condition(arg[0]!.GetValue<string>()) ? Resolve(arg[1]) : Resolve(arg[2]),
        "Fn::Sub" => Sub(arg),
        "Fn::Join" => string.Join(arg[0]!.GetValue<string>(), Resolve(arg[1])!.AsArray().Select(Text)),
        "Fn::Split" => new JsonArray([.. Text(Resolve(arg[1])).Split(arg[0]!.GetValue<string>()).Select(s => (JsonNode)s)]),
        "Fn::Select" => Resolve(arg[1])!.AsArray()[int.Parse(Text(Resolve(arg[0])), CultureInfo.InvariantCulture)]!.DeepClone(),
        "Fn::GetAtt" => GetAtt(arg[0]!.GetValue<string>(), arg[1]!.GetValue<string>()),
        "Fn::FindInMap" => _template["Mappings"]![Text(Resolve(arg[0]))]![Text(Resolve(arg[1]))]![Text(Resolve(arg[2]))]!.DeepClone(),
        "Fn::GetAZs" => new JsonArray([.. "abc".Select(zone => (JsonNode)$"{Region}{zone}")]),
        // CloudFormation refuses a stack that imports an export no stack has made (yet).
        "Fn::ImportValue" => _exports.TryGetValue(Text(Resolve(arg)), out var exported)
            ? exported
            : throw new MissingExportException(Text(Resolve(arg))),
        _ => throw new InvalidOperationException($"unsupported function {fn}"),
    };

    private string GetAtt(string logicalId, string attribute) => attribute switch
    {
        "Arn" when _template["Resources"]![logicalId]!["Type"]!.GetValue<string>() == "AWS::IAM::Role" =>
            $"arn:{Partition}:iam::{AccountId}:role/{logicalId}",
        "Arn" => $"arn:{Partition}:s3:::{PhysicalId(logicalId)}",
        _ => $"{logicalId}.{attribute}",
    };

    [GeneratedRegex(@"\$\{([A-Za-z0-9:.]+)\}")]
    private static partial Regex Variable();

    private string Sub(JsonNode arg)
    {
        var (text, variables) = arg is JsonArray a
            ? (a[0]!.GetValue<string>(), a[1]!.AsObject().ToDictionary(v => v.Key, v => Text(Resolve(v.Value))))
            : (arg.GetValue<string>(), new Dictionary<string, string>());
        return Variable().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            if (variables.TryGetValue(name, out var local)) return local;
            if (name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal))
            {
                var parts = name.Split('.', 2);
                return GetAtt(parts[0], parts[1]);
            }
            return Text(_values[name]);
        });
    }

    /// <summary>The export a template imports does not exist, as CloudFormation reports it.</summary>
    public sealed class MissingExportException(string name) : Exception($"No export named {name} found");

    private static (string, JsonNode)? Single(JsonNode node) =>
        node is JsonObject { Count: 1 } obj ? (obj.First().Key, obj.First().Value!) : null;

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray a => string.Join(',', a.Select(Text)),
        _ => throw new InvalidOperationException($"not text: {node?.ToJsonString()}"),
    };
}
