using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ccwb.UserSetup;

/// <summary>
/// What an installation changed in one user's files, kept so that the uninstallation takes out exactly that and
/// nothing the user had or has added since.
/// </summary>
public sealed class SetupRecord
{
    public SettingsChanges? Settings { get; set; }
    public List<AddedSection> AwsSections { get; set; } = [];

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
        Ccwb.Profiles.Store.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, SetupRecordJson.Default.SetupRecord) + "\n");
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

/// <summary>A section the installation appended to the AWS config file, and the separator written before it.</summary>
public sealed record AddedSection(string Name, string Separator);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SetupRecord))]
internal sealed partial class SetupRecordJson : JsonSerializerContext;
