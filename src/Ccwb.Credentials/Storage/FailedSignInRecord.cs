using System.Globalization;
using System.Text.Json;
using Ccwb.Contract.Files;

namespace Ccwb.Credentials.Storage;

/// <summary>
/// When a profile's last browser sign-in failed (<c>~/.claude-code-session/&lt;profile&gt;-sign-in-failed.json</c>).
/// A call of the same profile that was already running then (waiting on the sign-in lock, or not yet there) shares
/// that failure instead of opening a second browser window; calls of other profiles, which may share the lock's
/// port, are not affected. A call started after the failure signs in again as usual.
/// </summary>
public sealed class FailedSignInRecord(string path)
{
    /// <summary>The message for a call that shares another's failed sign-in rather than opening its own browser.</summary>
    public const string SharedFailure =
        "another credential-process sign-in ran at the same time and did not produce credentials; see its message, then try again.";

    private const string FailedAt = "failed_at";

    /// <summary>
    /// When this process started, as far as the record is concerned: set by <see cref="NoteProcessStart"/>, which the
    /// program calls first. (Not <c>Process.StartTime</c>: it is derived from the boot time, which can be off by up to a
    /// second, enough to refuse a call that started after the failure.) Without the call it is the first check, so
    /// no earlier failure is shared.
    /// </summary>
    private static readonly DateTime ProcessStarted;

    /// <summary>
    /// Set by the credential-process front when it hands a call over (<c>DateTime.Ticks</c>, UTC): the call started in
    /// the front, a moment before this program. Cleared at once, so no program this one starts inherits it.
    /// </summary>
    public const string CallStartedVariable = "CCWB_CALL_STARTED";

    /// <summary>How old a handed-over start may be: the front hands over within milliseconds; anything older is stale.</summary>
    private static readonly TimeSpan HandOverLimit = TimeSpan.FromSeconds(10);

    // An explicit static constructor runs exactly at the first use of the class, not at a time the runtime picks.
    static FailedSignInRecord()
    {
        var now = DateTime.UtcNow;
        var handedOver = Environment.GetEnvironmentVariable(CallStartedVariable);
        if (handedOver is not null) Environment.SetEnvironmentVariable(CallStartedVariable, null);
        ProcessStarted = StartOfCall(now, handedOver);
    }

    /// <summary>
    /// Fixes this process's start time for <see cref="FailedSinceThisProcessStarted"/> (runs the static constructor):
    /// the front's start when it handed this call over, else now.
    /// </summary>
    public static void NoteProcessStart() { }

    /// <summary>The start the front handed over (<see cref="CallStartedVariable"/>) when it is recent, else <paramref name="now"/>.</summary>
    internal static DateTime StartOfCall(DateTime now, string? handedOver) =>
        long.TryParse(handedOver, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= now.Ticks
        && now.Ticks - ticks <= HandOverLimit.Ticks
            ? new DateTime(ticks, DateTimeKind.Utc)
            : now;

    /// <summary>Records a failure now; a folder that cannot be written only loses the record, not the sign-in's own error.</summary>
    public void TrySave()
    {
        var json = $$"""{"{{FailedAt}}":"{{DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)}}"}""";
        try { AtomicFile.WriteAllText(path, json); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>True when a sign-in failed after this process started (and not in the future: a clock set back).</summary>
    public bool FailedSinceThisProcessStarted()
    {
        DateTime failedAt;
        try
        {
            using var record = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!record.RootElement.TryGetProperty(FailedAt, out var value) || value.ValueKind != JsonValueKind.String ||
                !DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out failedAt))
                return false;
        }
        // Absent (the usual case) is an IOException too.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return false; }
        return failedAt >= ProcessStarted && failedAt <= DateTime.UtcNow;
    }
}
