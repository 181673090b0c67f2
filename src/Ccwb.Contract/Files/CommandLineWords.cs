using System.Text;

namespace Ccwb.Contract.Files;

/// <summary>
/// Splits a command line written in a configuration file (<c>credential_process</c> in the AWS config, the programs
/// in Claude Code's settings) into the program and its arguments the way the AWS CLI and SDKs do (botocore's
/// <c>compat_shell_split</c>): POSIX shell rules on Linux and macOS, the C runtime's rules on Windows, where a
/// backslash is a path separator unless it leads up to a double quote.
/// </summary>
/// <remarks>
/// Hand-written: .NET has no public splitter for either rule set. Lenient where botocore raises (an unclosed quote
/// runs to the end, a final lone backslash is kept), so a diagnosis can still name the program.
/// </remarks>
public static class CommandLineWords
{
    public static List<string> Split(string line) => Split(line, OperatingSystem.IsWindows());

    public static List<string> Split(string line, bool windows) => windows ? SplitWindows(line) : SplitPosix(line);

    /// <summary>The program a command line runs (its first word), or "" for a blank line.</summary>
    public static string Program(string line) => Split(line) is [var program, ..] ? program : "";

    /// <summary>
    /// As Python's <c>shlex.split</c>: whitespace separates; single quotes keep everything; inside double quotes a
    /// backslash escapes only <c>"</c> and <c>\</c>; outside quotes a backslash escapes any character.
    /// </summary>
    private static List<string> SplitPosix(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } open)
            {
                if (c == open) quote = null;
                else if (c == '\\' && open == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\') current.Append(line[++i]);
                else current.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                inWord = true;
                if (c is '"' or '\'') quote = c;
                else if (c == '\\' && i + 1 < line.Length) current.Append(line[++i]);
                else current.Append(c);
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>
    /// As the Windows C runtime (and botocore's <c>_windows_shell_split</c>): space and tab separate; only double
    /// quotes group; backslashes are literal unless a run of them leads up to a double quote, where each pair is one
    /// backslash and an odd one out makes the quote literal.
    /// </summary>
    private static List<string> SplitWindows(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var quoted = false;
        var backslashes = 0;
        foreach (var c in line)
        {
            if (c == '\\')
            {
                backslashes++;
                inWord = true;
                continue;
            }
            if (c == '"')
            {
                current.Append('\\', backslashes / 2);
                var escaped = backslashes % 2 == 1;
                backslashes = 0;
                inWord = true;
                if (escaped) current.Append('"');
                else quoted = !quoted;
                continue;
            }
            current.Append('\\', backslashes);
            backslashes = 0;
            if (c is ' ' or '\t' && !quoted)
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                inWord = true;
                current.Append(c);
            }
        }
        current.Append('\\', backslashes);
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
