using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Jwt;
using Ccwb.Credentials.Otel;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// Telemetry attribution for profiles without an id token (IAM Identity Center, passthrough): the user is named by
/// the session of the role the credentials act as, <c>arn:…:assumed-role/&lt;role&gt;/&lt;session&gt;</c>.
/// </summary>
public static class CallerIdentity
{
    /// <summary>How long headers derived from an ARN are served before they are looked up again.</summary>
    public static readonly TimeSpan HeaderLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// The lookup after credentials were handed out is a courtesy to otel-helper: it gets less time than a lookup the
    /// caller waits for, because the program the credentials went to waits for this process to exit.
    /// </summary>
    public static readonly TimeSpan AfterHandOutTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Looks up who <paramref name="credentials"/> are (GetCallerIdentity) and caches the attribution headers.</summary>
    public static void WriteHeaderCache(CommandContext context, AwsCredentials credentials, string region, TimeSpan? timeout = null)
    {
        var now = context.Clock.GetUtcNow();
        var arn = new StsClient(context.Http(), AwsEndpoints.Sts(region, context.Environment)).GetCallerIdentityArn(credentials, region, now, timeout);
        if (UserOf(arn) is not { } user)
        {
            context.Diagnostics.Debug("The role session does not name a user; no attribution headers are cached.");
            return;
        }
        var headers = AttributionHeaders.From(JwtClaims.FromStrings(new Dictionary<string, string> { ["email"] = user }),
            context.Config.CostAttributionTagKey);
        new OtelHeaderCache(context.Paths, context.Config.Name, context.Clock)
            .WriteOrReport(headers, (now + HeaderLifetime).ToUnixTimeSeconds(), context.Diagnostics.Debug);
    }

    /// <summary>
    /// <see cref="WriteHeaderCache"/> after a normal run printed <paramref name="credentials"/> (upstream's step 7 of
    /// §3.9 and §3.10): a failed lookup is a debug line, as a header cache that cannot be written is on the OIDC path,
    /// never an error for credentials already handed out.
    /// </summary>
    public static void WriteHeaderCacheAfterHandOut(CommandContext context, AwsCredentials credentials, string region)
    {
        try
        {
            WriteHeaderCache(context, credentials, region, AfterHandOutTimeout);
        }
        catch (FederationException e)
        {
            context.Diagnostics.Debug($"No attribution headers cached: {e.Message}");
        }
    }

    /// <summary>
    /// The session name of an assumed-role ARN when it names a user: an email address, or any name under an IAM
    /// Identity Center role (<c>AWSReservedSSO_…</c>, whose sessions are user names). Null otherwise.
    /// </summary>
    public static string? UserOf(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || !parts[5].StartsWith("assumed-role/", StringComparison.Ordinal)) return null;
        var path = parts[5].Split('/');
        if (path.Length < 3) return null;
        var session = path[^1];
        if (session.Length == 0 || session.Any(char.IsControl)) return null;
        return session.Contains('@', StringComparison.Ordinal) || arn.Contains("AWSReservedSSO", StringComparison.Ordinal) ? session : null;
    }
}
