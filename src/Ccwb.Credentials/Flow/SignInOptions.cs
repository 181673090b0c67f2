using System.Globalization;

namespace Ccwb.Credentials.Flow;

/// <summary>Timing and environment of one invocation, read once from the process environment.</summary>
public sealed record SignInOptions
{
    /// <summary>How long the browser may take to come back (upstream: 5 minutes).</summary>
    public TimeSpan AuthenticationTimeout { get; init; } = TimeSpan.FromSeconds(300);
    public int? RedirectPortOverride { get; init; }

    /// <summary>A waiting invocation waits as long as the sign-in it waits for may take, plus a margin.</summary>
    public TimeSpan LockWait => AuthenticationTimeout + TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>REDIRECT_PORT</c> (a positive port number) overrides <c>redirect_port</c>; <c>CCWB_AUTH_TIMEOUT_SECONDS</c>
    /// shortens the browser wait (tests, scripted environments).
    /// </summary>
    public static SignInOptions FromEnvironment(Func<string, string?> environment)
    {
        var options = new SignInOptions();
        if (int.TryParse(environment("REDIRECT_PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
            options = options with { RedirectPortOverride = port };
        if (int.TryParse(environment("CCWB_AUTH_TIMEOUT_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            options = options with { AuthenticationTimeout = TimeSpan.FromSeconds(seconds) };
        return options;
    }

    public int RedirectPort(int configured) => RedirectPortOverride ?? (configured > 0 ? configured : Config.ProfileConfig.DefaultRedirectPort);
}
