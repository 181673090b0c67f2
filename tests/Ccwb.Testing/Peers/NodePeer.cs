using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ccwb.Testing.Peers;

/// <summary>
/// A server from tests/peers run with node: it prints "READY &lt;url&gt;" once listening and "REQUEST &lt;line&gt;" per
/// request it served. Started, awaited and stopped the same way for every such peer (dynalite, s3rver).
/// </summary>
public sealed class NodePeer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> requests = new();

    private NodePeer(Process process) => this.process = process;

    public string Url { get; private set; } = "";

    /// <summary>The REQUEST lines so far, in the order the server printed them.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    /// <param name="package">The npm package the script needs (checked first, for a clear message when npm ci was not run).</param>
    public static async Task<NodePeer> StartAsync(string script, string package, IEnumerable<string>? arguments = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!Directory.Exists(Repo.PathOf("tests", "peers", "node_modules", package)))
            throw new InvalidOperationException("npm peers missing: run `npm ci` in tests/peers (build/install-prerequisites.sh does it).");
        var start = new ProcessStartInfo("node", [Repo.PathOf("tests", "peers", script), .. arguments ?? []])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Repo.PathOf("tests", "peers"),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var peer = new NodePeer(Process.Start(start)!);
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();
        peer.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("READY ", StringComparison.Ordinal)) ready.TrySetResult(e.Data[6..]);
            else if (e.Data.StartsWith("REQUEST ", StringComparison.Ordinal)) peer.requests.Enqueue(e.Data[8..]);
        };
        peer.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        peer.process.BeginOutputReadLine();
        peer.process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(30))) != ready.Task)
        {
            await peer.DisposeAsync();
            throw new InvalidOperationException($"{package} did not start: " + string.Join('\n', errors));
        }
        peer.Url = await ready.Task;
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
