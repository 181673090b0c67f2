using System.Text.Json;
using Ccwb.Contract.Config;
using Ccwb.Contract.Install;
using K = Ccwb.Contract.Config.ConfigKeys;

namespace Ccwb.Credentials.Config;

/// <summary>
/// Finds and reads config.json: beside the executable first, then <c>~/claude-code-with-bedrock/config.json</c>.
/// Accepts the <c>{"profiles": {...}}</c> shape and the flat legacy shape, and maps legacy keys.
/// </summary>
/// <remarks>
/// Read with <see cref="JsonDocument"/> rather than a generated serializer because the file has two shapes, legacy
/// aliases and loosely typed values (<c>"azure_auth_mode": null</c>, numbers written as strings).
/// </remarks>
public static class ConfigLoader
{
    public const string FileName = "config.json";

    public static IReadOnlyList<string> CandidatePaths(string? executableDirectory, string home)
    {
        var paths = new List<string>(2);
        if (!string.IsNullOrEmpty(executableDirectory)) paths.Add(Path.Combine(executableDirectory, FileName));
        paths.Add(Path.Combine(InstallLocations.UserFolder(home), FileName));
        return paths;
    }

    /// <summary>
    /// The first candidate that exists, read and parsed, or a <see cref="ConfigException"/> naming every place looked at.
    /// </summary>
    /// <remarks>
    /// Opening the file is the existence test: a File.Exists beforehand would look the path up twice on every call,
    /// cached ones included.
    /// </remarks>
    public static ConfigFile LoadFirst(string? executableDirectory, string home)
    {
        var candidates = CandidatePaths(executableDirectory, home);
        foreach (var path in candidates)
        {
            // Checked first because a thrown exception costs the cached path more than the stat (the installed layout
            // often has config.json only in the second place).
            if (!File.Exists(path)) continue;
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { continue; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"cannot read {path}: {e.Message}", e);
            }
            return Parse(bytes, path);
        }
        throw new ConfigException(
            $"config.json not found. Looked in {string.Join(" and ", candidates)}. Reinstall the Claude Code " +
            "package from your administrator, or copy its config.json to one of those places.");
    }

    public static ConfigFile Parse(ReadOnlyMemory<byte> json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip,
            });
        }
        catch (JsonException e)
        {
            throw new ConfigException($"invalid config.json ({path}): {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ConfigException($"invalid config.json ({path}): the top level must be an object of profiles.");
            var container = root;
            if (root.TryGetProperty(K.ProfilesWrapper, out var wrapped))
            {
                if (wrapped.ValueKind != JsonValueKind.Object)
                    throw new ConfigException($"invalid config.json ({path}): \"profiles\" must be an object.");
                container = wrapped;
            }
            var profiles = new Dictionary<string, ProfileConfig>(StringComparer.Ordinal);
            foreach (var entry in container.EnumerateObject())
            {
                // Flat files may carry non-profile top-level values; only objects are profiles.
                if (entry.Value.ValueKind != JsonValueKind.Object) continue;
                profiles[entry.Name] = ReadProfile(entry.Name, entry.Value, path);
            }
            return new ConfigFile(path, profiles);
        }
    }

    private static ProfileConfig ReadProfile(string name, JsonElement p, string path)
    {
        var values = new ProfileReader(name, p, path);
        var roleArn = values.String(K.FederatedRoleArn);
        var federation = values.String(K.FederationType);
        if (federation.Length == 0) federation = roleArn.Length > 0 ? "direct" : "cognito";
        var poolId = values.String(K.IdentityPoolId);
        if (poolId.Length == 0 && roleArn.Length == 0) poolId = values.String(K.IdentityPoolName);
        var duration = values.Int(K.MaxSessionDuration);
        if (duration <= 0) duration = federation == "direct" ? 43200 : 28800;
        var providerType = values.String(K.ProviderType);

        return new ProfileConfig
        {
            Name = name,
            ProviderDomain = values.StringOrLegacy(K.ProviderDomain, K.OktaDomain),
            ClientId = values.StringOrLegacy(K.ClientId, K.OktaClientId),
            ProviderType = providerType.Length == 0 ? "auto" : providerType,
            AwsRegion = ProfileConfig.AwsRegionOrDefault(values.String(K.AwsRegion)),
            CredentialStorage = ProfileConfig.CredentialStorageOrDefault(values.String(K.CredentialStorage)),
            FederationType = federation,
            FederatedRoleArn = roleArn,
            IdentityPoolId = poolId,
            CognitoUserPoolId = values.String(K.CognitoUserPoolId),
            MaxSessionDuration = duration,
            RedirectPort = values.Int(K.RedirectPort) is > 0 and <= 65535 and var port ? port : ProfileConfig.DefaultRedirectPort,
            OidcPrompt = values.NullableString(K.OidcPrompt),
            AzureAuthMode = values.String(K.AzureAuthMode),
            ClientCertificatePath = values.String(K.ClientCertificatePath),
            ClientCertificateKeyPath = values.String(K.ClientCertificateKeyPath),
            ClientSecret = values.String(K.ClientSecret),
            OktaAuthServerId = values.StringOrLegacy(K.OktaAuthServerId, K.OktaAuthServer).Trim(),
            OidcAuthorizationEndpoint = values.String(K.OidcAuthorizationEndpoint),
            OidcTokenEndpoint = values.String(K.OidcTokenEndpoint),
            // Upstream and every install it wrote name the issuer oidc_issuer_url.
            OidcIssuer = values.StringOrLegacy(K.OidcIssuerUrl, K.OidcIssuer),
            OidcJwksUri = values.String(K.OidcJwksUri),
            SsoEnabled = values.Bool(K.SsoEnabled) ?? true,
            AuthType = values.String(K.AuthType),
            IdcStartUrl = values.String(K.IdcStartUrl),
            IdcAccountId = values.String(K.IdcAccountId).Trim(),
            IdcPermissionSetName = values.String(K.IdcPermissionSetName).Trim(),
            IdcRegion = values.StringOrDefault(K.IdcRegion, ProfileConfig.AwsRegionOrDefault(values.String(K.AwsRegion))),
            CostAttributionTagKey = values.StringOrDefault(K.CostAttributionTagKey, "Project"),
            QuotaApiEndpoint = values.String(K.QuotaApiEndpoint).Trim(),
            QuotaFailMode = values.StringOrDefault(K.QuotaFailMode, "open"),
            QuotaCheckIntervalMinutes = ProfileConfig.QuotaCheckIntervalOrDefault(values.Has(K.QuotaCheckInterval) ? values.Int(K.QuotaCheckInterval) : null),
            QuotaCheckTimeoutSeconds = values.Int(K.QuotaCheckTimeout) is > 0 and var timeout ? timeout : 5,
            DailyEnforcementMode = values.String(K.DailyEnforcementMode),
            MonthlyEnforcementMode = values.String(K.MonthlyEnforcementMode),
            EnableFinegrainedQuotas = values.Bool(K.EnableFinegrainedQuotas) ?? false,
            MonitoringEnabled = values.Bool(K.MonitoringEnabled) ?? false,
            MonitoringMode = values.String(K.MonitoringMode),
            OtelCollectorEndpoint = values.String(K.OtelCollectorEndpoint),
            BootstrapEndpoint = values.String(K.BootstrapEndpoint),
            ConfigDeliveryMode = values.String(K.ConfigDeliveryMode),
        };
    }

    /// <summary>Typed access to one profile object; a value of the wrong type is a config error naming the key.</summary>
    private readonly struct ProfileReader(string profile, JsonElement element, string path)
    {
        public string String(ConfigKey key) => NullableString(key) ?? "";

        /// <summary>The key's value, or when that is empty the value under its older name.</summary>
        public string StringOrLegacy(ConfigKey key, ConfigKey legacy)
        {
            var value = String(key);
            return value.Length > 0 ? value : String(legacy);
        }

        public string StringOrDefault(ConfigKey key, string fallback)
        {
            var value = String(key);
            return value.Length > 0 ? value : fallback;
        }

        public string? NullableString(ConfigKey key)
        {
            if (!element.TryGetProperty(key.Name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw WrongType(key, "a string");
        }

        public bool Has(ConfigKey key) => element.TryGetProperty(key.Name, out var v) && v.ValueKind != JsonValueKind.Null;

        public int Int(ConfigKey key)
        {
            if (!element.TryGetProperty(key.Name, out var v) || v.ValueKind == JsonValueKind.Null) return 0;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
            if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), System.Globalization.CultureInfo.InvariantCulture, out n)) return n;
            throw WrongType(key, "a whole number");
        }

        public bool? Bool(ConfigKey key)
        {
            if (!element.TryGetProperty(key.Name, out var v)) return null;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => throw WrongType(key, "true or false"),
            };
        }

        private ConfigException WrongType(ConfigKey key, string expected) =>
            new($"invalid config.json ({path}): \"{key.Name}\" of profile \"{profile}\" must be {expected}.");
    }
}

/// <summary>The profiles of one config.json.</summary>
public sealed record ConfigFile(string Path, IReadOnlyDictionary<string, ProfileConfig> Profiles)
{
    public ProfileConfig Get(string name) =>
        Profiles.TryGetValue(name, out var profile)
            ? profile
            : throw new ConfigException(
                $"profile \"{name}\" not found in configuration ({Path}). Available profiles: " +
                (Profiles.Count == 0 ? "none" : string.Join(", ", Profiles.Keys.Order(StringComparer.Ordinal))) +
                ". Pass one with --profile.");
}
