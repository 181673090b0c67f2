using System.Globalization;
using System.Text.RegularExpressions;

namespace Ccwb.CloudFormation.Templates;

/// <summary>A parameter a template declares, with the constraints CloudFormation enforces on its value.</summary>
public sealed record TemplateParameter(
    string Name,
    string Type,
    string? Default,
    string? AllowedPattern,
    IReadOnlyList<string> AllowedValues,
    int? MinLength,
    int? MaxLength,
    double? MinValue,
    double? MaxValue,
    bool NoEcho = false)
{
    public bool IsRequired => Default is null;

    public bool IsList => Type.StartsWith("CommaDelimitedList", StringComparison.Ordinal) || Type.StartsWith("List<", StringComparison.Ordinal);

    /// <summary>Why CloudFormation would refuse <paramref name="value"/>, or null when it would accept it.</summary>
    public string? Violation(string value)
    {
        // List parameters are checked item by item, as CloudFormation does.
        foreach (var item in IsList ? value.Split(',') : [value])
        {
            if (AllowedValues.Count > 0 && !AllowedValues.Contains(item, StringComparer.Ordinal))
                return $"'{item}' is not one of {string.Join(", ", AllowedValues)}";
            if (AllowedPattern is not null && !Regex.IsMatch(item, AllowedPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                return $"'{item}' does not match {AllowedPattern}";
            if (MinLength is { } min && item.Length < min) return $"'{item}' is shorter than {min} characters";
            if (MaxLength is { } max && item.Length > max) return $"'{item}' is longer than {max} characters";
            if (Type == "Number")
            {
                if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return $"'{item}' is not a number";
                if (MinValue is { } lo && number < lo) return $"{item} is less than {lo.ToString(CultureInfo.InvariantCulture)}";
                if (MaxValue is { } hi && number > hi) return $"{item} is greater than {hi.ToString(CultureInfo.InvariantCulture)}";
            }
        }
        return null;
    }
}
