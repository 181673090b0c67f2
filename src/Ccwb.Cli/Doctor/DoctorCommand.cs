using System.Collections;
using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Contract.Files;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// <c>ccwb doctor</c>: checks an end user's installation (programs, config.json, AWS profile, Claude Code settings,
/// callback port, keyring, clock, proxy and CA settings), each check saying what to fix; <c>--live</c> also gets real
/// credentials. Exit 1 when any check fails. Everything shown or written has its secrets removed.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var profile = new Option<string?>("--profile", "-p") { Description = "Profile of config.json to check; default: $CCWB_PROFILE, ClaudeCode, or the only profile" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var live = new Option<bool>("--live", "-l") { Description = "Also get real credentials through the installed credential-process (may open the browser to sign in)" };
        var report = new Option<FileInfo?>("--report") { Description = "Also write a report to attach to a support ticket (secrets removed)" };
        var clockEndpoint = new Option<Uri?>("--clock-endpoint")
        {
            Description = "URL whose Date header the clock is compared with; default: the STS endpoint of the profile's region",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https") return url;
                result.AddError($"'{Ccwb.Http.TerminalText.Clean(text)}' is not an http(s) URL");
                return null;
            },
        };
        var doctor = new Command("doctor", "Check this computer's Claude Code with Bedrock installation and say what to fix. Exit 1 when a check fails.")
        {
            profile, json, live, report, clockEndpoint,
        };
        doctor.SetAction(parse =>
        {
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            var context = new DoctorContext(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                name => environment.GetValueOrDefault(name), parse.GetValue(profile), parse.GetValue(clockEndpoint));
            var redactor = new Redactor();
            redactor.AddSecretVariables(environment);
            foreach (var configProfile in context.Config?.Profiles.Values ?? [])
                redactor.AddSecret(configProfile.ClientSecret);

            var results = Run(Checks(TimeProvider.System, redactor, parse.GetValue(live)), context);
            if (parse.GetValue(json)) Console.Out.Write(redactor.Clean(Json(context.ProfileName, results)));
            else Console.Out.Write(redactor.Clean(Text(context.ProfileName, results)));

            if (parse.GetValue(report) is { } file)
            {
                try
                {
                    AtomicFile.WriteAllText(file.FullName, redactor.Clean(Report(context, environment, results)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Findings.Fail(Console.Error, "--report", $"cannot write {file.FullName}: {e.Message}");
                }
                if (!parse.GetValue(json)) Console.Out.WriteLine($"Report written to {file.FullName} (secrets removed).");
            }
            var failed = results.Where(r => r.Result.Status == DiagnosticStatus.Fail).Select(r => r.Name).ToList();
            if (failed.Count == 0) return 0;
            return Findings.Fail(Console.Error, "doctor", $"{failed.Count} check{(failed.Count == 1 ? "" : "s")} failed ({string.Join(", ", failed)}); each names its fix");
        });
        return doctor;
    }

    /// <summary>Every check in the order shown: the installation first, then the machine, then the live call.</summary>
    internal static IReadOnlyList<IDiagnostic> Checks(TimeProvider clock, Redactor redactor, bool live)
    {
        IDiagnostic[] all =
        [
            new CredentialProcessCheck(),
            new OtelHelperCheck(),
            new HelperConfigCheck(),
            new AwsProfileCheck(),
            new ClaudeSettingsCheck(),
            new CallbackPortCheck(),
            new KeyringCheck(),
            new ClockSkewCheck(clock),
            new ProxyCheck(),
            new TlsTrustCheck(),
            new LiveCredentialCheck(clock, redactor),
        ];
        return [.. all.Where(check => live || !check.IsLive)];
    }

    private static List<(string Name, DiagnosticResult Result)> Run(IReadOnlyList<IDiagnostic> checks, DoctorContext context)
    {
        var results = new List<(string, DiagnosticResult)>();
        foreach (var check in checks)
        {
            DiagnosticResult result;
            try
            {
                result = check.Run(context);
            }
            catch (Exception e)
            {
                // One check that cannot finish must not hide the others, whatever stopped it: doctor is where a broken
                // machine is looked at, so no failure of a check may end it with a stack trace.
                result = DiagnosticResult.Fail($"the check could not finish: {Ccwb.Http.TerminalText.Clean(e.Message)}",
                    "Run ccwb doctor again; if it repeats, attach --report to a support ticket.");
            }
            results.Add((check.Name, result));
        }
        return results;
    }

    private static string Label(DiagnosticStatus status) => status switch
    {
        DiagnosticStatus.Pass => "PASS",
        DiagnosticStatus.Warn => "WARN",
        DiagnosticStatus.Fail => "FAIL",
        _ => "SKIP",
    };

    internal static string Text(string profile, IReadOnlyList<(string Name, DiagnosticResult Result)> results)
    {
        var text = new StringBuilder($"Profile: {profile}\n\n");
        var width = results.Max(r => r.Name.Length);
        foreach (var (name, result) in results)
        {
            text.Append(Label(result.Status)).Append("  ").Append(name.PadRight(width)).Append("  ").Append(result.Summary).Append('\n');
            if (result.Fix is not null) text.Append(' ', 6 + width + 2).Append("fix: ").Append(result.Fix).Append('\n');
        }
        text.Append('\n').Append(Counts(results)).Append('\n');
        return text.ToString();
    }

    private static string Counts(IReadOnlyList<(string Name, DiagnosticResult Result)> results)
    {
        int Count(DiagnosticStatus status) => results.Count(r => r.Result.Status == status);
        return $"{results.Count} checks: {Count(DiagnosticStatus.Pass)} passed, {Count(DiagnosticStatus.Warn)} warned, " +
               $"{Count(DiagnosticStatus.Fail)} failed, {Count(DiagnosticStatus.Skipped)} skipped";
    }

    internal static string Json(string profile, IReadOnlyList<(string Name, DiagnosticResult Result)> results)
    {
        var checks = new JsonArray();
        foreach (var (name, result) in results)
        {
            checks.Add(new JsonObject
            {
                ["name"] = name,
                ["status"] = Label(result.Status).ToLowerInvariant(),
                ["summary"] = result.Summary,
                ["fix"] = result.Fix,
            });
        }
        var document = new JsonObject
        {
            ["profile"] = profile,
            ["checks"] = checks,
            ["passed"] = results.Count(r => r.Result.Status == DiagnosticStatus.Pass),
            ["warned"] = results.Count(r => r.Result.Status == DiagnosticStatus.Warn),
            ["failed"] = results.Count(r => r.Result.Status == DiagnosticStatus.Fail),
            ["skipped"] = results.Count(r => r.Result.Status == DiagnosticStatus.Skipped),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Variables worth seeing in a support ticket: what the helper, the AWS CLI and Claude Code read.</summary>
    private static bool IsReported(string name) =>
        name.StartsWith("AWS_", StringComparison.Ordinal) || name.StartsWith("CCWB_", StringComparison.Ordinal) ||
        name.StartsWith("CLAUDE_", StringComparison.Ordinal) || name.StartsWith("ANTHROPIC_", StringComparison.Ordinal) ||
        name.StartsWith("OTEL_", StringComparison.Ordinal) || name.StartsWith("SSL_CERT_", StringComparison.Ordinal) ||
        name.EndsWith("_proxy", StringComparison.OrdinalIgnoreCase) || name is "REDIRECT_PORT" or "DBUS_SESSION_BUS_ADDRESS" or "BROWSER";

    /// <summary>
    /// The report for a support ticket: versions, the checks, the relevant environment, config.json and the AWS profile
    /// section. Secret-named values are masked here; the caller's <see cref="Redactor"/> then removes any secret value
    /// that still appears anywhere in it.
    /// </summary>
    private static string Report(DoctorContext context, IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<(string Name, DiagnosticResult Result)> results)
    {
        var text = new StringBuilder();
        text.Append("ccwb doctor report\n");
        text.Append("ccwb: ").Append(typeof(DoctorCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion).Append('\n');
        text.Append("created: ").Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        text.Append("os: ").Append(RuntimeInformation.OSDescription).Append(" (").Append(RuntimeInformation.RuntimeIdentifier).Append(")\n\n");
        text.Append("== Checks ==\n").Append(Text(context.ProfileName, results));

        text.Append("\n== Environment ==\n");
        foreach (var (name, value) in environment.Where(e => IsReported(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append(name).Append('=').Append(Redactor.IsSecretName(name) ? Redactor.Mask : value).Append('\n');

        text.Append("\n== config.json ==\n");
        if (context.Config is { } config)
        {
            text.Append(config.Path).Append('\n');
            try
            {
                var node = JsonNode.Parse(File.ReadAllText(config.Path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                text.Append(Redactor.MaskSecretProperties(node)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).Append('\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                text.Append("(cannot be read: ").Append(e.Message).Append(")\n");
            }
        }
        else
        {
            text.Append('(').Append(context.ConfigError).Append(")\n");
        }

        var section = AwsIniText.ProfileSection(context.ProfileName);
        text.Append("\n== AWS config [").Append(section).Append("] ==\n").Append(context.AwsConfigPath).Append('\n');
        try
        {
            var entries = File.Exists(context.AwsConfigPath) ? AwsIniFile.Read(context.AwsConfigPath).Entries(section) : null;
            if (entries is null) text.Append("(no such section)\n");
            foreach (var (key, value) in entries ?? [])
                text.Append(key).Append(" = ").Append(Redactor.IsSecretName(key) ? Redactor.Mask : value).Append('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text.Append("(cannot be read: ").Append(e.Message).Append(")\n");
        }
        return text.ToString();
    }
}
