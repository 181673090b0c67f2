using System.Text.Json.Nodes;
using Ccwb.Rendering.Cowork;
using Ccwb.Rendering.Json;

namespace Ccwb.Rendering.Writers;

/// <summary><c>cowork-3p-config.json</c>: every key with its native JSON type, indent 2, no trailing newline.</summary>
public static class CoworkJsonWriter
{
    public static string Write(CoworkPolicy policy)
    {
        var root = new JsonObject();
        foreach (var setting in policy.Settings) root[setting.Name] = setting.Value.DeepClone();
        return PythonJson.Indented(root);
    }
}
