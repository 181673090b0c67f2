using System.Net;
using System.Net.Sockets;

namespace Ccwb.Credentials.IdentityCenter;

/// <summary>
/// Serialises SSO token renewal across processes by holding a loopback port (upstream: 8402). Identity Center refresh
/// tokens rotate: two processes redeeming the same one would leave the loser with InvalidGrantException and the cache
/// with a token the service no longer accepts. A port rather than a file lock: the OS releases it when a holder dies.
/// </summary>
public sealed class IdcRefreshLock : IDisposable
{
    public const int DefaultPort = 8402;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly TcpListener listener;

    private IdcRefreshLock(TcpListener listener) => this.listener = listener;

    /// <summary>
    /// The lock, or null when another process held it for all of <paramref name="maxWait"/>. <c>Waited</c>
    /// says whether another holder was waited for (it may have renewed the token meanwhile).
    /// </summary>
    public static async Task<(IdcRefreshLock? Lock, bool Waited)> AcquireAsync(int port, TimeSpan maxWait, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + maxWait;
        var waited = false;
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            // On Windows a second socket could otherwise bind the same port.
            if (OperatingSystem.IsWindows()) listener.ExclusiveAddressUse = true;
            try
            {
                listener.Start(1);
                return (new IdcRefreshLock(listener), waited);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                listener.Dispose();
            }
            waited = true;
            if (DateTime.UtcNow >= deadline) return (null, waited);
            await Task.Delay(PollInterval, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary><c>CCWB_IDC_LOCK_PORT</c> (a port number) overrides <see cref="DefaultPort"/>.</summary>
    public static int PortFrom(Func<string, string?> environment) =>
        int.TryParse(environment("CCWB_IDC_LOCK_PORT"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
        && port is > 0 and <= 65535 ? port : DefaultPort;

    public void Dispose() => listener.Dispose();
}
