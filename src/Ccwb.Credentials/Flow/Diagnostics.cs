namespace Ccwb.Credentials.Flow;

/// <summary>Everything the user reads goes to stderr; stdout carries only the command's answer.</summary>
public sealed class Diagnostics(TextWriter stderr, bool debugEnabled)
{
    public TextWriter Writer { get; } = stderr;

    /// <summary><c>COGNITO_AUTH_DEBUG</c> = 1, true or yes (any case) turns on debug lines.</summary>
    public static bool DebugRequested(string? value) =>
        value is not null && (value.Equals("1", StringComparison.Ordinal) || value.Equals("true", StringComparison.OrdinalIgnoreCase) ||
                              value.Equals("yes", StringComparison.OrdinalIgnoreCase));

    public void Info(string message) => Writer.WriteLine(message);

    /// <summary>Never pass tokens or secrets here.</summary>
    public void Debug(string message)
    {
        if (debugEnabled) Writer.WriteLine("Debug: " + message);
    }
}
