using Ccwb.Profiles.Store;

namespace Ccwb.Cli;

/// <summary>Opens the current user's profile store, first moving profiles over from upstream's legacy layout if found.</summary>
internal static class StoreAccess
{
    public static ProfileStore Open(TextWriter output)
    {
        var store = ProfileStore.ForCurrentUser();
        var migration = LegacyConfigMigration.MigrateIfNeeded(store, LegacyConfigMigration.CandidatesIn(Environment.CurrentDirectory));
        if (migration is null) return store;
        if (migration.Errors.Count > 0)
        {
            // The commands still run on the stored profiles, so these are warnings.
            foreach (var error in migration.Errors)
                Findings.Warn(Console.Error, error.Field, $"the legacy configuration was not migrated: {error.Message}");
        }
        else
        {
            output.WriteLine($"Migrated {migration.Migrated.Count} profile(s) from the legacy configuration " +
                             $"(backup: {migration.BackupPath}).");
        }
        return store;
    }
}
