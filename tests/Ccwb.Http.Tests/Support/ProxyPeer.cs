using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ccwb.Testing;

namespace Ccwb.Http.Tests.Support;

/// <summary>
/// The npm HTTP proxy (tests/peers/http-proxy.mjs, on the `proxy` package) on 127.0.0.1. It resolves names under
/// .test to 127.0.0.1 and logs every request it receives ("CONNECT host:port", "GET http://...", "AUTH ...").
/// </summary>
public sealed class ProxyPeer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> log = new();

    private ProxyPeer(Process process) => this.process = process;

    public int Port { get; private set; }
    public IReadOnlyList<string> Log => [.. log];

    /// <param name="credentials">"user:password" the proxy requires (Basic), or null for an open proxy.</param>
    public static async Task<ProxyPeer> StartAsync(string? credentials = null)
    {
        if (!Directory.Exists(Repo.PathOf("tests", "peers", "node_modules", "proxy")))
            throw new InvalidOperationException("npm peers missing: run `npm ci` in tests/peers (build/install-prerequisites.sh does it).");
        var start = new ProcessStartInfo("node", [Repo.PathOf("tests", "peers", "http-proxy.mjs"), .. credentials is null ? Array.Empty<string>() : [credentials]])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Repo.PathOf("tests", "peers"),
        };
        var peer = new ProxyPeer(Process.Start(start)!);
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();
        peer.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("READY ", StringComparison.Ordinal)) ready.TrySetResult(int.Parse(e.Data[6..], CultureInfo.InvariantCulture));
            else peer.log.Enqueue(e.Data);
        };
        peer.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        peer.process.BeginOutputReadLine();
        peer.process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(20))) != ready.Task)
        {
            await peer.DisposeAsync();
            throw new InvalidOperationException("the proxy did not start: " + string.Join('\n', errors));
        }
        peer.Port = await ready.Task;
        return peer;
    }

    /// <summary>Waits until the proxy has logged <paramref name="line"/> (its output arrives asynchronously).</summary>
    public async Task<bool> LoggedAsync(string line)
    {
        for (var waited = 0; waited < 20_000; waited += 20)
        {
            if (log.Contains(line)) return true;
            await Task.Delay(20);
        }
        return false;
    }

    /// <summary>
    /// Everything the proxy has logged up to now. A marker request is sent through the proxy and awaited: its output is
    /// ordered, so every earlier request is in the log once the marker is.
    /// </summary>
    public async Task<IReadOnlyList<string>> LogSoFarAsync()
    {
        var marker = new Uri($"http://marker-{Guid.NewGuid():N}.invalid/");
        var direct = new HttpTransport(new ProxySelector(name => name == "http_proxy" ? $"http://127.0.0.1:{Port}" : null), "marker");
        direct.Send(HttpRequest.Get(marker), TimeSpan.FromSeconds(10)); // the proxy answers with an error status: it cannot resolve .invalid
        var line = $"GET {marker}";
        if (!await LoggedAsync(line)) throw new InvalidOperationException("the proxy did not log the marker request");
        return [.. Log.TakeWhile(l => l != line)];
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
