using System.Globalization;
using System.Text.Json;
using Ccwb.Contract.Config;
using Ccwb.Contract.Files;

namespace Ccwb.Profiles.Store;

/// <summary>
/// The profiles of one administrator: <c>&lt;home&gt;/.ccwb/profiles/&lt;name&gt;.json</c> plus <c>&lt;home&gt;/.ccwb/config.json</c>
/// naming the active profile, the same layout upstream uses, so an existing <c>~/.ccwb</c> works unchanged.
/// </summary>
public sealed class ProfileStore
{
    private const string SchemaVersion = "2.0";
    private readonly TimeProvider _clock;

    /// <param name="homeDirectory">The directory holding <c>.ccwb</c> (the user's home; a temporary folder in tests).</param>
    public ProfileStore(string homeDirectory, TimeProvider? clock = null)
    {
        HomeDirectory = Path.GetFullPath(homeDirectory);
        _clock = clock ?? TimeProvider.System;
    }

    public static ProfileStore ForCurrentUser() => new(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public string HomeDirectory { get; }

    public string StoreDirectory => Path.Combine(HomeDirectory, ".ccwb");

    public string ConfigPath => Path.Combine(StoreDirectory, "config.json");

    /// <summary>Where profiles live: <c>profiles_dir</c> from config.json if set, else <c>.ccwb/profiles</c>.</summary>
    public string ProfilesDirectory
    {
        get
        {
            var configured = ReadConfig().Config?.ProfilesDir;
            return string.IsNullOrWhiteSpace(configured) ? DefaultProfilesDirectory : Path.GetFullPath(configured, StoreDirectory);
        }
    }

    private string DefaultProfilesDirectory => Path.Combine(StoreDirectory, "profiles");

    /// <summary>config.json, or null when there is none yet; a broken file is reported, not thrown.</summary>
    public (StoreConfig? Config, ProfileMessage? Error) ReadConfig()
    {
        if (!File.Exists(ConfigPath)) return (null, null);
        try
        {
            var config = JsonSerializer.Deserialize<StoreConfig>(File.ReadAllText(ConfigPath));
            return config is null ? (null, new ProfileMessage(ConfigPath, "must be a JSON object")) : (config, null);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return (null, new ProfileMessage(ConfigPath, "cannot be read: " + e.Message));
        }
    }

    public string? ActiveProfile => ReadConfig().Config?.ActiveProfile is { Length: > 0 } name ? name : null;

    /// <summary>Names of the stored profiles, sorted.</summary>
    public IReadOnlyList<string> ListProfiles()
    {
        var directory = ProfilesDirectory;
        if (!Directory.Exists(directory)) return [];
        return [.. Directory.EnumerateFiles(directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(IsValidName)
            .Order(StringComparer.Ordinal)];
    }

    public bool Exists(string name) => IsValidName(name) && File.Exists(PathOf(name));

    public string PathOf(string name) => Path.Combine(ProfilesDirectory, name + ".json");

    /// <summary>Loads and validates a stored profile.</summary>
    public ProfileLoadResult Load(string name)
    {
        if (!IsValidName(name)) return Failed("profile", NameMessage(name));
        // PathOf reads config.json (profiles_dir); resolve it once.
        var path = PathOf(name);
        if (!File.Exists(path)) return Failed("profile", $"'{name}' not found in {ProfilesDirectory}");
        return ProfileLoader.LoadFile(path);
    }

    /// <summary>Loads the active profile, or explains that none is set.</summary>
    public ProfileLoadResult LoadActive()
    {
        var (config, error) = ReadConfig();
        if (error is not null) return new ProfileLoadResult(null, [error]);
        return config?.ActiveProfile is { Length: > 0 } name ? Load(name) : Failed("profile", "no active profile is set: run 'ccwb context use <name>' or pass --profile / --profile-file");
    }

    /// <summary>
    /// Writes a profile (atomically, owner-only), stamping <c>updated_at</c> (and <c>created_at</c> the first time).
    /// The first profile saved becomes the active one, as upstream does.
    /// </summary>
    public StoreResult Save(DeploymentProfile profile)
    {
        if (!IsValidName(profile.Name)) return StoreResult.Fail("name", NameMessage(profile.Name));
        var (config, error) = ReadConfig();
        if (error is not null) return new StoreResult([error]);

        var now = _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
        var stamped = profile with { CreatedAt = profile.CreatedAt ?? now, UpdatedAt = now };
        AtomicFile.WriteAllText(PathOf(profile.Name), ProfileJson.Serialize(stamped));
        if (config?.ActiveProfile is not { Length: > 0 }) WriteConfig(profile.Name, config?.ProfilesDir);
        return StoreResult.Ok;
    }

    /// <summary>Makes a stored profile the active one.</summary>
    public StoreResult Use(string name)
    {
        if (!Exists(name)) return StoreResult.Fail("profile", $"'{name}' not found in {ProfilesDirectory}");
        var (config, error) = ReadConfig();
        if (error is not null) return new StoreResult([error]);
        WriteConfig(name, config?.ProfilesDir);
        return StoreResult.Ok;
    }

    internal void WriteConfig(string? activeProfile, string? profilesDir = null)
    {
        var config = new StoreConfig(SchemaVersion, activeProfile, profilesDir ?? DefaultProfilesDirectory);
        AtomicFile.WriteAllText(ConfigPath, JsonSerializer.Serialize(config, ProfileJson.Options) + "\n");
    }

    internal TimeProvider Clock => _clock;

    internal static bool IsValidName(string? name) => ProfileNames.IsValid(name);

    internal static string NameMessage(string? name) =>
        $"Invalid profile name: {name}. Name must be alphanumeric with hyphens only, max 64 characters.";

    private static ProfileLoadResult Failed(string field, string message) => new(null, [new ProfileMessage(field, message)]);
}
