using System.Text.Json;

namespace Ccwb.Profiles.Validation;

/// <summary>
/// <c>extra_files</c> entries (<c>{name, targets, from}</c>) with upstream's messages, all prefixed <c>extra_files[i]</c>.
/// </summary>
internal static class ExtraFilesRules
{
    /// <summary>Target tokens: everything, an OS family, or one OS/architecture.</summary>
    public static IReadOnlyList<string> Tokens { get; } =
        ["all", "linux", "linux-arm64", "linux-x64", "macos", "macos-arm64", "macos-intel", "windows"];

    private static readonly string[] Keys = ["from", "name", "targets"];

    // Files and folders the package itself writes; an extra file may not replace them.
    private static readonly HashSet<string> GeneratedArtifacts = new(StringComparer.OrdinalIgnoreCase)
    {
        "config.json", "install.sh", "install.bat", "ccwb-install.ps1", "readme.md", "collector-config.yaml",
        "otel-helper.sh", "otel-helper.ps1", "otel-helper.cmd", "cowork-3p.reg", "cowork-3p.mobileconfig",
        "cowork-3p-config.json", "claude-settings",
    };

    private static readonly string[] GeneratedBinaryPrefixes = ["credential-process-", "otel-helper-", "otelcol-"];

    public static void Check(IReadOnlyList<JsonElement> entries, ValidationReport r)
    {
        for (var i = 0; i < entries.Count; i++) CheckEntry(entries[i], $"extra_files[{i}]", r);
    }

    private static void CheckEntry(JsonElement entry, string field, ValidationReport r)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            r.Error(field, "must be an object with 'name', 'targets', 'from'");
            return;
        }
        var present = entry.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var missing = Keys.Where(k => !present.Contains(k)).ToList();
        var unexpected = present.Where(k => !Keys.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) r.Error(field, "missing key(s): " + string.Join(", ", missing));
        if (unexpected.Count > 0) r.Error(field, "unexpected key(s): " + string.Join(", ", unexpected));

        if (entry.TryGetProperty("name", out var name)) CheckName(name, field, r);
        if (entry.TryGetProperty("targets", out var targets)) CheckTargets(targets, field, r);
        if (entry.TryGetProperty("from", out var from) &&
            (from.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(from.GetString())))
            r.Error(field, "'from' must be a non-empty source path");
    }

    private static void CheckName(JsonElement element, string field, ValidationReport r)
    {
        var name = element.ValueKind == JsonValueKind.String ? element.GetString()!.Trim() : "";
        if (name.Length == 0)
        {
            r.Error(field, "'name' must be a non-empty string");
            return;
        }
        if (name[0] is '/' or '\\' || Patterns.DriveLetter().IsMatch(name))
        {
            r.Error(field, $"'name' must be a relative path, got '{name}'");
            return;
        }
        var segments = name.Split('/', '\\');
        if (segments.Contains(".."))
        {
            r.Error(field, $"'name' must not contain '..' path segments, got '{name}'");
            return;
        }
        var first = segments[0];
        if (GeneratedArtifacts.Contains(first))
            r.Error(field, $"'name' collides with a generated artifact: '{name}'");
        else if (GeneratedBinaryPrefixes.Any(prefix => first.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            r.Error(field, $"'name' collides with a generated binary: '{name}'");
    }

    private static void CheckTargets(JsonElement element, string field, ValidationReport r)
    {
        List<string> tokens;
        if (element.ValueKind == JsonValueKind.String)
            tokens = [element.GetString()!];
        else if (element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            tokens = [.. element.EnumerateArray().Select(e => e.GetString()!)];
        else
        {
            r.Error(field, "'targets' must be a token or list of tokens");
            return;
        }

        var unknown = tokens.Select(t => t.Trim().ToLowerInvariant()).Where(t => !Tokens.Contains(t)).ToList();
        if (unknown.Count > 0)
            r.Error(field, $"unknown target(s) [{string.Join(", ", unknown.Select(t => $"'{t}'"))}]; valid: {string.Join(", ", Tokens)}");
        else if (tokens.Count == 0)
            r.Warning(field, "'targets' is empty, so the file goes into no package");
    }
}
