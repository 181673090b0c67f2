using System.Diagnostics;
using System.Net.Sockets;

namespace Ccwb.Http;

/// <summary>One time limit for a whole request: connecting, TLS, sending and reading the answer.</summary>
internal sealed class Deadline(TimeSpan timeout)
{
    private readonly long start = Stopwatch.GetTimestamp();

    public TimeSpan Timeout { get; } = timeout;

    public TimeSpan Remaining
    {
        get
        {
            var left = Timeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero) throw new HttpTimeoutException(Timeout);
            return left;
        }
    }

    /// <summary>Waits until the socket can be read (or written); throws when the deadline passes first.</summary>
    public void Wait(Socket socket, SelectMode mode)
    {
        while (!socket.Poll(Remaining, mode)) { }
    }
}
