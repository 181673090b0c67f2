using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ccwb.Rendering.Json;

/// <summary>
/// JSON text the way upstream's Python writes it (<c>json.dumps</c>): ASCII only, <c>", "</c> and <c>": "</c> between
/// compact items, or two-space indentation. Users' machines already hold files in this form, so matching it keeps an
/// upgrade from upstream free of spurious differences.
/// </summary>
/// <remarks>Hand-written because System.Text.Json has no option for Python's separators or for escaping every
/// non-ASCII character while leaving <c>+</c>, <c>&lt;</c> and <c>'</c> alone.</remarks>
public static class PythonJson
{
    /// <summary>One line: <c>{"a": 1, "b": [true, "x"]}</c>.</summary>
    public static string Compact(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, indent: null, depth: 0);
        return sb.ToString();
    }

    /// <summary>Two-space indentation, no trailing newline (as <c>json.dump(..., indent=2)</c>).</summary>
    public static string Indented(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, indent: 2, depth: 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int? indent, int depth)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                WriteContainer(sb, '{', '}', obj.Count, obj.Select(p => ((string?)p.Key, p.Value)), indent, depth);
                break;
            case JsonArray array:
                WriteContainer(sb, '[', ']', array.Count, array.Select(v => ((string?)null, v)), indent, depth);
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteContainer(StringBuilder sb, char open, char close, int count,
        IEnumerable<(string? Key, JsonNode? Value)> items, int? indent, int depth)
    {
        sb.Append(open);
        if (count == 0)
        {
            sb.Append(close);
            return;
        }
        var first = true;
        foreach (var (key, value) in items)
        {
            if (!first) sb.Append(indent is null ? ", " : ",");
            first = false;
            if (indent is { } step) sb.Append('\n').Append(' ', step * (depth + 1));
            if (key is not null)
            {
                WriteString(sb, key);
                sb.Append(": ");
            }
            Write(sb, value, indent, depth + 1);
        }
        if (indent is { } n) sb.Append('\n').Append(' ', n * depth);
        sb.Append(close);
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                sb.Append(value.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture) : value.ToJsonString());
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    /// <summary>A JSON string literal with every non-ASCII and control character as <c>\uXXXX</c>.</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
