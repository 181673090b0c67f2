using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json;
using Ccwb.Contract.Files;

namespace Ccwb.UserSetup;

/// <summary>
/// What an installation changed in one user's files, kept so that the uninstallation takes out exactly that and
/// nothing the user had or has added since.
/// </summary>
public sealed class SetupRecord
{
    public SettingsChanges? Settings { get; set; }
    public List<AwsSectionEdit> AwsSections { get; set; } = [];

    /// <summary>The AWS config file did not exist before the installation.</summary>
    public bool CreatedAwsConfig { get; set; }

    public static SetupRecord? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), SetupRecordJson.Default.SetupRecord)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new SetupException($"{path} (this package's record of what it changed) is not readable: {e.Message} " +
                "Delete it to let the installation start afresh.");
        }
    }

    public void Write(string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, SetupRecordJson.Default.SetupRecord) + "\n");
}

/// <summary>The keys an installation set in settings.json, with what they held before.</summary>
public sealed class SettingsChanges
{
    /// <summary>settings.json did not exist before the installation.</summary>
    public bool CreatedFile { get; set; }

    /// <summary>settings.json had no <c>env</c> object before the installation.</summary>
    public bool CreatedEnv { get; set; }

    public List<KeyChange> Keys { get; set; } = [];
    public List<KeyChange> Env { get; set; } = [];
}

/// <summary>One key set by the installation: the value it wrote and the value it replaced, if there was one.</summary>
public sealed class KeyChange
{
    public required string Name { get; set; }
    public JsonNode? Installed { get; set; }
    public bool HadPrevious { get; set; }
    public JsonNode? Previous { get; set; }
}

/// <summary>
/// What the installation did to one AWS config section: appended it (with the separator written before it), or set
/// keys in a section that was already there (with the values they replaced).
/// </summary>
public sealed class AwsSectionEdit
{
    public required string Name { get; set; }
    /// <summary>True for records written before keys were tracked: those installations only ever appended sections.</summary>
    public bool Created { get; set; } = true;
    public string Separator { get; set; } = "";
    public List<AwsKeyChange> Keys { get; set; } = [];

    public static AwsSectionEdit From(IniEdit edit) => new()
    {
        Name = edit.Section,
        Created = edit.CreatedSection,
        Separator = edit.Separator,
        Keys = [.. edit.Changes.Select(c => new AwsKeyChange { Name = c.Key, Installed = c.Value, Previous = c.Previous })],
    };
}

/// <summary>A key set in an existing AWS config section; <see cref="Previous"/> is null when the key was added.</summary>
public sealed class AwsKeyChange
{
    public required string Name { get; set; }
    public required string Installed { get; set; }
    public string? Previous { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SetupRecord))]
internal sealed partial class SetupRecordJson : JsonSerializerContext;
