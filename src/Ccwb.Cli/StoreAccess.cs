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
            output.WriteLine("Legacy configuration found but not migrated:");
            foreach (var error in migration.Errors) output.WriteLine($"  {error}");
        }
        else
        {
            output.WriteLine($"Migrated {migration.Migrated.Count} profile(s) from the legacy configuration " +
                             $"(backup: {migration.BackupPath}).");
        }
        return store;
    }
}
