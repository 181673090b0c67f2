using System.Globalization;
using System.Text.Json.Nodes;
using Ccwb.Bedrock;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Quota;
using Ccwb.Credentials.Storage;
using Ccwb.Http;
using Ccwb.Profiles;

namespace Ccwb.Cli.DeploymentTest;

/// <summary>What the run covers and how long each network call may take.</summary>
/// <param name="AwsCli">The AWS CLI that tries the temporary profile (<c>aws configure export-credentials</c>).</param>
internal sealed record CheckOptions(bool Full, bool QuotaOnly, TimeSpan CallTimeout, TimeSpan HelperTimeout, string AwsCli);

/// <summary>
/// The steps of <c>ccwb test</c>, in upstream's order: credentials from the packaged helper (and through the AWS CLI),
/// who they are (STS), Bedrock model listing and one small Converse call per configured model family, and the quota
/// check when one is configured.
/// A step that cannot go on without an earlier one is not run once that one failed.
/// </summary>
internal sealed class DeploymentChecks(DeploymentProfile profile, TemporaryAwsProfile awsProfile, string helperCommand, CheckOptions options,
    Func<string, string?> environment, HttpTransport http, Func<DateTimeOffset> clock)
{
    /// <summary>The most tokens a Converse answer may have: enough to prove the model answers, cheap at any price.</summary>
    public const int MaxTokens = 10;

    private readonly HelperProcess helper = new(awsProfile.Command, awsProfile.ConfigFile, options.HelperTimeout);

    private bool UsesIdToken => profile.EffectiveAuthType == "oidc";

    public async Task RunAsync(StepReport report, CancellationToken ct)
    {
        var (credentials, step) = await CredentialsAsync(ct).ConfigureAwait(false);
        report.Add(step);
        if (credentials is null) return;
        report.Add(await AwsCliAsync(credentials, ct).ConfigureAwait(false));
        if (report.Add(Identity(credentials)).Status == StepStatus.Fail) return;
        if (!options.QuotaOnly)
        {
            var sourceRegion = CrossRegionProfiles.SourceRegion(profile.CrossRegionProfileKey, profile.SelectedSourceRegion, profile.AwsRegion);
            var bedrock = new BedrockClient(http, credentials, options.CallTimeout, clock);
            var models = ConfiguredModels(profile);
            report.Add(ListModels(bedrock, sourceRegion, models));
            foreach (var (family, modelId) in models)
                foreach (var region in options.Full ? FullRegions(modelId, sourceRegion) : [sourceRegion])
                    report.Add(Converse(bedrock, region, family, modelId));
        }
        if (string.IsNullOrWhiteSpace(profile.QuotaApiEndpoint))
        {
            if (options.QuotaOnly)
                report.Add(Step.Fail("quota", "the profile configures no quota_api_endpoint",
                    "enable quota monitoring in the profile, run 'ccwb deploy quota', and package again"));
            return;
        }
        report.Add(await QuotaAsync(credentials, ct).ConfigureAwait(false));
    }

    private async Task<(AwsCredentials?, Step)> CredentialsAsync(CancellationToken ct)
    {
        const string name = "credentials";
        ProgramRun run;
        try
        {
            run = await helper.RunAsync([], ct).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, Step.Fail(name, $"the helper cannot be started: {e.Message}",
                "unpack the package again keeping file modes (or chmod +x the helper) and test again"));
        }
        if (run.TimedOut)
            return (null, Step.Fail(name, $"the helper did not finish within {options.HelperTimeout.TotalSeconds:0} s",
                $"a sign-in may be waiting in the browser; run '{helperCommand}' to watch it, or pass a longer --helper-timeout"));
        if (run.ExitCode != 0)
            return (null, Step.Fail(name, $"the helper exited with {run.ExitCode}: {run.LastErrorLine}", SignInFix()));
        var (credentials, problem) = CredentialProcessOutput.Parse(run.Output);
        if (credentials is null)
            return (null, Step.Fail(name, $"the helper's output is not credential_process JSON: {problem}",
                "the helper in the package is broken or not this toolkit's; build the package again (./build.sh Package)"));
        if (credentials.Expiration <= clock())
            return (null, Step.Fail(name, $"the helper handed out credentials that expired at {Utc(credentials.Expiration)}",
                $"clear the helper's cache ('{helperCommand} --clear-cache') and test again; check this computer's clock"));
        var until = credentials.Expiration == DateTimeOffset.MaxValue ? "no expiry (long-term keys)" : "valid until " + Utc(credentials.Expiration);
        return (credentials, Step.Pass(name, $"access key {Mask(credentials.AccessKeyId)} from the helper, {until}"));
    }

    /// <summary>
    /// The real consumer of the profile: the AWS CLI resolves the temporary profile through its credential_process line
    /// (from the cache the first run filled, so no second sign-in) and must get the same credentials.
    /// </summary>
    private async Task<Step> AwsCliAsync(AwsCredentials expected, CancellationToken ct)
    {
        const string name = "aws cli";
        var command = new[] { options.AwsCli, "configure", "export-credentials", "--profile", awsProfile.Name, "--format", "process" };
        ProgramRun run;
        try
        {
            run = await new HelperProcess(command, awsProfile.ConfigFile, options.HelperTimeout).RunAsync([], ct).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return Step.Warn(name, $"{options.AwsCli} not found: no AWS tool tried the temporary profile", "install the AWS CLI v2 or pass --aws PATH");
        }
        if (run.TimedOut)
            return Step.Fail(name, $"the AWS CLI did not finish within {options.HelperTimeout.TotalSeconds:0} s", $"run '{helperCommand}' to see what the helper waits for");
        if (run.ExitCode != 0 && run.Error.Contains("invalid choice", StringComparison.OrdinalIgnoreCase))
            return Step.Warn(name, $"{options.AwsCli} has no 'configure export-credentials' (AWS CLI v1 or an old v2): the profile was not tried by it",
                "install the AWS CLI v2 (2.9 or later) or pass --aws PATH");
        if (run.ExitCode != 0)
            return Step.Fail(name, $"the AWS CLI could not use profile {awsProfile.Name}: {run.LastErrorLine}",
                $"AWS tools run the line 'credential_process = {helperCommand}'; run it yourself to see the problem");
        var (credentials, problem) = CredentialProcessOutput.Parse(run.Output);
        if (credentials is null || credentials.AccessKeyId != expected.AccessKeyId)
            return Step.Fail(name, $"the AWS CLI resolved profile {awsProfile.Name} to other credentials than the helper's{(problem.Length > 0 ? ": " + problem : "")}",
                "another credential source comes first for AWS tools; check the profile's section and the AWS_* variables");
        return Step.Pass(name, $"the AWS CLI resolves profile {awsProfile.Name} through credential_process to the same access key");
    }

    private string SignInFix() => profile.EffectiveAuthType switch
    {
        "oidc" => $"check provider_domain, client_id and the redirect port against the identity provider's app, and that the " +
                  $"auth stack is deployed ('ccwb deploy auth'); run '{helperCommand}' to see the sign-in",
        "idc" => $"sign in to IAM Identity Center ('{helperCommand} --login') and check idc_start_url, sso_region and the permission set",
        _ => "with sso_enabled false the helper passes your own AWS credentials through: make them available " +
             "(AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/credentials)",
    };

    private Step Identity(AwsCredentials credentials)
    {
        const string name = "identity";
        string arn;
        try
        {
            arn = new StsClient(http, AwsEndpoints.Sts(profile.AwsRegion, environment)).GetCallerIdentityArn(credentials, profile.AwsRegion, clock());
        }
        catch (FederationException e) when (e.ErrorCode is "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException" or "SignatureDoesNotMatch" or "UnrecognizedClientException")
        {
            return Step.Fail(name, $"STS refused the helper's credentials ({e.ErrorCode}): they are expired or not valid",
                $"clear the helper's cache ('{helperCommand} --clear-cache') and test again; " +
                (UsesIdToken ? "check that the auth stack's role still exists" : "refresh your own AWS credentials"));
        }
        catch (FederationException e)
        {
            return Step.Fail(name, Ccwb.Http.TerminalText.Clean(e.Message), "check the network path to STS (proxy, AWS_ENDPOINT_URL_STS) and aws_region");
        }

        arn = Ccwb.Http.TerminalText.Clean(arn);
        var parts = arn.Split(':', 6);
        var account = parts.Length == 6 ? parts[4] : "";
        var assumedRole = parts.Length == 6 && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal);
        var detail = $"the helper's credentials act as {arn}";
        if (profile.EffectiveAuthType == "none") return Step.Pass(name, detail + " (your own credentials: sso_enabled is false)");
        if (!assumedRole)
            return Step.Fail(name, detail + ", not an assumed role", "the helper should federate into the deployment's role; check federated_role_arn / identity_pool_id and package again");
        var (expectedAccount, expectedRole) = ExpectedRole();
        if (expectedAccount is not null && account != expectedAccount)
            return Step.Fail(name, detail + $", in account {account} instead of {expectedAccount}",
                "the package federates into another account: check federated_role_arn / identity_pool_id against the deployed auth stack and package again");
        var role = parts[5].Split('/')[1];
        if (expectedRole is not null && role != expectedRole)
            return Step.Fail(name, detail + $", role {role} instead of {expectedRole}", "check federated_role_arn against the auth stack's outputs ('ccwb status') and package again");
        return Step.Pass(name, detail);
    }

    // The account and role the deployment's users should act as, when the profile says (direct federation names the
    // role; Identity Center the account). A Cognito identity pool's role is only known to the stack.
    private (string? Account, string? Role) ExpectedRole()
    {
        if (profile.FederatedRoleArn?.Split(':', 6) is [_, _, _, _, var account, var resource] && resource.StartsWith("role/", StringComparison.Ordinal))
            return (account, resource.Split('/')[^1]);
        return (string.IsNullOrWhiteSpace(profile.IdcAccountId) ? null : profile.IdcAccountId, null);
    }

    /// <summary>The models Claude Code uses with this profile: the selected one, then each family's default (as settings.json names them).</summary>
    internal static List<(string Family, string ModelId)> ConfiguredModels(DeploymentProfile profile)
    {
        var models = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(profile.SelectedModel)) models.Add(("selected model", profile.SelectedModel.Trim()));
        var key = profile.CrossRegionProfileKey ?? ModelCatalogue.FindByModelId(profile.SelectedModel)?.Profile.ProfileKey ?? CrossRegionProfiles.Us;
        foreach (var tier in new[] { ModelTier.Sonnet, ModelTier.Haiku, ModelTier.Opus })
            if (ModelTiers.ResolveModelForTier(tier, key) is { } resolved && models.All(m => m.Item2 != resolved.Profile.ModelId))
                models.Add((tier.ToString().ToLowerInvariant(), resolved.Profile.ModelId));
        return models;
    }

    // --full: every region the inference profile may be called from that the deployment allows, as upstream's
    // allowed_bedrock_regions loop does (regions that cannot call the profile are left out: they would fail by design).
    private IEnumerable<string> FullRegions(string modelId, string sourceRegion)
    {
        if (ModelCatalogue.FindByModelId(modelId) is not { } found) return [sourceRegion];
        var allowed = profile.AllowedBedrockRegions.Count > 0 ? BedrockRegions.Expand(profile.AllowedBedrockRegions) : found.Profile.SourceRegions;
        return new[] { sourceRegion }.Concat(found.Profile.SourceRegions.Where(allowed.Contains)).Distinct(StringComparer.Ordinal);
    }

    private Step ListModels(BedrockClient bedrock, string region, IReadOnlyList<(string Family, string ModelId)> models)
    {
        var name = $"bedrock models ({region})";
        BedrockAnswer answer;
        try
        {
            answer = bedrock.ListFoundationModels(AwsEndpoints.Bedrock(region, environment), region);
        }
        catch (Exception e) when (e is HttpTransportException or FederationException)
        {
            return NoAnswer(name, e, "Bedrock");
        }
        if (!answer.Ok)
            return answer.ErrorType switch
            {
                "ThrottlingException" => Step.Pass(name, "Bedrock answered (throttled)"),
                "AccessDeniedException" => Step.Fail(name, $"AccessDeniedException: {answer.Message}",
                    "the role may not call bedrock:ListFoundationModels; deploy the auth stack of this profile again ('ccwb deploy auth')"),
                _ => ErrorStep(name, answer, "Bedrock"),
            };
        var listed = (answer.Body?["modelSummaries"] as JsonArray ?? []).Select(m => BedrockClient.Text(m, "modelId")).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var missing = models.Select(m => ModelCatalogue.FindByModelId(m.ModelId)?.Model.BaseModelId).OfType<string>()
            .Distinct().Where(id => !listed.Contains(id)).ToList();
        if (missing.Count > 0)
            return Step.Warn(name, $"{listed.Count} Anthropic models listed; not among them: {string.Join(", ", missing)}",
                $"check that these models are offered in {region} and that model access is enabled for them");
        return Step.Pass(name, $"{listed.Count} Anthropic models listed, the configured ones among them");
    }

    private Step Converse(BedrockClient bedrock, string region, string family, string modelId)
    {
        var name = $"converse {modelId} ({family}, {region})";
        BedrockAnswer answer;
        try
        {
            answer = bedrock.Converse(AwsEndpoints.BedrockRuntime(region, environment), region, modelId, MaxTokens);
        }
        catch (Exception e) when (e is HttpTransportException or FederationException)
        {
            return NoAnswer(name, e, "Bedrock runtime");
        }
        if (answer.Ok)
        {
            var tokens = answer.Body?["usage"]?["outputTokens"] is JsonValue output && output.TryGetValue<long>(out var count) ? $", {count} output tokens" : "";
            var stopReason = Ccwb.Http.TerminalText.Clean(BedrockClient.Text(answer.Body, "stopReason") ?? "no stop reason");
            return Step.Pass(name, $"the model answered ({stopReason}{tokens})");
        }
        return answer.ErrorType switch
        {
            // The request reached the model and was judged: access works, which is what this step proves.
            "ThrottlingException" or "ServiceQuotaExceededException" => Step.Pass(name, $"the model answered, throttled ({answer.ErrorType})"),
            "ValidationException" => Step.Pass(name, $"the model answered, with a validation error: {answer.Message}"),
            "AccessDeniedException" => Step.Fail(name, $"AccessDeniedException: {answer.Message}",
                $"enable model access for {modelId} in the Bedrock console (Model access) in every destination region of the " +
                $"inference profile, and check that the role's Bedrock policy allows {modelId} from {region} ('ccwb deploy auth')"),
            "ResourceNotFoundException" => Step.Fail(name, $"ResourceNotFoundException: {answer.Message}",
                $"{modelId} is not an inference profile {region} can call: check selected_model, cross_region_profile and selected_source_region"),
            _ => ErrorStep(name, answer, "Bedrock runtime"),
        };
    }

    private Step ErrorStep(string name, BedrockAnswer answer, string service) => answer.ErrorType switch
    {
        "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException" or "InvalidClientTokenId" =>
            Step.Fail(name, $"{answer.ErrorType}: {answer.Message}",
                $"{service} refused the helper's credentials; clear the helper's cache ('{helperCommand} --clear-cache') and test again"),
        "ServiceUnavailableException" or "InternalServerException" or "ModelNotReadyException" =>
            Step.Warn(name, $"{answer.ErrorType}: {answer.Message}", $"{service} had a passing problem; test again later"),
        _ => Step.Fail(name, $"{answer.ErrorType} (HTTP {answer.Status}): {answer.Message}", $"see the {service} error above"),
    };

    private static Step NoAnswer(string name, Exception e, string service) => e is HttpTimeoutException
        ? Step.Warn(name, $"{service} did not answer in time ({Ccwb.Http.TerminalText.Clean(e.Message)})", "test again; a proxy or a slow network may be in the way")
        : Step.Fail(name, $"cannot reach {service}: {Ccwb.Http.TerminalText.Clean(e.Message)}",
            $"check the network path (proxy variables, AWS_ENDPOINT_URL_{(service == "Bedrock" ? "BEDROCK" : "BEDROCK_RUNTIME")})");

    private async Task<Step> QuotaAsync(AwsCredentials credentials, CancellationToken ct)
    {
        const string name = "quota";
        var client = new QuotaClient(http, profile.QuotaApiEndpoint!, options.CallTimeout);
        QuotaResult result;
        if (UsesIdToken)
        {
            var run = await helper.RunAsync(["--get-monitoring-token"], ct).ConfigureAwait(false);
            var token = run.Output.Trim();
            if (run.TimedOut || run.ExitCode != 0 || token.Length == 0)
                return Step.Fail(name, $"the helper gave no id token for the quota API: {(run.TimedOut ? "it timed out" : run.LastErrorLine)}", SignInFix());
            result = client.CheckWithBearer(token);
        }
        else
        {
            result = client.CheckWithSigV4(credentials, profile.AwsRegion, clock());
        }
        if (!result.Failed)
        {
            var usage = result.Usage?.MonthlyPercent is { } percent ? $" (monthly {percent:0.#}% used)" : "";
            return result.Allowed
                ? Step.Pass(name, $"{client.CheckUrl()} allows this user: {result.Reason}{usage}")
                : Step.Warn(name, $"{client.CheckUrl()} answered and blocks this user: {result.Reason} {result.Message}".TrimEnd(),
                    "the quota check works; raise or reset this user's quota with 'ccwb quota' if they should have access");
        }
        return result.Reason switch
        {
            "timeout" => Step.Warn(name, result.Message, "test again; a proxy or a slow network may be in the way"),
            "jwt_invalid" => Step.Fail(name, result.Message,
                "the quota API's authorizer does not accept the identity provider's id token: deploy the quota stack with this profile's provider and client id ('ccwb deploy quota')"),
            "iam_forbidden" => Step.Fail(name, result.Message, "the role may not call the quota API: deploy the quota stack again ('ccwb deploy quota')"),
            _ => Step.Fail(name, $"{result.Reason}: {result.Message}", "check quota_api_endpoint against the quota stack's outputs ('ccwb status')"),
        };
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    // An access key id is not a secret, but a report may be pasted into a ticket: enough to recognise it.
    private static string Mask(string accessKeyId) => accessKeyId.Length > 8 ? $"{accessKeyId[..4]}…{accessKeyId[^4..]}" : "****";
}
