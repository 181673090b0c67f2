using System.Diagnostics;
using Ccwb.Contract.Install;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Otel;
using Ccwb.Credentials.Storage;

namespace Ccwb.OtelHelper;

/// <summary>
/// Finds the attribution headers for a profile: the header cache first; else an id token (the environment's, the
/// stored monitoring token, or one from <c>credential-process --get-monitoring-token</c>) whose claims become the
/// headers. The id token also becomes the <c>authorization</c> bearer that central collectors check.
/// </summary>
internal sealed class HeaderSource(string profile, SessionPaths paths, Func<string, string?> environment, TimeProvider clock, Action<string> log)
{
    private readonly OtelHeaderCache cache = new(paths, profile, clock);

    /// <summary>The headers to send (empty when nothing is known), with the claims they came from when a token was decoded.</summary>
    /// <param name="writeCache">False for <c>--test</c>, which must leave no trace.</param>
    public (SortedDictionary<string, string> Headers, JwtClaims? Claims) Resolve(bool writeCache)
    {
        if (cache.Read() is { } cached)
        {
            log($"header cache hit ({cached.Count} headers)");
            var bearer = EnvironmentToken() ?? StoredToken() ?? TokenFromCredentialProcess();
            var headers = OtelHeaderMode.WithBearer(cached, bearer);
            if (bearer is null) log("no id token for the bearer header; sending the headers without it");
            return (headers, bearer is null ? null : TryDecode(bearer));
        }

        var token = EnvironmentToken() ?? StoredToken() ?? TokenFromCredentialProcess();
        var claims = token is null ? null : TryDecode(token);
        if (token is null || claims is null)
        {
            log("no usable id token; answering {}");
            if (writeCache) cache.WriteEmptyIfSafe();
            return (new SortedDictionary<string, string>(StringComparer.Ordinal), null);
        }
        var extracted = AttributionHeaders.From(claims, CostAttributionTagKey());
        if (writeCache && claims.Expires > 0) cache.Write(extracted, claims.Expires);
        extracted[AttributionHeaders.Authorization] = "Bearer " + token;
        return (extracted, claims);
    }

    public IReadOnlyDictionary<string, string>? CachedHeaders() => cache.Read();

    /// <summary>The bearer tokens a warm call may send without starting a process, in this order (see <see cref="OtelHeaderMode"/>).</summary>
    private string? EnvironmentToken() => OtelHeaderMode.EnvironmentToken(environment, clock, log);

    private string? StoredToken() => OtelHeaderMode.StoredToken(paths, profile, clock);

    /// <summary>Runs the credential-process installed beside this program (else in ~/claude-code-with-bedrock); null on any failure.</summary>
    private string? TokenFromCredentialProcess()
    {
        var program = CredentialProcessPath();
        if (program is null)
        {
            log("credential-process not found beside otel-helper or in ~/claude-code-with-bedrock");
            return null;
        }
        try
        {
            var start = new ProcessStartInfo(program, ["--profile", profile, "--get-monitoring-token"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            start.Environment["AWS_PROFILE"] = profile;
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            // A browser sign-in may take its full five minutes.
            if (!process.WaitForExit(TimeSpan.FromSeconds(330)))
            {
                process.Kill(entireProcessTree: true);
                log("credential-process --get-monitoring-token did not finish");
                return null;
            }
            if (process.ExitCode != 0)
            {
                log($"credential-process --get-monitoring-token failed (exit {process.ExitCode}): {error.Result.Trim()}");
                return null;
            }
            var token = output.Trim();
            return token.Length == 0 ? null : token;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            log($"cannot run credential-process: {e.Message}");
            return null;
        }
    }

    private string? CredentialProcessPath() =>
        InstallLocations.SiblingFolders(paths.Home).Select(d => Path.Combine(d, InstallLocations.ProgramFileName("credential-process"))).FirstOrDefault(File.Exists);

    private string CostAttributionTagKey()
    {
        try
        {
            return ConfigLoader.LoadFirst(Path.GetDirectoryName(Environment.ProcessPath), paths.Home).Get(profile).CostAttributionTagKey;
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException)
        {
            // Attribution without x-project is better than none.
            log($"config.json not usable ({e.Message}); x-project comes from the Project tag");
            return "Project";
        }
    }

    private JwtClaims? TryDecode(string token) => OtelHeaderMode.TryDecode(token, log);
}
