using System.Text.Json.Nodes;
using System.Text.Json;
using Ccwb.Bedrock;
using Ccwb.Contract.Install;
using Ccwb.Profiles;
using Ccwb.Rendering.ClaudeCode;
using Ccwb.Rendering.Json;

namespace Ccwb.Rendering.Cowork;

/// <summary>What differs between a package build and <c>ccwb cowork generate</c>.</summary>
/// <param name="Models">The model picker entries: aliases or inference profile ids.</param>
/// <param name="IncludeBetaKeys">Packages add the beta keys (chat tab, file analysis, session lifetime); generate does not.</param>
public sealed record CoworkOptions(IReadOnlyList<string> Models, bool IncludeBetaKeys)
{
    public static IReadOnlyList<string> DefaultModels { get; } = ["opus", "sonnet", "haiku"];

    public static CoworkOptions Package { get; } = new(DefaultModels, IncludeBetaKeys: true);
}

/// <summary>
/// Assembles the ordered Cowork key list from a profile, in upstream's order and with its overwrite rules: base keys,
/// credential keys, administrator extra keys (replace in place or append), beta keys, monitoring, web search.
/// </summary>
public static class CoworkPolicyBuilder
{
    /// <summary>Stands for the user's home folder until the installer substitutes it (macOS expands neither ~ nor variables).</summary>
    public const string HomePlaceholder = InstallPlaceholders.Home;

    /// <summary>
    /// The home folder as it must appear inside JSON text on Windows (backslashes doubled). A separate placeholder
    /// because one substitution cannot be right both in a plain value and inside JSON (upstream's .reg defect).
    /// </summary>
    public const string HomeJsonPlaceholder = InstallPlaceholders.HomeJson;

    public const string SidecarEndpoint = "http://localhost:4318";
    public const string WebSearchServerName = "agentcore-websearch";

    private static readonly string[] Aliases = ["opus", "sonnet", "haiku", "fable"];

    public static CoworkPolicy Build(DeploymentProfile profile, CoworkOptions options, TargetOs os)
    {
        var values = new List<KeyValuePair<string, JsonNode>>();
        void Set(string name, JsonNode value)
        {
            var index = values.FindIndex(p => p.Key == name);
            if (index >= 0) values[index] = new(name, value);
            else values.Add(new(name, value));
        }

        Set("inferenceProvider", "bedrock");
        Set("inferenceBedrockRegion", SourceRegion(profile));
        Set("inferenceModels", ModelList(options.Models));
        foreach (var toggle in (string[])["isClaudeCodeForDesktopEnabled", "isDesktopExtensionEnabled",
                     "isDesktopExtensionDirectoryEnabled", "isDesktopExtensionSignatureRequired", "isLocalDevMcpEnabled"])
            Set(toggle, true);

        if (IsHelperMode(profile))
        {
            Set("inferenceCredentialHelper", CredentialHelperPath(os));
            Set("inferenceCredentialHelperTtlSec", profile.CoworkCredentialHelperTtlSec.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set("inferenceCredentialHelperSilentRefreshEnabled", "true");
            Set("inferenceBedrockProfile", profile.Name);
            Set("inferenceCredentialKind", "helper-script");
        }
        else
        {
            Set("inferenceBedrockProfile", profile.Name);
        }

        foreach (var (name, element) in profile.Cowork3pExtraKeys)
            Set(name, JsonNode.Parse(element.GetRawText())!);

        if (options.IncludeBetaKeys)
        {
            if (profile.CoworkChatTabEnabled) Set("chatTabEnabled", true);
            if (profile.CoworkChatAdvancedFileAnalysis) Set("chatAdvancedFileAnalysisEnabled", true);
            if (profile.CoworkInferenceSessionLifetimeSec is { } lifetime) Set("inferenceSessionLifetimeSec", lifetime);
        }

        if (profile.MonitoringEnabled && CollectorEndpoint(profile) is { } endpoint)
        {
            Set("otlpEndpoint", endpoint);
            Set("otlpProtocol", "http/protobuf");
            if (!string.IsNullOrEmpty(profile.CoworkServiceToken))
                Set("otlpHeaders", PythonJson.Compact(new JsonObject { ["X-Cowork-Token"] = profile.CoworkServiceToken }));
        }

        if (HasWebSearch(profile) && !string.IsNullOrWhiteSpace(profile.WebsearchGatewayUrl))
        {
            var existing = values.FirstOrDefault(p => p.Key == "managedMcpServers").Value;
            Set("managedMcpServers", PythonJson.Compact(MergeServers(existing, WebSearchServer(profile, os))));
            if (!values.Any(p => p.Key == "coworkEgressAllowedHosts"))
                Set("coworkEgressAllowedHosts", PythonJson.Compact(new JsonArray("*")));
        }

        var settings = values
            .Where(p => !p.Key.StartsWith('_'))
            .Select(p => new CoworkSetting(p.Key, p.Value, CoworkKeys.Find(p.Key)))
            .ToList();
        return new CoworkPolicy(os, settings);
    }

    /// <summary>Claude Desktop runs the credential helper (<c>credential-process --desktop</c>) for its token.</summary>
    /// <remarks>
    /// IAM Identity Center without a quota API ships no helper program (users sign in with <c>aws sso login</c>), so
    /// its Cowork files use the AWS profile: upstream points Claude Desktop at a wrapper whose credential-process
    /// nothing installs.
    /// </remarks>
    public static bool IsHelperMode(DeploymentProfile profile) =>
        profile.CoworkCredentialMode != "profile" && !ProfileFacts.IsIdcZeroBinary(profile);

    /// <summary>Web search through the MCP gateway, whose header helper is <c>credential-process --get-mcp-auth-header</c>.</summary>
    public static bool HasWebSearch(DeploymentProfile profile) =>
        profile.WebSearchEnabled && !ProfileFacts.IsIdc(profile);

    /// <summary>The region requests leave from (upstream's rule, shared with Claude Code's AWS_REGION).</summary>
    public static string SourceRegion(DeploymentProfile profile) =>
        CrossRegionProfiles.SourceRegion(profile.CrossRegionProfile, profile.SelectedSourceRegion, profile.AwsRegion);

    /// <summary>The collector Claude Code and Desktop export to: the local sidecar, or the central endpoint.</summary>
    public static string? CollectorEndpoint(DeploymentProfile profile) =>
        profile.MonitoringMode == "sidecar" ? SidecarEndpoint
        : string.IsNullOrWhiteSpace(profile.OtelCollectorEndpoint) ? null : profile.OtelCollectorEndpoint;

    /// <summary>
    /// Plain aliases stay a list of strings. Inference profile ids become objects with their family tier, the first of
    /// each tier marked as the family default.
    /// </summary>
    public static JsonArray ModelList(IReadOnlyList<string> models)
    {
        var list = new JsonArray();
        var tiersSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            if (Aliases.Contains(model))
            {
                list.Add((JsonNode)model); // the JsonNode overload: Add<T> would serialize through reflection
                continue;
            }
            var entry = new JsonObject { ["name"] = model };
            if (Aliases.FirstOrDefault(a => model.Contains(a, StringComparison.Ordinal)) is { } tier)
            {
                entry["anthropicFamilyTier"] = tier;
                if (tiersSeen.Add(tier)) entry["isFamilyDefault"] = true;
            }
            list.Add(entry);
        }
        return list;
    }

    private static string CredentialHelperPath(TargetOs os) => os == TargetOs.Windows
        ? $@"{HomePlaceholder}\{InstallLocations.FolderName}\cowork-credential-helper.cmd"
        : $"{HomePlaceholder}/{InstallLocations.FolderName}/cowork-credential-helper.sh";

    private static JsonObject WebSearchServer(DeploymentProfile profile, TargetOs os)
    {
        var helper = !string.IsNullOrWhiteSpace(profile.WebsearchHeadersHelperPath) ? profile.WebsearchHeadersHelperPath
            : os == TargetOs.Windows ? $@"{HomeJsonPlaceholder}\{InstallLocations.FolderName}\websearch-headers.cmd"
            : $"{HomePlaceholder}/{InstallLocations.FolderName}/websearch-headers";
        return new JsonObject
        {
            ["name"] = WebSearchServerName,
            ["url"] = NormalizeMcpUrl(profile.WebsearchGatewayUrl),
            ["headersHelper"] = helper,
            ["headersHelperTtlSec"] = 900,
        };
    }

    /// <summary>The gateway URL with exactly one <c>/mcp</c> suffix.</summary>
    public static string NormalizeMcpUrl(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        while (trimmed.EndsWith("/mcp", StringComparison.Ordinal)) trimmed = trimmed[..^4].TrimEnd('/');
        return trimmed + "/mcp";
    }

    /// <summary>Administrator servers first (they win a name clash), then ours.</summary>
    private static JsonArray MergeServers(JsonNode? existing, JsonObject ours)
    {
        var servers = existing switch
        {
            JsonArray array => array,
            JsonValue value when value.GetValueKind() == JsonValueKind.String =>
                JsonNode.Parse(value.GetValue<string>()) as JsonArray ?? [],
            _ => [],
        };
        var merged = new JsonArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in servers.Append(ours))
        {
            var name = server?["name"]?.GetValue<string>() ?? "";
            if (names.Add(name)) merged.Add(server?.DeepClone());
        }
        return merged;
    }
}
