using Ccwb.Contract.CommandLine;
using Ccwb.Credentials.Config;
using Ccwb.Credentials.Otel;
using Ccwb.Credentials.Storage;

namespace Ccwb.OtelHelper.Front;

/// <summary>
/// The one call the front answers itself, the one Claude Code makes over and over: header mode with no flag but the
/// profile, no debug output, a header cache hit, a bearer token that needs no process (the environment's, else the
/// stored monitoring token), and no collector sidecar to (re)start. Every rule is otel-helper-full's, through the same
/// library code (argument parser, <see cref="OtelHeaderMode"/>, <see cref="OtelHeaderCache"/>,
/// <see cref="SidecarCollectorState"/>). Null means "not certain to be exactly the full program's answer": the call is
/// then handed over, so anything unusual costs a hand-over, never a different answer.
/// </summary>
/// <remarks>The full program writes nothing on a cache hit with such a token either.</remarks>
internal static class WarmHeaders
{
    private static readonly Action<string> Quiet = _ => { };

    /// <summary>The headers line otel-helper-full would print for these arguments, or null to hand over.</summary>
    public static string? TryAnswer(string[] args)
    {
        var commandLine = ShippedPrograms.OtelHelper.Parse(args);
        if (commandLine.Error is not null || commandLine.Positionals.Count > 0) return null;
        foreach (var flag in commandLine.GivenFlags)
            if (flag.Name != "profile") return null;
        // Log lines are the full program's to write.
        if (Environment.GetEnvironmentVariable("DEBUG_MODE") is not null) return null;

        var profile = OtelHeaderMode.SelectProfile(commandLine.Value("profile"), Environment.GetEnvironmentVariable);
        if (ProfileSelector.Problem(profile) is not null) return null;
        var paths = SessionPaths.ForCurrentUser();
        // A sidecar collector that may need (re)starting is the full program's; outside Linux, telling whether the
        // recorded process is the collector needs the process list, so an installed collector always hands over there.
        if (SidecarCollectorState.Installed(paths.Home) is { } collector
            && !(OperatingSystem.IsLinux() && SidecarCollectorState.RecordedCollectorRuns(paths.Home, collector.Program, SidecarCollectorState.LinuxProcessRuns)))
            return null;

        var clock = TimeProvider.System;
        if (new OtelHeaderCache(paths, profile, clock).Read() is not { } cached) return null;
        var bearer = OtelHeaderMode.EnvironmentToken(Environment.GetEnvironmentVariable, clock, Quiet)
                     ?? OtelHeaderMode.StoredToken(paths, profile, clock);
        // Without either, the full program asks credential-process for a token.
        if (bearer is null) return null;
        return OtelHeaderMode.Json(OtelHeaderMode.WithBearer(cached, bearer));
    }

    /// <summary>
    /// Whether these arguments ask for header mode (no --proxy, --status, --test, --version or --help), whose answer is
    /// always <c>{}</c> or headers, exit 0.
    /// </summary>
    public static bool IsHeaderMode(string[] args)
    {
        var commandLine = ShippedPrograms.OtelHelper.Parse(args);
        if (commandLine.Error is not null) return false;
        foreach (var mode in Modes)
            if (commandLine.Has(mode)) return false;
        return true;
    }

    private static readonly string[] Modes = ["proxy", "status", "test", "version", "help"];
}
