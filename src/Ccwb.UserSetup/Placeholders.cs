using System.Text.Json.Nodes;
using Ccwb.Contract.Install;

namespace Ccwb.UserSetup;

/// <summary>
/// Replaces the path placeholders of the rendered settings with the installed paths, in string values only (so a path
/// never needs JSON escaping by hand), as upstream's install.bat resolves them against %USERPROFILE%.
/// </summary>
public static class Placeholders
{
    public static JsonObject Resolve(JsonObject settings, string installDirectory)
    {
        // install.bat's forms: the helper with forward slashes, otel-helper with backslashes. otel-helper.exe is run
        // directly: it starts fast enough that upstream's otel-helper.cmd wrapper has nothing to add.
        var credentialProcess = InstalledFile(installDirectory, "credential-process.exe").Replace('\\', '/');
        var otelHelper = InstalledFile(installDirectory, "otel-helper.exe");
        return (JsonObject)Replace(settings, value => InstallPlaceholders.ResolvePrograms(value,
            program => program == "credential-process" ? credentialProcess : otelHelper))!;
    }

    /// <summary>A file in the install folder, joined with a backslash: the paths written are Windows paths.</summary>
    public static string InstalledFile(string installDirectory, string fileName) =>
        installDirectory.TrimEnd('\\', '/') + "\\" + fileName;

    private static JsonNode? Replace(JsonNode? node, Func<string, string> replace) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Replace(p.Value, replace)))),
        JsonArray array => new JsonArray([.. array.Select(item => Replace(item, replace))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(replace(text)),
        _ => node?.DeepClone(),
    };
}
