namespace Ccwb.Contract.Config;

/// <summary>The JSON type a config.json key holds.</summary>
public enum ConfigValueKind
{
    Text,
    /// <summary>A string that may also be JSON null (null and absent mean the same; "" means something else).</summary>
    NullableText,
    /// <summary>A JSON number without a fraction (a numeric string is accepted when read).</summary>
    WholeNumber,
    Boolean,
}

/// <summary>Who acts on a config.json key on the user's machine.</summary>
public enum ConfigKeyUse
{
    /// <summary>credential-process reads it and behaves accordingly.</summary>
    Helper,
    /// <summary>Read by the install scripts (IAM Identity Center's AWS CLI profile), not by credential-process.</summary>
    Installer,
    /// <summary>Written for people and for upstream's tools (upstream's helper ignores it too); nothing acts on it.</summary>
    Informational,
    /// <summary>An older name the helper still accepts for the key named in <see cref="ConfigKey.LegacyOf"/>.</summary>
    Legacy,
    /// <summary>A key upstream's helper reads that this version does not act on yet: the renderer must not write it.</summary>
    NotYetRead,
}

/// <summary>One key of a config.json profile.</summary>
/// <param name="LegacyOf">For a legacy key, the current key it stands in for when that one is empty.</param>
public sealed record ConfigKey(string Name, ConfigValueKind Kind, ConfigKeyUse Use, string? LegacyOf = null)
{
    public override string ToString() => Name;
}
