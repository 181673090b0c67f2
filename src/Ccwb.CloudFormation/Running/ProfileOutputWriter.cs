using System.Text.Json.Nodes;
using System.Text.Json;
using Ccwb.CloudFormation.Planning;
using Ccwb.Contract.Files;

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

        var json = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NewLine = "\n" }) + "\n";
        AtomicFile.WriteAllText(profilePath, json, OperatingSystem.IsWindows() ? AtomicFile.OwnerReadWrite : File.GetUnixFileMode(profilePath));
    }
}
