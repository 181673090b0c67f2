namespace Ccwb.Http;

/// <summary>
/// The request did not produce an HTTP response: DNS, connection, TLS, proxy, time-out or a malformed answer. The
/// message says which and is fit to show to the user. An IOException so callers treat it like any transport failure.
/// </summary>
public class HttpTransportException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>No complete answer before the deadline.</summary>
public sealed class HttpTimeoutException(TimeSpan timeout)
    : HttpTransportException($"no answer within {timeout.TotalSeconds:0.#} s");
