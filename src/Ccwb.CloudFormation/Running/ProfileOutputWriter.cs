using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.CloudFormation.Planning;

namespace Ccwb.CloudFormation.Running;

/// <summary>
/// Saves stack outputs into the profile file: only the mapped fields change, every other key (known or not) and its
/// order is kept, and the file is replaced atomically with its permissions intact.
/// </summary>
public static class ProfileOutputWriter
{
    /// <summary>The profile fields to set from deployed outputs, per the plan's output mapping.</summary>
    public static IReadOnlyDictionary<string, string> FieldsFrom(
        DeployPlan plan, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> outputsByKind)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in plan.Stacks)
            if (outputsByKind.TryGetValue(stack.Kind, out var outputs))
                foreach (var (output, field) in stack.OutputsToProfile)
                    if (outputs.TryGetValue(output, out var value)) fields[field] = value;
        return fields;
    }

    public static void Save(string profilePath, IReadOnlyDictionary<string, string> fields)
    {
        if (fields.Count == 0) return;
        var document = JsonNode.Parse(File.ReadAllText(profilePath)) as JsonObject
                       ?? throw new InvalidDataException($"{profilePath} is not a JSON object");
        foreach (var (field, value) in fields) document[field] = value;
        document["updated_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz", System.Globalization.CultureInfo.InvariantCulture);

        var directory = Path.GetDirectoryName(Path.GetFullPath(profilePath))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(profilePath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = File.GetUnixFileMode(profilePath);
            using (var stream = new FileStream(temporary, options))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
            {
                document.WriteTo(writer);
            }
            File.AppendAllText(temporary, "\n");
            File.Move(temporary, profilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
