using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ccwb.Testing.Peers;

/// <summary>
/// The npm OpenID provider (tests/peers/oidc-provider.mjs, on oauth2-mock-server) on 127.0.0.1: real RS256-signed
/// id tokens, PKCE checked, refresh tokens tracked. Counts the authorization and token requests it served.
/// </summary>
public sealed class OidcPeer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> events = new();

    private OidcPeer(Process process, string baseUrl, string issuer)
    {
        this.process = process;
        BaseUrl = baseUrl;
        Issuer = issuer;
    }

    /// <summary>Scheme, host and port: what a provider_domain names (plus a path for some providers).</summary>
    public string BaseUrl { get; }
    public string Issuer { get; }
    /// <summary>The port the provider listens on (plain HTTP on 127.0.0.1), which a TLS front end forwards to.</summary>
    public int ListenPort { get; private init; }
    public int Authorizations => events.Count(e => e == "AUTHORIZE");
    public int TokenRequests(string grant) => events.Count(e => e == "TOKEN " + grant);

    /// <param name="layout">generic, okta (custom authorization server "default") or azure (tenant "tenant-1").</param>
    /// <param name="publicUrl">The address clients reach the provider at, when a TLS front end forwards to it; the issuer
    /// and endpoints it publishes then name that address.</param>
    public static async Task<OidcPeer> StartAsync(string mode = "normal", string layout = "generic", string? publicUrl = null)
    {
        var script = Repo.PathOf("tests", "peers", "oidc-provider.mjs");
        if (!Directory.Exists(Repo.PathOf("tests", "peers", "node_modules", "oauth2-mock-server")))
            throw new InvalidOperationException("npm peers missing: run `npm ci` in tests/peers (build/install-prerequisites.sh does it).");
        var start = new ProcessStartInfo("node", [script, mode, layout])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Repo.PathOf("tests", "peers"),
        };
        if (publicUrl is not null) start.Environment["OIDC_PUBLIC_URL"] = publicUrl;
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        OidcPeer? peer = null;
        var pending = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("READY ", StringComparison.Ordinal)) ready.TrySetResult(e.Data[6..]);
            else if (peer is not null) peer.events.Enqueue(e.Data);
            else pending.Enqueue(e.Data);
        };
        var errors = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        if (finished != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("OpenID provider did not start: " + string.Join('\n', errors));
        }
        var urls = (await ready.Task).Split(' ');
        peer = new OidcPeer(process, urls[0], urls[1]) { ListenPort = int.Parse(urls[2], System.Globalization.CultureInfo.InvariantCulture) };
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
