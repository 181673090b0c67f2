using System.Text.Json;

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
    public const string InstallFolderName = "claude-code-with-bedrock";

    public static IReadOnlyList<string> CandidatePaths(string? executableDirectory, string home)
    {
        var paths = new List<string>(2);
        if (!string.IsNullOrEmpty(executableDirectory)) paths.Add(Path.Combine(executableDirectory, FileName));
        paths.Add(Path.Combine(home, InstallFolderName, FileName));
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
            if (root.TryGetProperty("profiles", out var wrapped))
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
        var roleArn = values.String("federated_role_arn");
        var federation = values.String("federation_type");
        if (federation.Length == 0) federation = roleArn.Length > 0 ? "direct" : "cognito";
        var poolId = values.String("identity_pool_id");
        if (poolId.Length == 0 && roleArn.Length == 0) poolId = values.String("identity_pool_name");
        var duration = values.Int("max_session_duration");
        if (duration <= 0) duration = federation == "direct" ? 43200 : 28800;
        var authServer = values.String("okta_auth_server_id");
        if (authServer.Length == 0) authServer = values.String("okta_auth_server");
        var providerType = values.String("provider_type");

        return new ProfileConfig
        {
            Name = name,
            ProviderDomain = values.StringOr("provider_domain", "okta_domain"),
            ClientId = values.StringOr("client_id", "okta_client_id"),
            ProviderType = providerType.Length == 0 ? "auto" : providerType,
            AwsRegion = values.StringOrDefault("aws_region", "us-east-1"),
            CredentialStorage = values.StringOrDefault("credential_storage", "session"),
            FederationType = federation,
            FederatedRoleArn = roleArn,
            IdentityPoolId = poolId,
            CognitoUserPoolId = values.String("cognito_user_pool_id"),
            MaxSessionDuration = duration,
            RedirectPort = values.Int("redirect_port") is > 0 and <= 65535 and var port ? port : ProfileConfig.DefaultRedirectPort,
            OidcPrompt = values.NullableString("oidc_prompt"),
            AzureAuthMode = values.String("azure_auth_mode"),
            ClientCertificatePath = values.String("client_certificate_path"),
            ClientCertificateKeyPath = values.String("client_certificate_key_path"),
            ClientSecret = values.String("client_secret"),
            OktaAuthServerId = authServer.Trim(),
            OidcAuthorizationEndpoint = values.String("oidc_authorization_endpoint"),
            OidcTokenEndpoint = values.String("oidc_token_endpoint"),
            OidcIssuer = values.String("oidc_issuer"),
            OidcJwksUri = values.String("oidc_jwks_uri"),
            SsoEnabled = values.Bool("sso_enabled") ?? true,
            AuthType = values.String("auth_type"),
            IdcStartUrl = values.String("idc_start_url"),
        };
    }

    /// <summary>Typed access to one profile object; a value of the wrong type is a config error naming the key.</summary>
    private readonly struct ProfileReader(string profile, JsonElement element, string path)
    {
        public string String(string key) => NullableString(key) ?? "";

        public string StringOr(string key, string legacyKey)
        {
            var value = String(key);
            return value.Length > 0 ? value : String(legacyKey);
        }

        public string StringOrDefault(string key, string fallback)
        {
            var value = String(key);
            return value.Length > 0 ? value : fallback;
        }

        public string? NullableString(string key)
        {
            if (!element.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw WrongType(key, "a string");
        }

        public int Int(string key)
        {
            if (!element.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return 0;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
            if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), System.Globalization.CultureInfo.InvariantCulture, out n)) return n;
            throw WrongType(key, "a whole number");
        }

        public bool? Bool(string key)
        {
            if (!element.TryGetProperty(key, out var v)) return null;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => throw WrongType(key, "true or false"),
            };
        }

        private ConfigException WrongType(string key, string expected) =>
            new($"invalid config.json ({path}): \"{key}\" of profile \"{profile}\" must be {expected}.");
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
