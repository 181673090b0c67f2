namespace Ccwb.Credentials.Passthrough;

/// <summary>
/// Reads the AWS shared config and credentials files: <c>[section]</c> headers, <c>key = value</c> lines, <c>#</c> and
/// <c>;</c> comment lines. Nested (indented) values, used only by s3 settings, are skipped.
/// </summary>
public static class AwsIniFile
{
    public static Dictionary<string, Dictionary<string, string>> Read(string path)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return sections; }
        Dictionary<string, string>? current = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[' && line.EndsWith(']'))
            {
                var name = string.Join(' ', line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                if (!sections.TryGetValue(name, out current)) sections[name] = current = new(StringComparer.Ordinal);
                continue;
            }
            if (current is null || char.IsWhiteSpace(raw[0])) continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            current[line[..equals].Trim().ToLowerInvariant()] = line[(equals + 1)..].Trim();
        }
        return sections;
    }
}
