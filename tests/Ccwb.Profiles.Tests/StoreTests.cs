using System.Text.Json.Nodes;
using Ccwb.Profiles.Store;
using Ccwb.Testing;

namespace Ccwb.Profiles.Tests;

/// <summary>The ~/.ccwb store, always under a temporary home.</summary>
public sealed class StoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 13, 0, 5, TimeSpan.Zero);
    private readonly TempDirectory _home = new("ccwb-home");
    private readonly ProfileStore _store;

    public StoreTests() => _store = new ProfileStore(_home.Path, new FixedClock(Now));

    public void Dispose() => _home.Dispose();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static DeploymentProfile Named(string name) => Examples.Load("okta-direct") with { Name = name };

    private string ConfigText => File.ReadAllText(_store.ConfigPath);

    [Fact]
    public void First_saved_profile_becomes_active_and_config_has_upstream_shape()
    {
        Assert.True(_store.Save(Named("acme-prod")).Succeeded);
        Assert.True(_store.Save(Named("acme-dev")).Succeeded);

        Assert.Equal("acme-prod", _store.ActiveProfile);
        var config = JsonNode.Parse(ConfigText)!.AsObject();
        Assert.Equal(["schema_version", "active_profile", "profiles_dir"], config.Select(p => p.Key));
        Assert.Equal("2.0", config["schema_version"]!.GetValue<string>());
        Assert.Equal(Path.Combine(_home.Path, ".ccwb", "profiles"), config["profiles_dir"]!.GetValue<string>());
    }

    [Fact]
    public void Save_stamps_updated_at_and_keeps_created_at()
    {
        _store.Save(Named("acme") with { CreatedAt = "2026-01-01T00:00:00+00:00" });

        var saved = _store.Load("acme").Profile!;
        Assert.Equal("2026-01-01T00:00:00+00:00", saved.CreatedAt);
        Assert.Equal("2026-11-25T13:00:05.000000+00:00", saved.UpdatedAt);
    }

    [Fact]
    public void Saved_profile_loads_back_equal_and_validated()
    {
        var profile = Examples.Load("google");
        _store.Save(profile);

        var loaded = _store.Load("google");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Messages));
        Assert.Equal(ProfileJson.Serialize(profile with { CreatedAt = loaded.Profile!.CreatedAt, UpdatedAt = loaded.Profile.UpdatedAt }),
            ProfileJson.Serialize(loaded.Profile));
    }

    [Fact]
    public void Profile_and_config_files_are_readable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        _store.Save(Named("acme"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_store.PathOf("acme")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_store.ConfigPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_store.StoreDirectory));
        Assert.Empty(Directory.GetFiles(_store.ProfilesDirectory, "*.tmp"));
    }

    [Fact]
    public void List_is_sorted_and_ignores_files_that_are_not_profiles()
    {
        _store.Save(Named("zeta"));
        _store.Save(Named("alpha"));
        File.WriteAllText(Path.Combine(_store.ProfilesDirectory, "notes.txt"), "x");
        File.WriteAllText(Path.Combine(_store.ProfilesDirectory, "bad name.json"), "{}");

        Assert.Equal(["alpha", "zeta"], _store.ListProfiles());
    }

    [Fact]
    public void Use_switches_the_active_profile()
    {
        _store.Save(Named("acme-prod"));
        _store.Save(Named("acme-dev"));

        Assert.True(_store.Use("acme-dev").Succeeded);
        Assert.Equal("acme-dev", _store.ActiveProfile);
        Assert.Equal("acme-dev", _store.LoadActive().Profile!.Name);
    }

    [Fact]
    public void Use_of_an_unknown_profile_fails_and_leaves_config_unchanged()
    {
        _store.Save(Named("acme-prod"));
        var before = ConfigText;

        var result = _store.Use("nope");

        Assert.Equal([$"profile: 'nope' not found in {_store.ProfilesDirectory}"], result.Errors.Select(e => e.ToString()));
        Assert.Equal(before, ConfigText);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Names_that_are_not_profile_names_are_refused_before_touching_files(string name)
    {
        Assert.False(_store.Load(name).Succeeded);
        Assert.False(_store.Use(name).Succeeded);
        var saved = _store.Save(Named(name));
        Assert.Equal($"name: Invalid profile name: {name}. Name must be alphanumeric with hyphens only, max 64 characters.",
            Assert.Single(saved.Errors).ToString());
        Assert.False(Directory.Exists(_store.StoreDirectory));
    }

    [Fact]
    public void Missing_profile_and_missing_active_profile_are_explained()
    {
        Assert.Equal($"profile: 'ghost' not found in {_store.ProfilesDirectory}", Assert.Single(_store.Load("ghost").Errors).ToString());
        Assert.StartsWith("profile: no active profile is set", Assert.Single(_store.LoadActive().Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_config_is_reported_and_not_overwritten()
    {
        _store.Save(Named("acme"));
        File.WriteAllText(_store.ConfigPath, "{broken");

        Assert.StartsWith($"{_store.ConfigPath}: cannot be read", Assert.Single(_store.LoadActive().Errors).ToString(), StringComparison.Ordinal);
        Assert.False(_store.Use("acme").Succeeded);
        Assert.Equal("{broken", ConfigText);
    }

    [Fact]
    public void Profiles_dir_from_config_is_honoured()
    {
        var elsewhere = _home.Combine("elsewhere");
        Directory.CreateDirectory(_store.StoreDirectory);
        File.WriteAllText(_store.ConfigPath, $$"""{"schema_version": "2.0", "active_profile": "acme", "profiles_dir": "{{elsewhere}}"}""");
        Directory.CreateDirectory(elsewhere);
        File.Copy(Examples.PathOf("okta-direct"), Path.Combine(elsewhere, "acme.json"));

        Assert.Equal(["acme"], _store.ListProfiles());
        Assert.Equal("okta-direct", _store.LoadActive().Profile!.Name);
    }

    // Legacy layout: source/.ccwb-config/config.json inside an upstream checkout.

    private string WriteLegacy(string json)
    {
        var path = _home.Combine("upstream", "source", ".ccwb-config", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private LegacyConfigMigration.Outcome? Migrate() =>
        LegacyConfigMigration.MigrateIfNeeded(_store, LegacyConfigMigration.CandidatesIn(_home.Combine("upstream")));

    [Fact]
    public void Legacy_config_is_migrated_once_with_a_timestamped_backup()
    {
        var legacy = WriteLegacy("""
            {"profiles": {
               "ClaudeCode": {"okta_domain": "acme.okta.com", "okta_client_id": "0oa1b2c3d4e5f6g7h8i9", "aws_region": "us-east-1", "identity_pool_name": "acme"},
               "Second": {"name": "Second", "provider_domain": "none", "client_id": "none", "aws_region": "us-west-2", "identity_pool_name": "second"}},
             "default_profile": "Second"}
            """);
        var original = File.ReadAllText(legacy);

        var outcome = Migrate();

        Assert.NotNull(outcome);
        Assert.Empty(outcome.Errors);
        Assert.Equal(["ClaudeCode", "Second"], outcome.Migrated);
        Assert.Equal(legacy + ".backup.20261125_130005", outcome.BackupPath);
        Assert.Equal(original, File.ReadAllText(outcome.BackupPath!));
        Assert.Equal("Second", _store.ActiveProfile);
        var migrated = _store.Load("ClaudeCode").Profile!;
        Assert.Equal(("acme.okta.com", "okta", "oidc"), (migrated.ProviderDomain, migrated.ProviderType, migrated.AuthType));
        Assert.Equal("none", _store.Load("Second").Profile!.AuthType);

        Assert.Null(Migrate());
    }

    [Fact]
    public void Legacy_config_without_default_profile_activates_ClaudeCode()
    {
        WriteLegacy("""{"profiles": {"ClaudeCode": {"provider_domain": "acme.okta.com"}}}""");
        Migrate();
        Assert.Equal("ClaudeCode", _store.ActiveProfile);
    }

    [Theory]
    [InlineData("""{"profiles": {"good": {"aws_region": "us-east-1"}, "bad": {"max_session_duration": "long"}}}""", "profiles.bad.max_session_duration: must be a whole number")]
    [InlineData("""{"profiles": {"Claude Code": {}}}""", "profiles.Claude Code.name: Invalid profile name: Claude Code. Name must be alphanumeric with hyphens only, max 64 characters.")]
    [InlineData("""{"profiles": {"p": []}}""", "profiles.p: must be a JSON object")]
    [InlineData("""{"default_profile": "p"}""", "{legacy}: has no \"profiles\" object")]
    [InlineData("""{"profiles": """, "{legacy}: not valid JSON")]
    public void Bad_legacy_config_is_reported_and_nothing_is_written(string json, string expected)
    {
        var legacy = WriteLegacy(json);

        var outcome = Migrate();

        Assert.NotNull(outcome);
        Assert.StartsWith(expected.Replace("{legacy}", legacy, StringComparison.Ordinal), Assert.Single(outcome.Errors).ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.StoreDirectory));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(legacy)!));
    }

    [Fact]
    public void No_legacy_file_means_nothing_to_do()
    {
        Assert.Null(Migrate());
        Assert.False(Directory.Exists(_store.StoreDirectory));
    }

    [Fact]
    public void Existing_store_is_never_overwritten_by_a_legacy_file()
    {
        _store.Save(Named("current"));
        WriteLegacy("""{"profiles": {"ClaudeCode": {}}}""");

        Assert.Null(Migrate());
        Assert.Equal(["current"], _store.ListProfiles());
    }
}
