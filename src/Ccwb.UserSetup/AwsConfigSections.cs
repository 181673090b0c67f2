namespace Ccwb.UserSetup;

/// <summary>
/// Adds and removes whole sections of an AWS config file as text, so that every other byte (comments, spacing, line
/// endings, other sections) stays as the user wrote it. Hand-written: an INI library would re-serialise the file.
/// </summary>
public static class AwsConfigSections
{
    /// <summary>The section name of a named profile in ~/.aws/config.</summary>
    public static string ProfileSection(string profileName) => $"profile {profileName}";

    public static bool Contains(string text, string section) => FindHeaders(text, section).Count > 0;

    /// <summary>Whether the last section with this name holds any key (a line that is neither blank nor a comment).</summary>
    public static bool HasEntries(string text, string section)
    {
        var headers = FindHeaders(text, section);
        if (headers.Count == 0) return false;
        return Lines(text)
            .SkipWhile(l => l.Start <= headers[^1])
            .TakeWhile(l => HeaderName(text, l.Start) is null)
            .Select(l => text.Substring(l.Start, l.Length).Trim())
            .Any(line => line.Length > 0 && line[0] is not ('#' or ';'));
    }

    /// <summary>
    /// Appends a section after a blank line, as upstream's install.bat does. Returns the new text and the separator put
    /// before the section (ending the last line if needed, then the blank line), which <see cref="Remove"/> takes out.
    /// </summary>
    public static (string Text, string Separator) Append(
        string text, string section, IReadOnlyList<KeyValuePair<string, string>> entries, string newline)
    {
        var separator = text.Length == 0 ? ""
            : text.EndsWith('\n') ? newline
            : newline + newline;
        var block = new System.Text.StringBuilder(separator).Append('[').Append(section).Append(']').Append(newline);
        foreach (var (key, value) in entries) block.Append(key).Append(" = ").Append(value).Append(newline);
        return (text + block, separator);
    }

    /// <summary>
    /// Removes the last section with this name: its header and every line up to the next section header, and the
    /// separator that was written before it. Text without the section is returned unchanged.
    /// </summary>
    public static string Remove(string text, string section, string separator)
    {
        var headers = FindHeaders(text, section);
        if (headers.Count == 0) return text;
        var start = headers[^1];
        var end = Lines(text).Select(l => l.Start).FirstOrDefault(s => s > start && HeaderName(text, s) is not null, text.Length);
        var before = text[..start];
        if (separator.Length > 0 && before.EndsWith(separator, StringComparison.Ordinal)) before = before[..^separator.Length];
        return before + text[end..];
    }

    private static List<int> FindHeaders(string text, string section) =>
        [.. Lines(text).Select(l => l.Start).Where(s => HeaderName(text, s) == section)];

    /// <summary>The normalised name of the section header on the line starting at <paramref name="start"/>, if it is one.</summary>
    private static string? HeaderName(string text, int start)
    {
        var lineEnd = text.IndexOf('\n', start);
        var line = text[start..(lineEnd < 0 ? text.Length : lineEnd)].Trim();
        if (!line.StartsWith('[')) return null;
        var close = line.IndexOf(']', StringComparison.Ordinal);
        if (close < 0) return null;
        // The AWS CLI reads "[ profile   x ]" as "profile x".
        return string.Join(' ', line[1..close].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static IEnumerable<(int Start, int Length)> Lines(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            yield return (start, end - start);
            start = end;
        }
    }
}
