using System.Text;

namespace Ccwb.Contract.Files;

/// <summary>
/// The text of an AWS shared config or credentials file, edited section by section so that every line the edit does
/// not concern (other sections, comments, spacing, CRLF or LF, a missing final newline) stays byte for byte.
/// </summary>
/// <remarks>
/// The rules, which install.sh, install.bat and the deb's configure-aws-profile follow in their own languages (tests run
/// all of them on the same inputs): a section header is <c>[name]</c> with the name's inner whitespace collapsed, as
/// the AWS CLI reads it; the first section of a name is the one read and edited; a key line is <c>key = value</c>
/// (a <c>#</c> inside a value is part of it, as in the AWS SDKs). Hand-written because general INI libraries re-serialise
/// the whole file.
/// </remarks>
public sealed class AwsIniText
{
    private readonly List<string> _lines;

    private AwsIniText(List<string> lines, string newLine)
    {
        _lines = lines;
        NewLine = newLine;
    }

    /// <summary>The line end new lines get: the one the text already uses (CRLF wins), else <c>newLineIfNone</c>.</summary>
    public string NewLine { get; }

    /// <param name="newLineIfNone">The line end for text that has none yet (Windows' own for a file created there).</param>
    public static AwsIniText Parse(string text, string newLineIfNone = "\n")
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        var newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : text.Contains('\n', StringComparison.Ordinal) ? "\n" : newLineIfNone;
        return new AwsIniText(lines, newLine);
    }

    public override string ToString() => string.Concat(_lines);

    /// <summary>The section name of a <c>[name]</c> line, inner whitespace collapsed; null for any other line.</summary>
    public static string? SectionName(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '[') return null;
        var close = trimmed.IndexOf(']', StringComparison.Ordinal);
        if (close < 0) return null;
        return string.Join(' ', trimmed[1..close].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The config file's section of a profile: <c>[profile NAME]</c>, except the default profile's <c>[default]</c>
    /// (where <c>aws configure set --profile default</c> writes).
    /// </summary>
    public static string ProfileSection(string profile) => profile == "default" ? "default" : "profile " + profile;

    public bool Contains(string section) => Find(section).Start >= 0;

    /// <summary>The key/value lines of the section, in order; null when the section is absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Entries(string section)
    {
        var (start, end) = Find(section);
        if (start < 0) return null;
        var entries = new List<KeyValuePair<string, string>>();
        for (var i = start + 1; i < end; i++)
            if (TrySplit(_lines[i], out var key, out var value)) entries.Add(new(key, value));
        return entries;
    }

    /// <summary>
    /// Sets keys the way <c>aws configure set</c> does: a missing section is appended after a blank line; in an existing
    /// one, a key's line is rewritten in place (only when its value differs) and a missing key is added after the
    /// section's last key. Returns what changed, so that it can be undone exactly.
    /// </summary>
    public IniEdit SetKeys(string section, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        var (start, end) = Find(section);
        if (start < 0)
        {
            var separator = AppendSection(section, entries);
            return new IniEdit(section, CreatedSection: true, separator, [.. entries.Select(e => new IniKeyChange(e.Key, null, e.Value))]);
        }
        var changes = new List<IniKeyChange>();
        foreach (var (key, value) in entries)
        {
            var line = FindKey(start, end, key);
            if (line >= 0)
            {
                TrySplit(_lines[line], out _, out var previous);
                if (previous == value) continue;
                _lines[line] = $"{key} = {value}{LineEnd(_lines[line])}";
                changes.Add(new IniKeyChange(key, previous, value));
            }
            else
            {
                var at = LastContentLine(start, end) + 1;
                // Added after a last line without a line end, the new line becomes the one without it.
                var ending = LineEnd(_lines[at - 1]).Length == 0 ? "" : NewLine;
                EndLine(at - 1);
                _lines.Insert(at, $"{key} = {value}{ending}");
                end++;
                changes.Add(new IniKeyChange(key, null, value));
            }
        }
        return new IniEdit(section, CreatedSection: false, "", changes);
    }

    /// <summary>Replaces the whole section with these keys (appending it when absent): the section belongs to the caller.</summary>
    public void ReplaceSection(string section, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        var (start, end) = Find(section);
        if (start < 0)
        {
            AppendSection(section, entries);
            return;
        }
        end = LastContentLine(start, end) + 1;
        var ending = LineEnd(_lines[end - 1]);
        _lines.RemoveRange(start, end - start);
        var block = Block(section, entries);
        // The section ended the file without a final newline: keep it that way.
        if (ending.Length == 0) block[^1] = block[^1].TrimEnd('\r', '\n');
        _lines.InsertRange(start, block);
    }

    /// <summary>
    /// Removes the section (header to the next header, leaving the blank lines and comments that lead into the next
    /// section). With <paramref name="separator"/>, the exact text <see cref="SetKeys"/> put before an appended section is
    /// taken out too; without it, the gap left behind is tidied (no double blank line, no trailing blank lines).
    /// </summary>
    public bool RemoveSection(string section, string? separator = null)
    {
        var (start, end) = Find(section);
        if (start < 0) return false;
        end = LastContentLine(start, end) + 1;
        var before = string.Concat(_lines.Take(start));
        var after = string.Concat(_lines.Skip(end));
        if (separator is not null)
        {
            if (separator.Length > 0 && before.EndsWith(separator, StringComparison.Ordinal)) before = before[..^separator.Length];
            // The appended section ended without a newline only if the text before it had none either.
            Reset(before + after);
            return true;
        }
        _lines.RemoveRange(start, end - start);
        if (start > 0 && start < _lines.Count && IsBlank(_lines[start - 1]) && IsBlank(_lines[start])) _lines.RemoveAt(start);
        else if (start == _lines.Count) while (_lines.Count > 0 && IsBlank(_lines[^1])) _lines.RemoveAt(_lines.Count - 1);
        return true;
    }

    /// <summary>Undoes one key change of <see cref="SetKeys"/>: the previous value back, or the key removed if it was new.</summary>
    public void RestoreKey(string section, IniKeyChange change)
    {
        var (start, end) = Find(section);
        if (start < 0) return;
        var line = FindKey(start, end, change.Key);
        if (line < 0) return;
        if (change.Previous is null)
        {
            // The file's last line had no line end before the key was added after it: it has none again.
            if (line == _lines.Count - 1 && LineEnd(_lines[line]).Length == 0 && line > 0)
                _lines[line - 1] = _lines[line - 1].TrimEnd('\r', '\n');
            _lines.RemoveAt(line);
        }
        else _lines[line] = $"{change.Key} = {change.Previous}{LineEnd(_lines[line])}";
    }

    private void Reset(string text)
    {
        _lines.Clear();
        _lines.AddRange(Parse(text, NewLine)._lines);
    }

    /// <summary>Appends the section and returns the separator written before it (a line end, then a blank line).</summary>
    private string AppendSection(string section, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        var separator = new StringBuilder();
        if (_lines.Count > 0)
        {
            if (LineEnd(_lines[^1]).Length == 0) separator.Append(NewLine);
            if (!IsBlank(_lines[^1])) separator.Append(NewLine);
        }
        var text = ToString() + separator + string.Concat(Block(section, entries));
        Reset(text);
        return separator.ToString();
    }

    private List<string> Block(string section, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        var block = new List<string> { $"[{section}]{NewLine}" };
        foreach (var (key, value) in entries) block.Add($"{key} = {value}{NewLine}");
        return block;
    }

    /// <summary>Index of the first header of this name and of the next header (or the end); (-1, -1) when absent.</summary>
    private (int Start, int End) Find(string section)
    {
        var wanted = string.Join(' ', section.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        for (var i = 0; i < _lines.Count; i++)
        {
            if (SectionName(_lines[i]) != wanted) continue;
            var end = i + 1;
            while (end < _lines.Count && SectionName(_lines[end]) is null) end++;
            return (i, end);
        }
        return (-1, -1);
    }

    private int FindKey(int start, int end, string key)
    {
        for (var i = start + 1; i < end; i++)
            if (TrySplit(_lines[i], out var k, out _) && k == key) return i;
        return -1;
    }

    /// <summary>The section's last line that is not blank or a comment (blank lines and comments before the next header belong to it).</summary>
    private int LastContentLine(int start, int end)
    {
        while (end > start + 1 && IsBlankOrComment(_lines[end - 1])) end--;
        return end - 1;
    }

    /// <summary>Gives the line at <paramref name="index"/> a line end if it lacks one (it was the file's last).</summary>
    private void EndLine(int index)
    {
        if (index >= 0 && LineEnd(_lines[index]).Length == 0) _lines[index] += NewLine;
    }

    private static string LineEnd(string line) =>
        line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : "";

    private static bool IsBlank(string line) => line.Trim().Length == 0;

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed[0] is '#' or ';';
    }

    private static bool TrySplit(string line, out string key, out string value)
    {
        key = value = "";
        if (IsBlankOrComment(line) || SectionName(line) is not null) return false;
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) return false;
        key = line[..equals].Trim();
        value = line[(equals + 1)..].Trim();
        return true;
    }
}

/// <summary>What <see cref="AwsIniText.SetKeys"/> changed in one section.</summary>
/// <param name="Separator">For a created section, the text written before its header.</param>
public sealed record IniEdit(string Section, bool CreatedSection, string Separator, IReadOnlyList<IniKeyChange> Changes)
{
    public bool Changed => CreatedSection || Changes.Count > 0;
}

/// <summary>One key set by <see cref="AwsIniText.SetKeys"/>; <paramref name="Previous"/> is null when the key was added.</summary>
public sealed record IniKeyChange(string Key, string? Previous, string Value);
