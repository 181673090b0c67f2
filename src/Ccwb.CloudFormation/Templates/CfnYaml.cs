using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Ccwb.CloudFormation.Templates;

/// <summary>
/// Reads a CloudFormation YAML template into the JSON form CloudFormation itself uses, turning the short-form tags
/// (<c>!Ref</c>, <c>!Sub</c>, <c>!GetAtt</c>, …) into <c>{"Ref": …}</c> / <c>{"Fn::Sub": …}</c> objects.
/// </summary>
/// <remarks>YamlDotNet's representation model keeps unknown tags, which its serializer would reject.</remarks>
public static class CfnYaml
{
    public static JsonObject Parse(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml)) stream.Load(reader);
        if (stream.Documents.Count != 1 || Convert(stream.Documents[0].RootNode) is not JsonObject root)
            throw new FormatException("a CloudFormation template is one YAML mapping");
        return root;
    }

    private static JsonNode? Convert(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        JsonNode? value = node switch
        {
            YamlScalarNode s => s.Value is null ? null : JsonValue.Create(s.Value),
            YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
            YamlMappingNode map => ToObject(map),
            _ => throw new FormatException($"unsupported YAML node at {node.Start}"),
        };
        if (tag is null || !tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal)) return value;

        var function = tag[1..];
        return function switch
        {
            "Ref" => new JsonObject { ["Ref"] = value },
            "Condition" => new JsonObject { ["Condition"] = value },
            "GetAtt" when value is JsonValue v => new JsonObject
            {
                ["Fn::GetAtt"] = new JsonArray([.. v.GetValue<string>().Split('.', 2).Select(p => (JsonNode)p)]),
            },
            _ => new JsonObject { ["Fn::" + function] = value },
        };
    }

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, child) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name }) throw new FormatException($"non-scalar key at {key.Start}");
            obj[name] = Convert(child);
        }
        return obj;
    }
}
