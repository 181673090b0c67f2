namespace Ccwb.Profiles.Validation;

/// <summary>Collects findings; rules add to it and never stop early, so the user sees every problem at once.</summary>
internal sealed class ValidationReport
{
    private readonly List<ProfileMessage> _messages = [];

    public IReadOnlyList<ProfileMessage> Messages => _messages;

    public void Error(string field, string message) => _messages.Add(new ProfileMessage(field, message));

    public void Warning(string field, string message) => _messages.Add(new ProfileMessage(field, message, Severity.Warning));

    /// <summary>Reports "Required field 'x' is missing or empty" and returns false when the value is blank.</summary>
    public bool Require(string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) return true;
        Error(field, $"Required field '{field}' is missing or empty");
        return false;
    }

    /// <summary>Reports "Invalid x: v. Must be 'a' or 'b'" when a set value is not one of the allowed ones.</summary>
    public void OneOf(string field, string? value, params string[] allowed)
    {
        if (value is null || allowed.Contains(value, StringComparer.Ordinal)) return;
        var choices = allowed.Length == 2
            ? $"'{allowed[0]}' or '{allowed[1]}'"
            : "one of " + string.Join(", ", allowed.Select(a => $"'{a}'"));
        Error(field, $"Invalid {field}: {value}. Must be {choices}");
    }
}
