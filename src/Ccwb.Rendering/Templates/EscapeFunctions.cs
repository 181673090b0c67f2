using System.Text;

namespace Ccwb.Rendering.Templates;

/// <summary>
/// Escaping for each target language, exposed to templates as functions (<c>{{ value | xml }}</c>). Templates never
/// build quoted text by concatenation; they pass values through the function for the context they sit in.
/// </summary>
public static class EscapeFunctions
{
    /// <summary>XML text or attribute content.</summary>
    public static string Xml(string? value)
    {
        var sb = new StringBuilder();
        foreach (var c in value ?? "")
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>The inside of a .reg <c>"…"</c> string: backslash and double quote escaped.</summary>
    public static string Reg(string? value) =>
        (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>A complete POSIX shell word in single quotes.</summary>
    public static string Sh(string? value) => "'" + (value ?? "").Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A complete PowerShell single-quoted string.</summary>
    public static string Ps(string? value) => "'" + (value ?? "").Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Text for a batch <c>echo</c>: cmd's metacharacters caret-escaped and percent signs doubled.</summary>
    public static string Bat(string? value)
    {
        var sb = new StringBuilder();
        foreach (var c in value ?? "")
        {
            if (c == '%') sb.Append("%%");
            else if (c is '^' or '&' or '|' or '<' or '>' or '(' or ')' or '!') sb.Append('^').Append(c);
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    public static string Yaml(string? value)
    {
        var sb = new StringBuilder();
        Json.PythonJson.WriteString(sb, value ?? "");
        return sb.ToString();
    }

    /// <summary>Markdown inline text with the characters that would change formatting escaped.</summary>
    public static string Md(string? value)
    {
        var sb = new StringBuilder();
        foreach (var c in value ?? "")
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
