using System.Globalization;

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>
/// A session-cache entry in a user's ~/.aws/credentials, as credential-process writes it after a sign-in: the helper
/// must answer from it without any network.
/// </summary>
public static class CachedCredentials
{
    public const string AccessKeyId = "ASIAPACKAGETEST00001";

    /// <summary>Writes the cache entry for <paramref name="profile"/> under <paramref name="home"/> (a host path).</summary>
    public static void Seed(string home, string profile, string newline = "\n")
    {
        var aws = Path.Combine(home, ".aws");
        Directory.CreateDirectory(aws);
        var expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(aws, "credentials"), string.Join(newline,
            $"[{profile}]",
            $"aws_access_key_id = {AccessKeyId}",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "aws_session_token = FwoGZXIvYXdzEXAMPLETOKEN",
            $"x-expiration = {expiration}",
            ""));
    }

    /// <summary>
    /// Writes what a sign-in leaves for otel-helper: the header cache and the monitoring token (the bearer a central
    /// collector checks; without it otel-helper asks credential-process, which signs in through the browser).
    /// </summary>
    public static void SeedOtelHeaders(string home, string profile)
    {
        var session = Path.Combine(home, ".claude-code-session");
        Directory.CreateDirectory(session);
        File.WriteAllText(Path.Combine(session, $"{profile}-otel-headers.json"),
            "{\"schema_version\":2,\"headers\":{\"x-user-email\":\"pat@example.com\"},\"token_exp\":99999999999,\"cached_at\":1700000000}");
        File.WriteAllText(Path.Combine(session, $"{profile}-monitoring.json"),
            $"{{\"token\":\"{MonitoringToken}\",\"expires\":99999999999,\"email\":\"pat@example.com\",\"profile\":\"{profile}\"}}");
    }

    // An id token's shape (header.payload.signature); otel-helper forwards it as the bearer without checking it.
    private static readonly string MonitoringToken = string.Join('.',
        new[] { """{"alg":"none"}""", """{"email":"pat@example.com","exp":99999999999}""", "sig" }
            .Select(part => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(part)).TrimEnd('=').Replace('+', '-').Replace('/', '_')));

    /// <summary>Asserts otel-helper served the seeded headers and bearer, as Claude Code's otelHeadersHelper reads them.</summary>
    public static void AssertOtelHeaders(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"{{\"authorization\":\"Bearer {MonitoringToken}\",\"x-user-email\":\"pat@example.com\"}}", result.Output.Trim());
    }

    /// <summary>
    /// Asserts <c>--desktop</c> answers with a Bedrock token, and a second call (after the token's second has passed)
    /// with the same one: the token kept for the cached credentials, handed out again by the installed front.
    /// </summary>
    public static void AssertDesktopToken(Func<Run.Result> desktop)
    {
        var first = desktop();
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.StartsWith("{\"token\":\"bedrock-api-key-", first.Output.Trim(), StringComparison.Ordinal);
        Thread.Sleep(TimeSpan.FromSeconds(1.1));
        var again = desktop();
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(first.Output, again.Output);
    }

    /// <summary>Asserts the helper printed the cached credentials in credential_process format.</summary>
    public static void AssertPrinted(Run.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"{{\"Version\":1,\"AccessKeyId\":\"{AccessKeyId}\"", result.Output.Trim(), StringComparison.Ordinal);
    }
}
