namespace Ccwb.Rendering.ClaudeCode;

/// <summary>Where a key sits in Claude Code's settings file.</summary>
public enum ClaudeSettingScope
{
    /// <summary>A variable in the <c>env</c> object.</summary>
    Environment,
    /// <summary>A top-level settings key.</summary>
    TopLevel,
}

/// <summary>One Claude Code setting the toolkit writes, with when and why.</summary>
public sealed record ClaudeSettingKey(string Name, ClaudeSettingScope Scope, string Description, string EmittedWhen);

/// <summary>
/// The Claude Code settings and environment variables a package writes, in the order they appear in the file. The
/// settings writer emits keys only through this list, so its order and documentation cannot drift apart.
/// </summary>
public static class ClaudeSettingKeys
{
    private static ClaudeSettingKey Env(string name, string description, string when) =>
        new(name, ClaudeSettingScope.Environment, description, when);

    private static ClaudeSettingKey Top(string name, string description, string when) =>
        new(name, ClaudeSettingScope.TopLevel, description, when);

    public static IReadOnlyList<ClaudeSettingKey> All { get; } =
    [
        Env("CLAUDE_CODE_USE_BEDROCK", "Sends Claude Code's requests to Amazon Bedrock.", "always"),
        Env("AWS_REGION", "Region requests leave from: selected_source_region, else the cross-region profile's default, else aws_region.", "always"),
        Env("AWS_PROFILE", "The AWS profile the installer creates for this deployment.", "always"),
        Env("AWS_CREDENTIAL_PROCESS", "Runs credential-process for this profile.", "unless IAM Identity Center without the helper binary"),
        Env("AWS_EC2_METADATA_DISABLED", "Keeps the AWS SDK from probing instance metadata.", "IAM Identity Center"),
        Env("ANTHROPIC_MODEL", "Default model: the alias (opus, sonnet, …) of selected_model, or model_alias.", "a model is selected; for managed settings only with lock_default_model"),
        Env("ANTHROPIC_SMALL_FAST_MODEL", "Model for background tasks: the haiku tier in the cross-region profile.", "a model is selected and the tier resolves"),
        Env("ANTHROPIC_DEFAULT_HAIKU_MODEL", "What the haiku alias means.", "a model is selected and the tier resolves"),
        Env("ANTHROPIC_DEFAULT_SONNET_MODEL", "What the sonnet alias means.", "a model is selected and the tier resolves"),
        Env("ANTHROPIC_DEFAULT_OPUS_MODEL", "What the opus alias means.", "a model is selected and the tier resolves"),
        Env("CLAUDE_CODE_ENABLE_TELEMETRY", "Turns on OpenTelemetry export.", "monitoring enabled"),
        Env("OTEL_METRICS_EXPORTER", "otlp.", "monitoring enabled"),
        Env("OTEL_LOGS_EXPORTER", "none: only metrics are exported.", "monitoring enabled"),
        Env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf.", "monitoring enabled"),
        Env("OTEL_EXPORTER_OTLP_ENDPOINT", "The local sidecar (http://localhost:4318) or the central collector.", "monitoring enabled"),
        Env("OTEL_RESOURCE_ATTRIBUTES", "Resource attributes, ending with settings_version so dashboards can tell rollouts apart.", "monitoring enabled"),
        Top("env", "The environment variables above.", "always"),
        Top("includeCoAuthoredBy", "Whether commits get a Co-Authored-By: Claude trailer (include_coauthored_by).", "always"),
        Top("awsCredentialExport", "Command Claude Code runs to obtain credentials.", "IAM Identity Center with the helper binary"),
        Top("awsAuthRefresh", "Command Claude Code runs when credentials expire (signs in again).", "session credential storage, or IAM Identity Center with the helper binary"),
        Top("otelHeadersHelper", "Command printing the user's identity headers for telemetry.", "monitoring enabled, unless IAM Identity Center without the helper binary"),
    ];

    private static readonly HashSet<string> Names = [.. All.Select(k => k.Name)];

    public static bool IsKnown(string name) => Names.Contains(name);
}
