using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Config;

namespace Ccwb.Contract;

/// <summary>
/// Which end-user features the shipped programs have, read from their command lines and the config.json catalogue. The
/// renderers emit a feature only when it is here, and profile validation says so when a profile asks for one that is
/// not; a program gaining the feature makes both follow without further changes.
/// </summary>
public static class EndUserFeatures
{
    /// <summary>Claude Desktop's bearer token (<c>credential-process --desktop</c>), for Cowork's helper credential mode.</summary>
    public static bool DesktopToken => ShippedPrograms.CredentialProcess.IsAvailable("desktop");

    /// <summary>IAM Identity Center sign-in (<c>credential-process --login</c>), Claude Code's <c>awsAuthRefresh</c> for IdC profiles.</summary>
    public static bool IdentityCenterLogin => ShippedPrograms.CredentialProcess.IsAvailable("login");

    /// <summary>The bearer header for MCP servers such as web search (<c>credential-process --get-mcp-auth-header</c>).</summary>
    public static bool McpAuthHeader => ShippedPrograms.CredentialProcess.IsAvailable("get-mcp-auth-header");

    /// <summary>Telemetry attribution headers (<c>otel-helper</c>), Claude Code's <c>otelHeadersHelper</c>.</summary>
    public static bool OtelHeaders => ShippedPrograms.Find("otel-helper") is not null;

    /// <summary>Client-side quota checks before credentials are handed out (the helper reads <c>quota_api_endpoint</c>).</summary>
    public static bool QuotaEnforcement => ConfigKeys.QuotaApiEndpoint.Use == ConfigKeyUse.Helper;
}
