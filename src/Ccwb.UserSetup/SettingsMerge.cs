using System.Text.Json.Nodes;

namespace Ccwb.UserSetup;

/// <summary>
/// The merge upstream's install.bat performs on a user's settings.json, and its exact reverse: incoming top-level keys
/// replace the user's, <c>env</c> is merged key by key, and every other key is kept.
/// </summary>
public static class SettingsMerge
{
    private const string Env = "env";

    /// <summary>Merges <paramref name="incoming"/> into <paramref name="settings"/> and returns what changed.</summary>
    public static SettingsChanges Apply(JsonObject settings, JsonObject incoming, bool createdFile)
    {
        var changes = new SettingsChanges { CreatedFile = createdFile };
        foreach (var (name, value) in incoming)
        {
            if (name == Env && value is JsonObject incomingEnv && settings[Env] is JsonObject or null)
            {
                if (settings[Env] is not JsonObject env)
                {
                    changes.CreatedEnv = !settings.ContainsKey(Env);
                    env = [];
                    settings[Env] = env;
                }
                foreach (var (key, envValue) in incomingEnv) changes.Env.Add(Set(env, key, envValue));
            }
            else
            {
                changes.Keys.Add(Set(settings, name, value));
            }
        }
        return changes;
    }

    /// <summary>
    /// Takes out what <see cref="Apply"/> changed: a key still holding the installed value gets its previous value back,
    /// or goes if it had none; a key the user has changed since is left as it is.
    /// </summary>
    /// <returns>Whether nothing is left of a file the installation created (so that the file can go too).</returns>
    public static bool Revert(JsonObject settings, SettingsChanges changes)
    {
        foreach (var change in changes.Keys) Restore(settings, change);
        if (settings[Env] is JsonObject env)
        {
            foreach (var change in changes.Env) Restore(env, change);
            if (changes.CreatedEnv && env.Count == 0) settings.Remove(Env);
        }
        return changes.CreatedFile && settings.Count == 0;
    }

    private static KeyChange Set(JsonObject target, string name, JsonNode? value)
    {
        var change = new KeyChange { Name = name, Installed = value?.DeepClone(), HadPrevious = target.ContainsKey(name) };
        if (change.HadPrevious) change.Previous = target[name]?.DeepClone();
        target[name] = value?.DeepClone();
        return change;
    }

    private static void Restore(JsonObject target, KeyChange change)
    {
        if (!target.TryGetPropertyValue(change.Name, out var current) || !JsonNode.DeepEquals(current, change.Installed)) return;
        if (change.HadPrevious) target[change.Name] = change.Previous?.DeepClone();
        else target.Remove(change.Name);
    }
}
