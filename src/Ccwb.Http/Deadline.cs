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

    // Socket.Poll takes at most int.MaxValue microseconds (about 36 minutes); longer limits wait in several polls.
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMicroseconds(int.MaxValue);

    /// <summary>Waits until the socket can be read (or written); throws when the deadline passes first.</summary>
    public void Wait(Socket socket, SelectMode mode)
    {
        while (true)
        {
            var remaining = Remaining;
            if (socket.Poll(remaining < LongestPoll ? remaining : LongestPoll, mode)) return;
        }
    }
}
