using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Contract.Files;
using Ccwb.Profiles.Store;

namespace Ccwb.Cli.Init;

/// <summary>
/// The answers of an unfinished <c>ccwb init</c>, kept in <c>~/.ccwb/init-progress/&lt;profile&gt;.json</c> (owner-only,
/// written atomically after every answer) so an interrupted wizard resumes where it stopped; removed once the profile
/// is written. Completed steps are recorded by their marker and skipped on resume with the same marker (upstream saved
/// <c>oidc_complete</c> but looked for <c>okta_complete</c>, so it never skipped the authentication step).
/// </summary>
internal sealed class InitProgress(ProfileStore store, string profileName)
{
    public string PathName { get; } = Path.Combine(store.StoreDirectory, "init-progress", profileName + ".json");

    public JsonObject Answers { get; private set; } = [];

    public List<string> CompletedSteps { get; } = [];

    public bool IsComplete(string marker) => CompletedSteps.Contains(marker, StringComparer.Ordinal);

    /// <summary>Reads the saved progress; false when there is none or it cannot be used (it is then ignored, not fatal).</summary>
    public bool TryLoad(out string? problem)
    {
        problem = null;
        if (!File.Exists(PathName)) return false;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(PathName)) is not JsonObject saved || saved["answers"] is not JsonObject answers)
            {
                problem = "is not a saved wizard state";
                return false;
            }
            Answers = (JsonObject)answers.DeepClone();
            CompletedSteps.Clear();
            if (saved["completed_steps"] is JsonArray steps)
                CompletedSteps.AddRange(steps.Select(s => s?.GetValue<string>()).OfType<string>());
            return true;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            problem = e.Message;
            return false;
        }
    }

    public void Save(JsonObject answers)
    {
        Answers = answers;
        var state = new JsonObject
        {
            ["profile"] = Path.GetFileNameWithoutExtension(PathName),
            ["completed_steps"] = new JsonArray([.. CompletedSteps.Select(s => (JsonNode)s)]),
            ["answers"] = answers.DeepClone(),
        };
        try
        {
            AtomicFile.WriteAllText(PathName, state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Progress is a convenience: the wizard goes on, and says once that an interruption would lose the answers.
            if (!_saveFailed) Findings.Warn(Console.Error, "progress", $"cannot save the answers to {PathName} ({e.Message}); an interrupted run starts over");
            _saveFailed = true;
        }
    }

    private bool _saveFailed;

    public void MarkComplete(string marker, JsonObject answers)
    {
        if (!IsComplete(marker)) CompletedSteps.Add(marker);
        Save(answers);
    }

    public void Delete() => AtomicFile.TryDelete(PathName);
}
