using System.Globalization;
using System.Text.Json.Nodes;

namespace Ccwb.CloudFormation.Templates;

/// <summary>A template as written (the body deployed) and as parsed (its parameters and outputs).</summary>
public sealed class CfnTemplate
{
    public CfnTemplate(string fileName, string body)
    {
        FileName = fileName;
        Body = body;
        Document = CfnYaml.Parse(body);
        Parameters = [.. (Document[nameof(Parameters)] as JsonObject ?? []).Select(p => ReadParameter(p.Key, (JsonObject)p.Value!))];
        Outputs = [.. (Document[nameof(Outputs)] as JsonObject ?? []).Select(o => o.Key)];
    }

    public string FileName { get; }

    public string Body { get; }

    public JsonObject Document { get; }

    /// <summary>Declared parameters in template order.</summary>
    public IReadOnlyList<TemplateParameter> Parameters { get; }

    public IReadOnlyList<string> Outputs { get; }

    public TemplateParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    private static TemplateParameter ReadParameter(string name, JsonObject p) => new(
        name,
        Text(p["Type"]) ?? throw new FormatException($"parameter {name} has no Type"),
        Text(p["Default"]),
        Text(p["AllowedPattern"]),
        [.. (p["AllowedValues"] as JsonArray ?? []).Select(v => Text(v) ?? "")],
        Int(p["MinLength"]),
        Int(p["MaxLength"]),
        Double(p["MinValue"]),
        Double(p["MaxValue"]),
        Text(p["NoEcho"]) == "true");

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static int? Int(JsonNode? node) => Text(node) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null;

    private static double? Double(JsonNode? node) => Text(node) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : null;
}
