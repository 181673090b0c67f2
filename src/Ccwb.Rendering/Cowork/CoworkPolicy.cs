using System.Text.Json.Nodes;

namespace Ccwb.Rendering.Cowork;

/// <summary>The operating system a set of values is written for (paths differ).</summary>
public enum TargetOs
{
    /// <summary>macOS and Linux: forward slashes, <c>.sh</c> helpers.</summary>
    Posix,
    /// <summary>Windows: backslashes, <c>.cmd</c> helpers.</summary>
    Windows,
}

/// <summary>One key and its value, typed as in <c>cowork-3p-config.json</c>.</summary>
/// <param name="Key">The catalogue entry; null for a pass-through key Claude Desktop does not document.</param>
public sealed record CoworkSetting(string Name, JsonNode Value, CoworkKey? Key)
{
    /// <summary>
    /// The value as every MDM format stores it (all are strings): booleans as "true"/"false", numbers as digits,
    /// arrays and objects as JSON text in upstream's spacing.
    /// </summary>
    public string MdmString => Value switch
    {
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.False => "false",
        _ => Json.PythonJson.Compact(Value),
    };
}

/// <summary>The ordered key/value list one MDM file carries, for one operating system.</summary>
public sealed record CoworkPolicy(TargetOs Os, IReadOnlyList<CoworkSetting> Settings);
