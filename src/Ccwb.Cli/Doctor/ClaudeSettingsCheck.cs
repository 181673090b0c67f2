using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Contract.Files;
using Ccwb.Contract.Install;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// Claude Code's settings (the user's settings.json or the machine's managed-settings.json) send it to Bedrock and
/// run installed programs: no placeholder left unreplaced, no command naming a missing file.
/// </summary>
internal sealed class ClaudeSettingsCheck : IDiagnostic
{
    private const string Reinstall = "Run the installer again: it writes Claude Code's settings with the installed paths.";

    /// <summary>The settings that run a program, as the package writes them.</summary>
    private static readonly string[] CommandKeys = ["awsAuthRefresh", "awsCredentialExport", "otelHeadersHelper"];

    public string Name => "claude code settings";

    public DiagnosticResult Run(DoctorContext context)
    {
        var files = new[] { InstallLocations.ManagedClaudeSettings(), InstallLocations.UserClaudeSettings(context.Home) }.Where(File.Exists).ToList();
        if (files.Count == 0)
            return DiagnosticResult.Fail($"neither {InstallLocations.UserClaudeSettings(context.Home)} nor {InstallLocations.ManagedClaudeSettings()} exists", Reinstall);
        var bedrock = new List<string>();
        foreach (var file in files)
        {
            string text;
            JsonObject? settings;
            try
            {
                text = File.ReadAllText(file);
                settings = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return DiagnosticResult.Fail($"{file} cannot be read: {e.Message}", "Make the file readable by you.");
            }
            catch (JsonException e)
            {
                return DiagnosticResult.Fail($"{file} is not valid JSON: {e.Message}", "Correct the file (Claude Code ignores it as it is), or remove it and run the installer again.");
            }
            if (settings is null) return DiagnosticResult.Fail($"{file} is not a JSON object", Reinstall);
            foreach (var (placeholder, _) in InstallPlaceholders.Programs)
                if (text.Contains(placeholder, StringComparison.Ordinal))
                    return DiagnosticResult.Fail($"{file} still holds the placeholder {placeholder}", Reinstall);
            var env = settings["env"] as JsonObject;
            foreach (var (key, command) in Commands(settings, env))
            {
                var program = CommandLineWords.Program(command);
                if (Path.IsPathRooted(program) && !File.Exists(program))
                    return DiagnosticResult.Fail($"{key} in {file} runs {program}, which does not exist", Reinstall);
            }
            if (Text(env?["CLAUDE_CODE_USE_BEDROCK"]) == "1") bedrock.Add(file);
        }
        return bedrock.Count == 0
            ? DiagnosticResult.Fail($"{string.Join(" and ", files)} do not set CLAUDE_CODE_USE_BEDROCK=1, so Claude Code does not use Bedrock", Reinstall)
            : DiagnosticResult.Pass($"{string.Join(" and ", bedrock)} {(bedrock.Count == 1 ? "sends" : "send")} Claude Code to Bedrock");
    }

    private static IEnumerable<(string Key, string Command)> Commands(JsonObject settings, JsonObject? env)
    {
        foreach (var key in CommandKeys)
            if (Text(settings[key]) is { Length: > 0 } command) yield return (key, command);
        if (Text(env?["AWS_CREDENTIAL_PROCESS"]) is { Length: > 0 } process) yield return ("env.AWS_CREDENTIAL_PROCESS", process);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
