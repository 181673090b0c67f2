using System.Net;

namespace Ccwb.Testing.Peers;

/// <summary>
/// The accept loop every HTTP test peer shares: an <see cref="HttpListener"/> on a loopback prefix that hands each
/// request to the peer's handler on its own task, so a slow answer never holds up the next request.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerContext, Task> handle;

    /// <param name="prefix">A loopback URL ending in '/', e.g. http://127.0.0.1:PORT/ (from <see cref="AwsPeer.FreePort"/>).</param>
    public LoopbackHttpServer(string prefix, Func<HttpListenerContext, Task> handle)
    {
        this.handle = handle;
        listener.Prefixes.Add(prefix);
        listener.Start();
        _ = ServeAsync();
    }

    public bool IsListening => listener.IsListening;

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => handle(context));
        }
    }

    // Close alone: on Linux, Stop then Close unregisters the prefixes twice, and the second pass binds the port again
    // to look them up, failing with "Address already in use" when another peer has taken the port meanwhile.
    public void Dispose() => listener.Close();
}
