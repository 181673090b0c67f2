namespace Ccwb.Cli;

/// <summary>Text from outside (servers, files) is stripped of control characters before it reaches a terminal.</summary>
internal static class TerminalText
{
    public static string Clean(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) && source[i] != '\n' ? '?' : source[i];
        });
}
