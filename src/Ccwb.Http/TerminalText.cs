using System.Text;

namespace Ccwb.Http;

/// <summary>
/// Text from outside (servers, identity providers, files) made safe to print: control characters (C0, DEL, C1: the
/// escape sequences that recolour, retitle or rewrite a terminal, and line breaks that forge extra lines) and Unicode
/// direction overrides are removed, and long text is shortened.
/// </summary>
public static class TerminalText
{
    public const int DefaultMaxLength = 300;

    public static string Clean(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        foreach (var c in text)
        {
            if (IsUnsafe(c)) continue;
            if (clean.Length == maxLength)
            {
                clean.Append('…');
                break;
            }
            clean.Append(c);
        }
        return clean.ToString();
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
