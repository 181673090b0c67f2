using System.Globalization;
using System.Text.Json.Nodes;
using Ccwb.Profiles.Loading;

namespace Ccwb.Profiles.Store;

/// <summary>
/// Moves profiles from upstream's first layout, <c>source/.ccwb-config/config.json</c>
/// (<c>{"profiles": {name: {...}}, "default_profile": name}</c>), into the store, keeping a timestamped backup of
/// the old file. Runs only while the store has no config.json, so it happens once.
/// </summary>
public static class LegacyConfigMigration
{
    /// <summary>Upstream's default profile name in the legacy layout.</summary>
    public const string DefaultProfileName = "ClaudeCode";

    public sealed record Outcome(IReadOnlyList<string> Migrated, string? BackupPath, IReadOnlyList<ProfileMessage> Errors);

    /// <summary>Legacy files looked for: relative to an upstream checkout root or its <c>source</c> folder.</summary>
    public static IReadOnlyList<string> CandidatesIn(string directory) =>
    [
        Path.Combine(directory, "source", ".ccwb-config", "config.json"),
        Path.Combine(directory, ".ccwb-config", "config.json"),
    ];

    /// <summary>
    /// Migrates the first legacy file that exists, if the store has no config.json yet; null when there was nothing to do.
    /// Every legacy profile is checked before anything is written, so a bad one leaves the store untouched.
    /// </summary>
    public static Outcome? MigrateIfNeeded(ProfileStore store, IEnumerable<string> candidates)
    {
        if (File.Exists(store.ConfigPath)) return null;
        var legacyPath = candidates.FirstOrDefault(File.Exists);
        if (legacyPath is null) return null;

        string text;
        try
        {
            text = File.ReadAllText(legacyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed(legacyPath, "cannot be read: " + e.Message);
        }
        if (ProfileLoader.ParseObject(text, out var parseError) is not { } document) return Failed(legacyPath, parseError!);
        if (document["profiles"] is not JsonObject profiles) return Failed(legacyPath, "has no \"profiles\" object");

        var loaded = new List<DeploymentProfile>();
        var errors = new List<ProfileMessage>();
        foreach (var (name, node) in profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (node is not JsonObject)
            {
                errors.Add(new ProfileMessage($"profiles.{name}", "must be a JSON object"));
                continue;
            }
            var result = ProfileLoader.Read(node.ToJsonString(), name);
            if (result.Profile is not null && !ProfileStore.IsValidName(result.Profile.Name))
                errors.Add(new ProfileMessage($"profiles.{name}.name", ProfileStore.NameMessage(result.Profile.Name)));
            else if (result.Profile is null) errors.AddRange(result.Errors.Select(e => e with { Field = $"profiles.{name}.{e.Field}" }));
            else loaded.Add(result.Profile);
        }
        if (errors.Count > 0) return new Outcome([], null, errors);

        var backup = $"{legacyPath}.backup.{store.Clock.GetUtcNow().ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}";
        File.Copy(legacyPath, backup, overwrite: false);
        foreach (var profile in loaded)
        {
            var saved = store.Save(profile);
            if (!saved.Succeeded) return new Outcome([], backup, saved.Errors);
        }
        var active = ProfileMigrations.StringOf(document["default_profile"]) ?? DefaultProfileName;
        store.WriteConfig(active);
        return new Outcome([.. loaded.Select(p => p.Name)], backup, []);
    }

    private static Outcome Failed(string path, string message) => new([], null, [new ProfileMessage(path, message)]);
}
