using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Storage.Keyring;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// <c>--explain</c>: the settings this invocation would act on, as indented JSON (upstream's schema and key order). No
/// sign-in, no network, nothing written; a token's presence is reported, never its value.
/// </summary>
public static class ExplainCommand
{
    public static int Run(CommandContext context, string configFile)
    {
        var (config, paths, _, stdout, _, env, _) = context;
        string? Set(string name) => env(name) is { Length: > 0 } value ? value : null;
        var mode = config.IsIdentityCenter ? "idc" : config.IsPassthrough ? "passthrough" : "oidc";

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            void Optional(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value)) json.WriteString(name, value);
            }

            json.WriteStartObject();
            json.WriteString("version", context.Build.Version);
            json.WriteString("commit", context.Build.Commit);
            json.WriteString("profile", config.Name);

            json.WriteStartObject("platform");
            json.WriteString("os", OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux");
            json.WriteString("arch", RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", Architecture.X86 => "386", var other => other.ToString().ToLowerInvariant(),
            });
            json.WriteEndObject();

            json.WriteStartObject("auth");
            json.WriteString("mode", mode);
            json.WriteString("reason", mode switch
            {
                "idc" when config.AuthType == "idc" => "auth_type is \"idc\": IAM Identity Center sign-in",
                "idc" => "sso_enabled is false and idc_start_url is set: IAM Identity Center sign-in",
                "passthrough" => "sso_enabled is false without IAM Identity Center settings: ambient AWS credentials are passed through",
                _ => "sso_enabled is true (or absent): sign-in through the identity provider",
            });
            Optional("federation_type", config.IdentityPoolId.Length > 0 ? "cognito"
                : config.FederatedRoleArn.Length > 0 ? "direct_sts"
                : config.CognitoUserPoolId.Length > 0 ? "cognito" : null);
            json.WriteEndObject();

            if (mode == "oidc")
            {
                json.WriteStartObject("provider");
                var kind = ProviderDetector.Detect(config.ProviderType, config.ProviderDomain);
                json.WriteString("type", kind.ToString().ToLowerInvariant());
                json.WriteString("domain", config.ProviderDomain);
                if (config.OidcPrompt is { } prompt) json.WriteString("prompt", prompt);
                json.WriteEndObject();
            }

            json.WriteStartObject("monitoring");
            json.WriteBoolean("enabled", config.MonitoringEnabled);
            json.WriteString("mode", !config.MonitoringEnabled ? "none" : config.MonitoringMode.Length > 0 ? config.MonitoringMode : "central");
            Optional("endpoint", config.OtelCollectorEndpoint);
            json.WriteString("config_delivery", config.BootstrapEndpoint.Length > 0 || config.ConfigDeliveryMode == "bootstrap" ? "bootstrap" : "static");
            Optional("bootstrap_endpoint", config.BootstrapEndpoint);
            json.WriteEndObject();

            json.WriteStartObject("quota");
            json.WriteBoolean("enabled", config.QuotaEnabled);
            Optional("endpoint", config.QuotaApiEndpoint);
            json.WriteString("fail_mode", config.QuotaFailsClosed ? "closed" : "open");
            json.WriteString("auth_method", mode == "oidc" ? "bearer" : "sigv4");
            json.WriteNumber("check_interval_min", config.QuotaCheckIntervalMinutes);
            json.WriteNumber("check_timeout_sec", config.QuotaCheckTimeoutSeconds);
            Optional("daily_enforcement", config.DailyEnforcementMode);
            Optional("monthly_enforcement", config.MonthlyEnforcementMode);
            json.WriteBoolean("fine_grained", config.EnableFinegrainedQuotas);
            json.WriteEndObject();

            json.WriteStartObject("storage");
            json.WriteString("mode", config.UsesKeyring ? "keyring" : "session");
            json.WriteEndObject();

            json.WriteStartObject("session");
            if (mode == "oidc") json.WriteNumber("max_duration_sec", config.MaxSessionDuration);
            var options = SignInOptions.FromEnvironment(env);
            json.WriteNumber("redirect_port", options.RedirectPortOverride is null ? options.RedirectPort(config.RedirectPort) : 0);
            Optional("azure_auth_mode", config.AzureAuthMode);
            Optional("helper_context", Set("CLAUDE_HELPER_CONTEXT"));
            json.WriteEndObject();

            json.WriteStartObject("env");
            Optional("ccwb_profile", Set("CCWB_PROFILE"));
            Optional("aws_profile", Set("AWS_PROFILE"));
            Optional("redirect_port", Set("REDIRECT_PORT"));
            json.WriteBoolean("debug_enabled", Diagnostics.DebugRequested(env("COGNITO_AUTH_DEBUG")));
            json.WriteBoolean("no_browser_notification", env("CCWB_NO_BROWSER_NOTIFICATION") == "1");
            json.WriteBoolean("is_ssh", Set("SSH_CONNECTION") is not null || Set("SSH_TTY") is not null || Set("SSH_CLIENT") is not null);
            if (OperatingSystem.IsLinux()) json.WriteBoolean("is_headless", HeadlessSession.IsHeadless(env));
            Optional("browser_override", Set("BROWSER"));
            json.WriteBoolean("has_monitoring_token", HasMonitoringToken(context));
            json.WriteEndObject();

            json.WriteStartObject("paths");
            json.WriteString("config_dir", Path.GetDirectoryName(configFile));
            json.WriteString("config_file", configFile);
            Optional("install_dir", context.ProgramDirectory ?? paths.Home);
            json.WriteEndObject();

            json.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        return 0;
    }

    private static bool HasMonitoringToken(CommandContext context)
    {
        try
        {
            return !string.IsNullOrEmpty(context.Environment("CLAUDE_CODE_MONITORING_TOKEN")) || context.Cache.ReadMonitoringToken(context.Config.Name) is not null;
        }
        catch (Exception e) when (e is SecretStoreException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
