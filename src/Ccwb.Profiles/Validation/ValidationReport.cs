namespace Ccwb.Profiles.Validation;

/// <summary>Collects findings; rules add to it and never stop early, so the user sees every problem at once.</summary>
internal sealed class ValidationReport(ValidationPurpose purpose, CoworkFormats coworkFormats)
{
    private readonly List<ProfileMessage> _messages = [];

    public ValidationPurpose Purpose { get; } = purpose;

    /// <summary>The Cowork formats about to be written (none unless the purpose writes Cowork files).</summary>
    public CoworkFormats CoworkFormats { get; } = coworkFormats;

    /// <summary>
    /// The findings, each once. A warning about a field that also has an error is left out: the error says more
    /// (e.g. "federated_role_arn not set yet" is a warning for the profile and an error for a package).
    /// </summary>
    public IReadOnlyList<ProfileMessage> Messages
    {
        get
        {
            var failed = _messages.Where(m => m.Severity == Severity.Error).Select(m => m.Field).ToHashSet(StringComparer.Ordinal);
            return [.. _messages.Distinct().Where(m => m.Severity == Severity.Error || !failed.Contains(m.Field))];
        }
    }

    public void Error(string field, string message) => _messages.Add(new ProfileMessage(field, message));

    public void Warning(string field, string message) => _messages.Add(new ProfileMessage(field, message, Severity.Warning));

    public bool HasError(string field) => _messages.Exists(m => m.Field == field && m.Severity == Severity.Error);

    /// <summary>
    /// "is required: why" for a value an output needs, unless a rule about the profile already reported the field.
    /// </summary>
    public void Need(string field, string why)
    {
        if (!HasError(field)) Error(field, $"is required: {why}");
    }

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
