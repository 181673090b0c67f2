using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Config;

namespace Ccwb.Profiles.Validation;

/// <summary>
/// Which end-user features the shipped programs provide, read from the contract (<see cref="ShippedPrograms"/>,
/// <see cref="ConfigKeys"/>). The renderers leave out what is not available and the validator says so; both read these
/// predicates, so when a program gains the flag (or the helper starts acting on a key) the files gain the feature
/// and the findings go away with no other change.
/// </summary>
public static class EndUserFeatures
{
    /// <summary>
    /// Claude Desktop's <c>inferenceCredentialHelper</c> (cowork_credential_mode 'helper'): the wrapper runs
    /// <c>credential-process --desktop</c>.
    /// </summary>
    public static bool CoworkCredentialHelper => ShippedPrograms.CredentialProcess.IsAvailable("desktop");

    /// <summary>Claude Code's <c>otelHeadersHelper</c> (per-user attribution on telemetry): runs the <c>otel-helper</c> program.</summary>
    public static bool OtelHeadersHelper => ShippedPrograms.Find("otel-helper") is not null;

    /// <summary>
    /// IAM Identity Center sign-in from Claude Code's <c>awsAuthRefresh</c> and the <c>claude-bedrock</c> launcher:
    /// <c>credential-process --login</c>.
    /// </summary>
    public static bool IdentityCenterLogin => ShippedPrograms.CredentialProcess.IsAvailable("login");

    /// <summary>The web search MCP server's headers helper: <c>credential-process --get-mcp-auth-header</c>.</summary>
    public static bool McpAuthHeader => ShippedPrograms.CredentialProcess.IsAvailable("get-mcp-auth-header");

    /// <summary>
    /// Quota enforcement on the user's machine: credential-process asks the quota API before handing out credentials.
    /// True once the helper acts on <c>quota_api_endpoint</c> (its catalogue entry says <see cref="ConfigKeyUse.Helper"/>).
    /// </summary>
    public static bool QuotaEnforcement => ConfigKeys.QuotaApiEndpoint.Use == ConfigKeyUse.Helper;
}
