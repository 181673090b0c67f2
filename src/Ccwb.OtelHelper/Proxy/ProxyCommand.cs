using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Passthrough;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.OtelHelper.Proxy;

/// <summary><c>otel-helper --proxy [--proxy-port N] [--proxy-region R]</c>: runs the signing proxy until SIGINT or SIGTERM.</summary>
internal static class ProxyCommand
{
    public const int DefaultPort = 4318;
    private static readonly TimeSpan RewarmEvery = TimeSpan.FromMinutes(5);

    public static int Run(string profile, string? portFlag, string? regionFlag, HeaderSource headers, string userAgent, Action<string> log)
    {
        var region = First(regionFlag, Environment.GetEnvironmentVariable("AWS_REGION"), Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
        if (region is null) return Fail("--proxy-region", "--proxy-region or AWS_REGION must be set");
        var port = DefaultPort;
        if (portFlag is not null && (!int.TryParse(portFlag, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            return Fail("--proxy-port", $"'{Terminal.Printable(portFlag)}' is not a port number (1-65535)");

        // The profile's own credential chain signs: AWS_PROFILE names it, for this process and the credential_process it runs.
        string? Variable(string name) => name == "AWS_PROFILE" ? profile : Environment.GetEnvironmentVariable(name);
        Uri endpoint;
        try
        {
            endpoint = AwsEndpoints.CloudWatch(region, Variable);
        }
        catch (FederationException e)
        {
            return Fail("--proxy-region", e.Message);
        }
        var http = HttpTransport.FromEnvironment(Variable, userAgent);
        var chain = new AmbientCredentialChain(SessionPaths.ForCurrentUser().Home, http, Variable, TimeProvider.System, log, runsCredentialProcess: true);
        var credentials = new RenewingCredentials(chain.Resolve, TimeProvider.System);

        // The header cache is warmed at start (credential-process may sign the user in) and again, at most every five
        // minutes, while it is empty; the proxy never waits for it.
        var lastWarm = DateTimeOffset.MinValue;
        var warmLock = new object();
        void Warm()
        {
            lock (warmLock)
            {
                if (TimeProvider.System.GetUtcNow() - lastWarm < RewarmEvery) return;
                lastWarm = TimeProvider.System.GetUtcNow();
            }
            _ = Task.Run(() =>
            {
                try { headers.Resolve(writeCache: true); }
                catch (Exception e) when (e is not OutOfMemoryException) { log($"warming the header cache failed: {e.Message}"); }
            });
        }
        IReadOnlyDictionary<string, string>? Attribution()
        {
            var cached = headers.CachedHeaders();
            if (cached is not { Count: > 0 }) Warm();
            return cached;
        }

        using var proxy = new SigningProxy(new ProxyUpstream(endpoint, region, credentials.Get, Attribution, http), TimeProvider.System, log,
            message => Console.Error.WriteLine($"warning: proxy: {Terminal.Printable(message)}"));
        try
        {
            proxy.Start(port);
        }
        catch (SocketException e)
        {
            return Fail("--proxy-port", $"cannot listen on 127.0.0.1:{port}: {e.Message}");
        }
        Console.Error.WriteLine($"otel-helper: signing proxy for profile {Terminal.Printable(profile)} on http://127.0.0.1:{proxy.Port}, " +
                                $"forwarding to {endpoint.GetLeftPart(UriPartial.Authority)} ({region})");
        Warm();

        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        proxy.RunAsync(stop.Token).GetAwaiter().GetResult();
        Console.Error.WriteLine("otel-helper: signing proxy stopped");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static int Fail(string subject, string message)
    {
        Console.Error.WriteLine($"error: {subject}: {message}");
        return 1;
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}

/// <summary>The chain's credentials, kept until five minutes before they expire (as the AWS SDKs do).</summary>
internal sealed class RenewingCredentials(Func<AmbientCredentials> resolve, TimeProvider clock)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly object gate = new();
    private AwsCredentials? current;

    public AwsCredentials Get()
    {
        lock (gate)
        {
            if (current is null || current.Expiration - clock.GetUtcNow() < RenewBefore)
            {
                var fresh = resolve();
                current = new AwsCredentials(fresh.AccessKeyId, fresh.SecretAccessKey, fresh.SessionToken ?? "", fresh.Expiration ?? DateTimeOffset.MaxValue);
            }
            return current;
        }
    }
}
