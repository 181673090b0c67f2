using System.Globalization;
using System.Text.Json;
using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Config;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;

namespace Ccwb.CredentialProcess.Front;

/// <summary>
/// The one call the front answers itself, the one AWS tools make on nearly every request: no flag but the profile,
/// session storage, cached credentials that the full helper would print as they are, and no quota check due. Every
/// rule is the full helper's, through the same library code (argument parser, profile selection, config.json's
/// places, credentials file, freshness margin, quota state); only config.json is read differently (see
/// <see cref="ReadConfig"/>). Null means "not certain to be exactly the full helper's answer": the caller then hands
/// the call over, so anything unusual (another flag, debug output, keyring or passthrough profiles, a config error,
/// stale credentials, a quota check due, a value that is not ASCII) costs a hand-over, never a different answer.
/// </summary>
/// <remarks>
/// The cached path writes nothing in the full helper either: a write only follows a sign-in, a mint or a quota check,
/// all of which are handed over.
/// </remarks>
internal static class CachedPath
{
    private static readonly JsonReaderOptions ConfigOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// The line the full helper would print for these arguments (the credentials, or with <c>--desktop</c> the desktop
    /// token it handed out before for the same credentials), or null to hand over.
    /// </summary>
    public static string? TryAnswer(string[] args)
    {
        var commandLine = ShippedPrograms.CredentialProcess.Parse(args);
        if (commandLine.Error is not null || commandLine.Positionals.Count > 0) return null;
        foreach (var flag in commandLine.GivenFlags)
            if (flag.Name is not ("profile" or "desktop")) return null;
        // Debug lines are the full helper's to write.
        if (Environment.GetEnvironmentVariable("COGNITO_AUTH_DEBUG") is not null) return null;

        var ccwbProfile = Environment.GetEnvironmentVariable("CCWB_PROFILE");
        var name = ProfileSelector.Resolve(commandLine.Value("p"), commandLine.Value("profile"), ccwbProfile);
        if (!ProfileNames.IsValid(name)) return null;
        var paths = SessionPaths.ForCurrentUser();
        if (ReadConfig(Path.GetDirectoryName(Environment.ProcessPath), paths.Home) is not { } configFile) return null;
        name = ProfileSelector.ApplySoleProfile(name, ccwbProfile, configFile);
        if (!ProfileNames.IsValid(name) || !configFile.Profiles.TryGetValue(name, out var config)) return null;
        if (config.IsPassthrough || config.UsesKeyring) return null;

        // OIDC and IAM Identity Center profiles share the cached path (CredentialCommands / IdentityCenterCommands).
        var now = TimeProvider.System.GetUtcNow();
        var cache = new SessionCredentialCache(paths);
        var credentials = cache.ReadCredentials(config.Name);
        if (!CredentialOutput.IsServableFromCache(credentials, now) || QuotaGate.DueOnCachedPath(config, paths.Home, now)) return null;
        if (!commandLine.Has("desktop")) return CredentialOutput.FormatAscii(credentials!);
        // --desktop with fresh credentials (DesktopCommand): the token made from them, while it is as good as a new one.
        var token = cache.ReadDesktopToken(config.Name);
        return token is not null && BedrockBearerToken.IsCurrentFor(token, credentials!, config.AwsRegion, now) ? BedrockBearerToken.DesktopJson(token) : null;
    }

    /// <summary>The first config.json of <see cref="ConfigLoader.CandidatePaths"/>, or null (none, or in any doubt).</summary>
    private static ConfigFile? ReadConfig(string? programDirectory, string home)
    {
        foreach (var path in ConfigLoader.CandidatePaths(programDirectory, home))
            if (File.Exists(path)) return ParseConfig(File.ReadAllBytes(path), path);
        return null;
    }

    /// <summary>
    /// config.json as <see cref="ConfigLoader.Parse"/> reads it (both shapes, the same reader options), but only the
    /// values the cached path decides on are kept. Null where the full helper would refuse the file (a value of the
    /// wrong type in any profile it reads) and where it is merely unusual (a repeated key or profile name).
    /// </summary>
    /// <remarks>
    /// Read with <see cref="Utf8JsonReader"/>, not <see cref="JsonDocument"/> or a serializer: the front exists to start
    /// fast, and <c>JsonSerializer</c> (even source-generated) or the document model link enough type metadata to cost
    /// the native binary several times its whole cached call at start-up.
    /// </remarks>
    internal static ConfigFile? ParseConfig(byte[] json, string path)
    {
        var reader = new Utf8JsonReader(json, ConfigOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        var flat = new Dictionary<string, ProfileConfig?>(StringComparer.Ordinal);
        Dictionary<string, ProfileConfig?>? wrapped = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!reader.Read()) return null;
            if (name == ConfigKeys.ProfilesWrapper)
            {
                if (wrapped is not null || reader.TokenType != JsonTokenType.StartObject) return null;
                wrapped = ReadProfiles(ref reader);
                if (wrapped is null) return null;
            }
            // Flat files may carry non-profile top-level values; only objects are profiles.
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (!flat.TryAdd(name, ReadProfile(ref reader, name))) return null;
            }
            else reader.Skip();
        }
        // Anything after the top-level object is an error (the reader throws, and the caller hands over).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;

        var profiles = new Dictionary<string, ProfileConfig>(StringComparer.Ordinal);
        foreach (var (name, profile) in wrapped ?? flat)
        {
            if (profile is null) return null;
            profiles[name] = profile;
        }
        return new ConfigFile(path, profiles);
    }

    private static Dictionary<string, ProfileConfig?>? ReadProfiles(ref Utf8JsonReader reader)
    {
        var profiles = new Dictionary<string, ProfileConfig?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!reader.Read()) return null;
            if (reader.TokenType != JsonTokenType.StartObject) reader.Skip();
            else if (!profiles.TryAdd(name, ReadProfile(ref reader, name))) return null;
        }
        return profiles;
    }

    /// <summary>
    /// One profile with the keys of the cached path set as <see cref="ConfigLoader"/> derives them (the other
    /// properties keep their defaults and are not used); null when any key of the catalogue has a value of another type
    /// or appears twice. Leaves the reader on the profile's end.
    /// </summary>
    private static ProfileConfig? ReadProfile(ref Utf8JsonReader reader, string name)
    {
        string? authType = null, idcStartUrl = null, storage = null, quotaEndpoint = null, region = null;
        bool? ssoEnabled = null;
        int? quotaInterval = null;
        var valid = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (!reader.Read()) return null;
            if (Find(key) is not { } known)
            {
                reader.Skip();
                continue;
            }
            if (!seen.Add(key)) valid = false;
            var token = reader.TokenType;
            string? text = null;
            int? number = null;
            bool? flag = null;
            switch (known.Kind)
            {
                case ConfigValueKind.Text or ConfigValueKind.NullableText:
                    if (token == JsonTokenType.String) text = reader.GetString();
                    else if (token != JsonTokenType.Null) valid = false;
                    break;
                case ConfigValueKind.WholeNumber:
                    if (token == JsonTokenType.Number && reader.TryGetInt32(out var n)) number = n;
                    else if (token == JsonTokenType.String && int.TryParse(reader.GetString(), CultureInfo.InvariantCulture, out n)) number = n;
                    else if (token != JsonTokenType.Null) valid = false;
                    break;
                case ConfigValueKind.Boolean:
                    if (token is JsonTokenType.True or JsonTokenType.False) flag = token == JsonTokenType.True;
                    else if (token != JsonTokenType.Null) valid = false;
                    break;
            }
            reader.Skip();
            if (known == ConfigKeys.AuthType) authType = text;
            else if (known == ConfigKeys.IdcStartUrl) idcStartUrl = text;
            else if (known == ConfigKeys.CredentialStorage) storage = text;
            else if (known == ConfigKeys.QuotaApiEndpoint) quotaEndpoint = text;
            else if (known == ConfigKeys.AwsRegion) region = text;
            else if (known == ConfigKeys.SsoEnabled) ssoEnabled = flag;
            else if (known == ConfigKeys.QuotaCheckInterval) quotaInterval = number;
        }
        if (!valid) return null;
        return new ProfileConfig
        {
            Name = name,
            AuthType = authType ?? "",
            SsoEnabled = ssoEnabled ?? true,
            IdcStartUrl = idcStartUrl ?? "",
            CredentialStorage = ProfileConfig.CredentialStorageOrDefault(storage),
            AwsRegion = ProfileConfig.AwsRegionOrDefault(region),
            QuotaApiEndpoint = (quotaEndpoint ?? "").Trim(),
            QuotaCheckIntervalMinutes = ProfileConfig.QuotaCheckIntervalOrDefault(quotaInterval),
        };
    }

    private static ConfigKey? Find(string name)
    {
        foreach (var key in ConfigKeys.All)
            if (key.Name == name) return key;
        return null;
    }
}
