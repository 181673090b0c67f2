using System.Text;

namespace Ccwb.Credentials.Storage;

/// <summary>
/// The profile's section of the AWS shared credentials file (<c>~/.aws/credentials</c>). Only that section is
/// read or replaced; every other line (sections, comments, blank lines) is kept byte for byte.
/// </summary>
/// <remarks>
/// Hand-written INI handling because no AOT-safe INI library is served here, and the file must round-trip
/// untouched sections exactly, which general INI libraries do not promise.
/// </remarks>
public sealed class SharedCredentialsFile(string path)
{
    private const string AccessKeyKey = "aws_access_key_id";
    private const string SecretKeyKey = "aws_secret_access_key";
    private const string SessionTokenKey = "aws_session_token";
    private const string ExpirationKey = "x-expiration";

    public string Path { get; } = path;

    /// <summary>The section's credentials, or null when the file, section or a key is missing or unparsable.</summary>
    public AwsCredentials? Read(string profile)
    {
        var lines = SplitLines(ReadTextOrEmpty());
        var (start, end) = FindSection(lines, profile);
        if (start < 0) return null;

        string? accessKey = null, secretKey = null, sessionToken = null, expiration = null;
        for (var i = start + 1; i < end; i++)
        {
            if (!TrySplitKeyValue(lines[i], out var key, out var value)) continue;
            switch (key)
            {
                case AccessKeyKey: accessKey = value; break;
                case SecretKeyKey: secretKey = value; break;
                case SessionTokenKey: sessionToken = value; break;
                case ExpirationKey: expiration = value; break;
                default: break;
            }
        }
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey) || string.IsNullOrEmpty(sessionToken)) return null;
        var expires = Rfc3339.TryParse(expiration, out var e) ? e : DateTimeOffset.MinValue;
        return new AwsCredentials(accessKey, secretKey, sessionToken, expires);
    }

    public void Write(string profile, AwsCredentials credentials)
    {
        var section = new List<string>
        {
            $"[{profile}]",
            $"{AccessKeyKey} = {credentials.AccessKeyId}",
            $"{SecretKeyKey} = {credentials.SecretAccessKey}",
            $"{SessionTokenKey} = {credentials.SessionToken}",
            $"{ExpirationKey} = {Rfc3339.Format(credentials.Expiration)}",
        };
        Rewrite(ReadTextOrEmpty(), profile, section);
    }

    /// <summary>Removes the section (a placeholder would shadow credential_process in every AWS SDK); false when absent.</summary>
    public bool Remove(string profile)
    {
        var existing = ReadTextOrEmpty();
        if (FindSection(SplitLines(existing), profile).Start < 0) return false;
        Rewrite(existing, profile, replacement: null);
        return true;
    }

    /// <summary>The file's text; empty when the file or its folder does not exist yet.</summary>
    private string ReadTextOrEmpty()
    {
        try { return File.ReadAllText(Path); }
        catch (FileNotFoundException) { return ""; }
        catch (DirectoryNotFoundException) { return ""; }
    }

    private void Rewrite(string existing, string profile, List<string>? replacement)
    {
        var lines = SplitLines(existing);
        // A file written on Windows keeps its CRLF line ends.
        var newline = existing.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var (start, end) = FindSection(lines, profile);
        if (start >= 0)
        {
            // Keep blank lines and comments that sit right before the next section with that section.
            while (end > start + 1 && IsBlankOrComment(lines[end - 1])) end--;
            lines.RemoveRange(start, end - start);
            if (replacement is not null) lines.InsertRange(start, replacement);
            // Removing a section between two blank lines would leave a double gap.
            else if (start > 0 && start < lines.Count && lines[start - 1].Trim().Length == 0 && lines[start].Trim().Length == 0) lines.RemoveAt(start);
            // …or, for the last section, a dangling blank line at the end.
            else if (start == lines.Count) while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
        }
        else if (replacement is not null)
        {
            if (lines.Count > 0 && lines[^1].Trim().Length > 0) lines.Add("");
            lines.AddRange(replacement);
        }
        var builder = new StringBuilder();
        foreach (var line in lines) builder.Append(line).Append(newline);
        AtomicFile.WriteAllText(Path, builder.ToString());
    }

    private static List<string> SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var lines = new List<string>(text.Split('\n'));
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        for (var i = 0; i < lines.Count; i++) lines[i] = lines[i].TrimEnd('\r');
        return lines;
    }

    /// <summary>Index of the section header and of the line after its last line; (-1, -1) when absent.</summary>
    private static (int Start, int End) FindSection(List<string> lines, string profile)
    {
        var start = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var header = SectionName(lines[i]);
            if (header is null) continue;
            if (start >= 0) return (start, i);
            if (header == profile) start = i;
        }
        return start >= 0 ? (start, lines.Count) : (-1, -1);
    }

    private static string? SectionName(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '[' && trimmed[^1] == ']' ? trimmed[1..^1].Trim() : null;
    }

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed[0] is '#' or ';';
    }

    // '#' inside a value is part of the value (session tokens are base64), as in the AWS SDKs.
    private static bool TrySplitKeyValue(string line, out string key, out string value)
    {
        key = value = "";
        if (IsBlankOrComment(line)) return false;
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) return false;
        key = line[..equals].Trim();
        value = line[(equals + 1)..].Trim();
        return true;
    }
}
