namespace Ccwb.Cli;

/// <summary>
/// Multi-line text from outside (servers, files) before it reaches a terminal: each line through
/// <see cref="Ccwb.Http.TerminalText"/>, the one rule for what is unsafe, with the line breaks kept. A single field
/// (an error message, a value) goes through <see cref="Ccwb.Http.TerminalText.Clean"/> directly, which also removes
/// line breaks that could forge extra lines.
/// </summary>
internal static class TerminalText
{
    public static string Clean(string text) =>
        string.Join('\n', text.Split('\n').Select(line => Ccwb.Http.TerminalText.Clean(line, int.MaxValue - 1)));
}
