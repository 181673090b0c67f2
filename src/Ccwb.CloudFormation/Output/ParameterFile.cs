using Ccwb.CloudFormation.Planning;

namespace Ccwb.CloudFormation.Output;

/// <summary>The AWS CLI's parameter file: <c>[{"ParameterKey": …, "ParameterValue": …}]</c>.</summary>
public static class ParameterFile
{
    public static string Render(IEnumerable<StackParameter> parameters) => JsonText.Write(w =>
    {
        w.WriteStartArray();
        foreach (var p in parameters)
        {
            w.WriteStartObject();
            w.WriteString("ParameterKey", p.Key);
            w.WriteString("ParameterValue", p.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>The AWS CLI's tag file: <c>[{"Key": …, "Value": …}]</c>.</summary>
    public static string RenderTags(IEnumerable<StackTag> tags) => JsonText.Write(w =>
    {
        w.WriteStartArray();
        foreach (var t in tags)
        {
            w.WriteStartObject();
            w.WriteString("Key", t.Key);
            w.WriteString("Value", t.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });
}
