using System.Diagnostics;
using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.IdentityCenter;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Passthrough;

/// <summary>
/// The standard AWS credential chain, as the SDKs walk it: environment variables, the shared credentials and config
/// files for <c>AWS_PROFILE</c> (static keys, <c>credential_process</c>, IAM Identity Center profiles signed in with
/// <c>aws sso login</c>), the container credentials endpoint, then the instance metadata service.
/// </summary>
/// <remarks>
/// Inside credential-process the chain never resolves back into the helper: a profile whose <c>credential_process</c>
/// runs credential-process is skipped, and every credential_process started from here carries
/// <see cref="RecursionMarker"/>, which a passthrough run that finds it set refuses. Other programs (otel-helper's
/// signing proxy) pass <paramref name="runsCredentialProcess"/> so that the profile's credential-process signs them in.
/// </remarks>
public sealed class AmbientCredentialChain(string home, HttpTransport http, Func<string, string?> environment, TimeProvider clock,
    Action<string> debug, bool runsCredentialProcess = false)
{
    public const string RecursionMarker = "CCWB_AMBIENT_CREDENTIAL_CHAIN";
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    public AmbientCredentials Resolve()
    {
        if (!string.IsNullOrEmpty(environment(RecursionMarker)))
            throw new AmbientCredentialsException("sso_enabled=false but this credential-process was started by another one resolving " +
                                                  "ambient credentials (a profile's credential_process points back at it); refusing to recurse.");
        var tried = new List<string>();
        return FromEnvironment(tried) ?? FromProfile(tried) ?? FromContainer(tried) ?? FromInstanceMetadata(tried)
               ?? throw new AmbientCredentialsException("sso_enabled=false but no ambient AWS credentials found: " + string.Join("; ", tried) + ".");
    }

    private AmbientCredentials? FromEnvironment(List<string> tried)
    {
        var key = environment("AWS_ACCESS_KEY_ID");
        var secret = environment("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
        {
            tried.Add("no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment");
            return null;
        }
        DateTimeOffset? expires = Rfc3339.TryParse(environment("AWS_CREDENTIAL_EXPIRATION"), out var e) ? e : null;
        return new AmbientCredentials(key, secret, NullIfEmpty(environment("AWS_SESSION_TOKEN")), expires, "environment");
    }

    private AmbientCredentials? FromProfile(List<string> tried)
    {
        var profile = NullIfEmpty(environment("AWS_PROFILE")) ?? NullIfEmpty(environment("AWS_DEFAULT_PROFILE")) ?? "default";
        var credentialsPath = AwsIniFile.CredentialsPath(environment, home);
        var configPath = AwsIniFile.ConfigPath(environment, home);
        var credentials = Section(AwsIniFile.Read(credentialsPath), profile);
        var configFile = AwsIniFile.Read(configPath);
        var config = Section(configFile, profile == "default" ? "default" : AwsIniText.ProfileSection(profile));

        foreach (var section in new[] { credentials, config })
        {
            if (section is not null && section.TryGetValue("aws_access_key_id", out var key) && section.TryGetValue("aws_secret_access_key", out var secret)
                && key.Length > 0 && secret.Length > 0)
            {
                DateTimeOffset? expires = section.TryGetValue("x-expiration", out var x) && Rfc3339.TryParse(x, out var parsed) ? parsed : null;
                return new AmbientCredentials(key, secret, section.GetValueOrDefault("aws_session_token") is { Length: > 0 } t ? t : null, expires,
                    $"profile {profile}");
            }
        }
        if (config is null)
        {
            tried.Add($"no profile '{profile}' in {credentialsPath} or {configPath}");
            return null;
        }
        if (config.TryGetValue("credential_process", out var command) && command.Length > 0)
        {
            if (!runsCredentialProcess && RunsThisProgram(command))
            {
                tried.Add($"profile '{profile}' runs credential-process itself (skipped: it would call itself)");
                return null;
            }
            return FromCredentialProcess(profile, command);
        }
        if (SsoSettings(config, configFile) is { } sso) return FromSso(profile, sso);
        tried.Add($"profile '{profile}' has no keys, credential_process or sso settings this helper can use");
        return null;
    }

    private AmbientCredentials FromCredentialProcess(string profile, string command)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe", ["/d", "/c", command])
            : new ProcessStartInfo("/bin/sh", ["-c", command]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = false;
        start.UseShellExecute = false;
        start.Environment[RecursionMarker] = "1";
        debug($"Running the credential_process of profile '{profile}'.");
        using var process = Process.Start(start) ?? throw new AmbientCredentialsException($"profile '{profile}': cannot start its credential_process.");
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(ProcessTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new AmbientCredentialsException($"profile '{profile}': its credential_process did not finish within {ProcessTimeout.TotalSeconds:0} s.");
        }
        if (process.ExitCode != 0) throw new AmbientCredentialsException($"profile '{profile}': its credential_process exited with status {process.ExitCode}.");
        try
        {
            using var json = JsonDocument.Parse(output.Result);
            var root = json.RootElement;
            DateTimeOffset? expires = root.TryGetProperty("Expiration", out var x) && Rfc3339.TryParse(x.GetString(), out var parsed) ? parsed : null;
            return new AmbientCredentials(root.GetProperty("AccessKeyId").GetString() ?? "", root.GetProperty("SecretAccessKey").GetString() ?? "",
                root.TryGetProperty("SessionToken", out var t) ? t.GetString() : null, expires, $"credential_process of profile {profile}");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new AmbientCredentialsException($"profile '{profile}': its credential_process printed something that is not credential_process JSON.", e);
        }
    }

    private sealed record Sso(string CacheKey, string Region, string Account, string Role);

    /// <summary>A section's keys (lower-cased, as the AWS SDKs read them; the first of a repeated key wins), or null when absent.</summary>
    private static Dictionary<string, string>? Section(AwsIniText file, string name)
    {
        if (file.Entries(name) is not { } entries) return null;
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries) keys.TryAdd(key.ToLowerInvariant(), value);
        return keys;
    }

    private static Sso? SsoSettings(Dictionary<string, string> config, AwsIniText file)
    {
        if (!config.TryGetValue("sso_account_id", out var account) || !config.TryGetValue("sso_role_name", out var role)) return null;
        // An sso-session profile caches its token under the session name, a legacy profile under the start URL.
        if (config.TryGetValue("sso_session", out var session) && Section(file, "sso-session " + session) is { } s &&
            s.TryGetValue("sso_region", out var sessionRegion))
            return new Sso(session, sessionRegion, account, role);
        if (config.TryGetValue("sso_start_url", out var start) && config.TryGetValue("sso_region", out var region))
            return new Sso(start, region, account, role);
        return null;
    }

    private AmbientCredentials FromSso(string profile, Sso sso)
    {
        var token = new SsoTokenCache(home, sso.CacheKey).Read();
        if (!SsoTokenCache.HasValidAccessToken(token, clock.GetUtcNow()))
            throw new AmbientCredentialsException($"profile '{profile}' uses IAM Identity Center and its SSO session has expired or was never started.");
        var role = new SsoPortalClient(http, AwsEndpoints.SsoPortal(sso.Region, environment)).GetRoleCredentials(sso.Account, sso.Role, token!.AccessToken!);
        return new AmbientCredentials(role.AccessKeyId, role.SecretAccessKey, role.SessionToken, role.Expiration, $"IAM Identity Center profile {profile}");
    }

    private AmbientCredentials? FromContainer(List<string> tried)
    {
        var full = NullIfEmpty(environment("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
        var relative = NullIfEmpty(environment("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
        if (full is null && relative is null)
        {
            tried.Add("no container credentials endpoint (AWS_CONTAINER_CREDENTIALS_*)");
            return null;
        }
        var url = relative is not null ? new Uri("http://169.254.170.2" + relative) : Uri.TryCreate(full, UriKind.Absolute, out var u) ? u : null;
        // As the SDKs: plain http only to the container agent or the loopback interface.
        if (url is null || !(url.Scheme == "https" || (url.Scheme == "http" && (url.IsLoopback || url.Host is "169.254.170.2" or "169.254.170.23"))))
            throw new AmbientCredentialsException($"AWS_CONTAINER_CREDENTIALS_FULL_URI '{full}' must be https, or http to a loopback or container-agent address.");
        var token = NullIfEmpty(environment("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) is { } tokenFile
            ? File.ReadAllText(tokenFile).Trim()
            : NullIfEmpty(environment("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
        var headers = token is null ? null : new List<KeyValuePair<string, string>> { new("Authorization", token) };
        HttpResponse response;
        try { response = http.Send(new HttpRequest("GET", url, Headers: headers), TimeSpan.FromSeconds(5)); }
        catch (HttpTransportException e) { throw new AmbientCredentialsException($"the container credentials endpoint {url} cannot be reached: {e.Message}", e); }
        if (!response.IsSuccess)
            throw new AmbientCredentialsException($"the container credentials endpoint {url} answered HTTP {response.StatusCode}.");
        return ParseMetadataCredentials(response, "container credentials endpoint", url);
    }

    private AmbientCredentials? FromInstanceMetadata(List<string> tried)
    {
        if (string.Equals(environment("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            tried.Add("instance metadata disabled (AWS_EC2_METADATA_DISABLED)");
            return null;
        }
        var baseUrl = new Uri((NullIfEmpty(environment("AWS_EC2_METADATA_SERVICE_ENDPOINT")) ?? "http://169.254.169.254").TrimEnd('/') + "/");
        try
        {
            var tokenResponse = http.Send(new HttpRequest("PUT", new Uri(baseUrl, "latest/api/token"), [], null,
                [new("X-aws-ec2-metadata-token-ttl-seconds", "21600")]), MetadataTimeout);
            List<KeyValuePair<string, string>>? headers = tokenResponse.IsSuccess ? [new("X-aws-ec2-metadata-token", tokenResponse.BodyText.Trim())] : null;
            var roles = http.Send(new HttpRequest("GET", new Uri(baseUrl, "latest/meta-data/iam/security-credentials/"), Headers: headers), MetadataTimeout);
            if (roles.StatusCode == 401)
            {
                // IMDSv2 required: without a session token (or with one it no longer accepts) every read is refused.
                tried.Add($"the instance metadata service refused the request (HTTP 401; its session token request answered HTTP {tokenResponse.StatusCode})");
                return null;
            }
            var role = roles.IsSuccess ? roles.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() : null;
            if (role is null)
            {
                tried.Add("the instance metadata service has no instance profile");
                return null;
            }
            var url = new Uri(baseUrl, "latest/meta-data/iam/security-credentials/" + Uri.EscapeDataString(role));
            var credentials = http.Send(new HttpRequest("GET", url, Headers: headers), MetadataTimeout);
            return credentials.IsSuccess ? ParseMetadataCredentials(credentials, "instance metadata service", url) : null;
        }
        catch (HttpTransportException)
        {
            tried.Add("no instance metadata service");
            return null;
        }
    }

    private static AmbientCredentials ParseMetadataCredentials(HttpResponse response, string source, Uri url)
    {
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            var root = json.RootElement;
            DateTimeOffset? expires = root.TryGetProperty("Expiration", out var x) && Rfc3339.TryParse(x.GetString(), out var parsed) ? parsed : null;
            return new AmbientCredentials(root.GetProperty("AccessKeyId").GetString() ?? "", root.GetProperty("SecretAccessKey").GetString() ?? "",
                root.TryGetProperty("Token", out var t) ? t.GetString() : null, expires, source);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new AmbientCredentialsException($"the {source} {url} answered with something that is not a credentials document.", e);
        }
    }

    /// <summary>Whether a credential_process command starts credential-process (this program, or any copy of it).</summary>
    internal static bool RunsThisProgram(string command)
    {
        var trimmed = command.TrimStart();
        var program = trimmed.StartsWith('"') ? trimmed[1..].Split('"')[0] : trimmed.Split(' ', 2)[0];
        var name = Path.GetFileNameWithoutExtension(program.Replace('\\', '/').Split('/')[^1]);
        if (string.Equals(name, "credential-process", StringComparison.OrdinalIgnoreCase)) return true;
        return Environment.ProcessPath is { } self && string.Equals(Path.GetFullPath(program), self, StringComparison.Ordinal);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
