using static Ccwb.Rendering.Cowork.CoworkCategory;
using static Ccwb.Rendering.Cowork.CoworkValueType;

namespace Ccwb.Rendering.Cowork;

/// <summary>
/// Every managed-configuration key Claude Desktop reads in third-party (Bedrock) mode: the keys the generator writes
/// and the documented ones an administrator may add through <c>cowork_3p_extra_keys</c>. The ADMX/ADML templates are
/// generated from this list (every key gets a policy); the JSON file, .mobileconfig, .reg and PowerShell script carry
/// the settings <see cref="CoworkPolicyBuilder"/> emits, so a key the generator should write also needs its rule there.
/// </summary>
public static class CoworkKeys
{
    private const string Always = "always";
    private const string Helper = "credential mode 'helper'";
    private const string Extra = "only through cowork_3p_extra_keys";

    public static IReadOnlyList<CoworkKey> All { get; } =
    [
        // Inference
        new("inferenceProvider", Text, Inference, "Inference provider",
            "Selects the third-party inference provider. 'bedrock' sends every request to Amazon Bedrock.",
            "Claude Desktop uses Anthropic's own service.", Always, MaxLength: 32),
        new("inferenceBedrockRegion", Text, Inference, "Bedrock region",
            "AWS region Claude Desktop sends Bedrock requests to (the source region of the cross-region inference profile).",
            "The AWS SDK's region resolution.", Always, MaxLength: 64),
        new("inferenceModels", JsonArray, Inference, "Models",
            "JSON array of the models offered in the model picker: aliases (\"opus\", \"sonnet\", \"haiku\") or objects " +
            "{\"name\", \"anthropicFamilyTier\", \"isFamilyDefault\"} naming Bedrock inference profile ids.",
            "Claude Desktop's built-in list.", Always, MaxLength: 4096),
        new("inferenceBedrockProfile", Text, Inference, "AWS profile name",
            "Named profile in ~/.aws/config that Claude Desktop uses for Bedrock credentials.",
            "The default AWS profile.", "always (both credential modes)", MaxLength: 128),
        new("inferenceBedrockAwsDir", Text, Inference, "AWS configuration folder",
            "Folder holding the AWS config and credentials files, when not ~/.aws.",
            "~/.aws", Extra, MaxLength: 512),
        new("inferenceBedrockBaseUrl", Text, Inference, "Bedrock endpoint URL",
            "Overrides the Bedrock runtime endpoint, e.g. a VPC interface endpoint.",
            "The public regional endpoint.", Extra, MaxLength: 512),
        new("inferenceSessionLifetimeSec", Number, Inference, "Session lifetime (seconds)",
            "Seconds after sign-in when Claude Desktop reminds the user to authenticate again.",
            "No reminder.", "packages, when cowork_inference_session_lifetime_sec is set", MaxLength: 10),
        new("inferenceMaxTokensPerWindow", Number, Inference, "Token limit per window",
            "Largest number of tokens one user may consume per token window.",
            "No limit.", Extra, MaxLength: 12),
        new("inferenceTokenWindowHours", Number, Inference, "Token window (hours)",
            "Length of the token window in hours (at most 720).",
            "No window.", Extra, MaxLength: 3),

        // Credentials
        new("inferenceCredentialHelper", Text, Credentials, "Credential helper",
            "Program Claude Desktop runs, without arguments, to obtain AWS credentials (credential_process JSON).",
            "Credentials come from the AWS profile.", Helper, MaxLength: 512),
        new("inferenceCredentialHelperTtlSec", NumberText, Credentials, "Credential helper cache (seconds)",
            "Seconds Claude Desktop reuses the helper's output before running it again.",
            "Claude Desktop's default cache time.", Helper, MaxLength: 10),
        new("inferenceCredentialHelperSilentRefreshEnabled", SwitchText, Credentials, "Silent credential refresh",
            "Lets Claude Desktop run the credential helper in the background during a session.",
            "The helper runs only at session start.", Helper),
        new("inferenceCredentialKind", Text, Credentials, "Credential kind",
            "How credentials are obtained: 'helper-script' runs inferenceCredentialHelper.",
            "Inferred from the other keys.", Helper, MaxLength: 32),

        // Features
        new("isClaudeCodeForDesktopEnabled", Switch, Features, "Enable Claude Code for Desktop",
            "Shows the Code tab.", "Enabled.", Always),
        new("chatTabEnabled", Switch, Features, "Enable the Chat tab",
            "Shows the Chat tab (beta).", "Disabled.", "packages, when cowork_chat_tab_enabled is true"),
        new("chatAdvancedFileAnalysisEnabled", Switch, Features, "Enable advanced file analysis",
            "Allows code execution for file analysis in chats.", "Disabled.",
            "packages, when cowork_chat_advanced_file_analysis is true"),
        new("coworkWebSearchEnabled", Switch, Features, "Enable built-in web search",
            "Enables Claude Desktop's built-in web search tool.", "Disabled in third-party mode.", Extra),
        new("disabledBuiltinTools", JsonText, Features, "Disabled built-in tools",
            "JSON array of built-in tool names to hide.", "Every tool is available.", Extra, MaxLength: 4096),
        new("allowedWorkspaceFolders", JsonText, Features, "Allowed workspace folders",
            "JSON array of folders users may open as workspaces.", "Any folder.", Extra, MaxLength: 4096),
        new("deploymentOrganizationUuid", Text, Features, "Organization UUID",
            "Identifies the organisation's deployment to Claude Desktop.", "None.", Extra, MaxLength: 64),
        new("disableDeploymentModeChooser", Switch, Features, "Hide the deployment mode chooser",
            "Prevents users from switching Claude Desktop out of the managed mode.", "The chooser is shown.", Extra),

        // Extensions and MCP
        new("isDesktopExtensionEnabled", Switch, Extensions, "Enable desktop extensions",
            "Allows local desktop extensions.", "Enabled.", Always),
        new("isDesktopExtensionDirectoryEnabled", Switch, Extensions, "Enable the extension directory",
            "Shows the public extension directory.", "Enabled.", Always),
        new("isDesktopExtensionSignatureRequired", Switch, Extensions, "Require signed extensions",
            "Installs only signed desktop extensions.", "Unsigned extensions are allowed.", Always),
        new("isLocalDevMcpEnabled", Switch, Extensions, "Enable local MCP servers",
            "Allows user-added local MCP servers.", "Enabled.", Always),
        new("managedMcpServers", JsonText, Extensions, "Managed MCP servers",
            "JSON array of remote MCP servers every user gets: {name, url, headersHelper, headersHelperTtlSec}.",
            "None.", "web search enabled (not IAM Identity Center), or cowork_3p_extra_keys", MaxLength: 8192),

        // Monitoring
        new("otlpEndpoint", Text, Monitoring, "OTLP endpoint",
            "OpenTelemetry collector URL Claude Desktop exports metrics to.", "No export.",
            "monitoring enabled and an endpoint known", MaxLength: 512),
        new("otlpProtocol", Text, Monitoring, "OTLP protocol",
            "OpenTelemetry export protocol, e.g. http/protobuf.", "http/protobuf.",
            "monitoring enabled and an endpoint known", MaxLength: 32),
        new("otlpHeaders", JsonText, Monitoring, "OTLP headers",
            "JSON object of HTTP headers sent with every export (the collector's X-Cowork-Token).", "None.",
            "monitoring enabled and cowork_service_token set", MaxLength: 2048),

        // Network
        new("coworkEgressAllowedHosts", JsonText, Network, "Sandbox egress hosts",
            "JSON array of hosts the Cowork sandbox may reach; [\"*\"] allows all.", "No egress.",
            "web search enabled (defaults to [\"*\"]), or cowork_3p_extra_keys", MaxLength: 4096),

        // Updates
        new("disableAutoUpdates", Switch, Updates, "Disable automatic updates",
            "Stops Claude Desktop from updating itself.", "Updates install automatically.", Extra),
        new("autoUpdaterEnforcementHours", Number, Updates, "Update enforcement (hours)",
            "Hours after which a pending update is installed without asking.", "Users choose when to restart.",
            Extra, MaxLength: 5),

        // Privacy
        new("disableEssentialTelemetry", Switch, Privacy, "Disable essential telemetry",
            "Stops essential diagnostics sent to Anthropic.", "Sent.", Extra),
        new("disableNonessentialTelemetry", Switch, Privacy, "Disable non-essential telemetry",
            "Stops optional usage telemetry sent to Anthropic.", "Sent.", Extra),
        new("disableNonessentialServices", Switch, Privacy, "Disable non-essential services",
            "Turns off services that are not needed for inference.", "Enabled.", Extra),
    ];

    private static readonly Dictionary<string, CoworkKey> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The catalogue entry for a key, or null for a key Claude Desktop does not document.</summary>
    public static CoworkKey? Find(string name) => ByName.GetValueOrDefault(name);
}
