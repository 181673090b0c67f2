namespace Ccwb.Contract.Config;

/// <summary>
/// The characters a profile name may hold. The name becomes an INI section name, a file name, a keyring entry and an
/// unquoted word in scripts and registry paths, so it stays within upstream's alphabet: 1-64 ASCII letters, digits or
/// hyphens.
/// </summary>
public static class ProfileNames
{
    public const int MaxLength = 64;

    public const string Rule = "1-64 letters, digits or hyphens";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return false;
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        return true;
    }
}
