using System.Text.Json.Nodes;
using Ccwb.Bedrock;
using Ccwb.Contract.Install;
using Ccwb.Profiles;
using Ccwb.Rendering.Cowork;
using Ccwb.Rendering.Json;

namespace Ccwb.Rendering.ClaudeCode;

/// <summary>
/// Claude Code's <c>settings.json</c> (or <c>managed-settings.json</c>): Bedrock, credentials, model defaults and
/// telemetry. Paths are placeholders the installers replace with the user's install folder.
/// </summary>
public static class SettingsBuilder
{
    public const string CredentialProcessPlaceholder = InstallPlaceholders.CredentialProcess;
    public const string OtelHelperPlaceholder = InstallPlaceholders.OtelHelper;
    public const string DefaultResourceAttributes =
        "department=default,team.id=default,cost_center=default,organization=default,project=default";

    /// <summary>The file name under <c>claude-settings/</c>.</summary>
    public static string FileName(DeploymentProfile profile) =>
        profile.SettingsTarget == "managed" ? "managed-settings.json" : "settings.json";

    public static string Write(DeploymentProfile p, string settingsVersion)
    {
        var values = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var zeroBinary = ProfileFacts.IsIdcZeroBinary(p);
        var credentialCommand = $"{CredentialProcessPlaceholder} --profile {p.Name}";

        values["CLAUDE_CODE_USE_BEDROCK"] = "1";
        values["AWS_REGION"] = CoworkPolicyBuilder.SourceRegion(p);
        values["AWS_PROFILE"] = p.Name;
        if (!zeroBinary) values["AWS_CREDENTIAL_PROCESS"] = credentialCommand;
        if (ProfileFacts.IsIdc(p)) values["AWS_EC2_METADATA_DISABLED"] = "true";

        if (!string.IsNullOrWhiteSpace(p.SelectedModel))
        {
            if (p.SettingsTarget != "managed" || p.LockDefaultModel)
                values["ANTHROPIC_MODEL"] = DefaultModelAlias(p);
            var prefix = ProfileFacts.CrossRegionProfile(p);
            void Tier(ModelTier tier, params string[] names)
            {
                if (ModelTiers.ResolveModelForTier(tier, prefix) is { } resolved)
                    foreach (var name in names) values[name] = resolved.Profile.ModelId;
            }
            Tier(ModelTier.Haiku, "ANTHROPIC_SMALL_FAST_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL");
            Tier(ModelTier.Sonnet, "ANTHROPIC_DEFAULT_SONNET_MODEL");
            Tier(ModelTier.Opus, "ANTHROPIC_DEFAULT_OPUS_MODEL");
        }

        var endpoint = p.MonitoringEnabled ? CoworkPolicyBuilder.CollectorEndpoint(p) : null;
        if (endpoint is not null)
        {
            values["CLAUDE_CODE_ENABLE_TELEMETRY"] = "1";
            values["OTEL_METRICS_EXPORTER"] = "otlp";
            values["OTEL_LOGS_EXPORTER"] = "none";
            values["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            values["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
            values["OTEL_RESOURCE_ATTRIBUTES"] = $"{DefaultResourceAttributes},settings_version={settingsVersion}";
        }

        values["includeCoAuthoredBy"] = p.IncludeCoauthoredBy;
        if (ProfileFacts.IsIdc(p) && !zeroBinary)
        {
            values["awsCredentialExport"] = credentialCommand;
            values["awsAuthRefresh"] = $"{CredentialProcessPlaceholder} --login --profile {p.Name}";
        }
        else if (!ProfileFacts.IsIdc(p) && p.CredentialStorage == "session")
        {
            values["awsAuthRefresh"] = credentialCommand;
        }
        if (endpoint is not null && !zeroBinary) values["otelHeadersHelper"] = $"{OtelHelperPlaceholder} --profile {p.Name}";

        var env = new JsonObject();
        var root = new JsonObject();
        foreach (var key in ClaudeSettingKeys.All)
        {
            if (key.Name == "env") root["env"] = env;
            else if (values.Remove(key.Name, out var value))
                (key.Scope == ClaudeSettingScope.Environment ? env : root)[key.Name] = value;
        }
        if (values.Count > 0)
            throw new InvalidOperationException("settings keys missing from the catalogue: " + string.Join(", ", values.Keys));
        return PythonJson.Indented(root);
    }

    /// <summary>model_alias, else the tier alias of the selected model (opus, sonnet, …), else the model id itself.</summary>
    public static string DefaultModelAlias(DeploymentProfile p)
    {
        if (!string.IsNullOrWhiteSpace(p.ModelAlias)) return p.ModelAlias;
        if (ModelCatalogue.FindByModelId(p.SelectedModel) is { } found)
        {
            var family = found.Model.Key.Split('-')[0];
            if (family is "opus" or "sonnet" or "haiku" or "fable") return family;
        }
        return p.SelectedModel!;
    }
}
