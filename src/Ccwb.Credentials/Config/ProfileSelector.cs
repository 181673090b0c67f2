namespace Ccwb.Credentials.Config;

/// <summary>Which profile an invocation means: <c>-p</c> &gt; <c>--profile</c> &gt; <c>CCWB_PROFILE</c> &gt; <c>ClaudeCode</c>.</summary>
public static class ProfileSelector
{
    public const string BuiltInDefault = "ClaudeCode";

    public static string DefaultName(string? ccwbProfileVariable) =>
        string.IsNullOrEmpty(ccwbProfileVariable) ? BuiltInDefault : ccwbProfileVariable;

    public static string Resolve(string? shortFlag, string? longFlag, string? ccwbProfileVariable)
    {
        if (!string.IsNullOrEmpty(shortFlag)) return shortFlag;
        if (!string.IsNullOrEmpty(longFlag)) return longFlag;
        return DefaultName(ccwbProfileVariable);
    }

    /// <summary>
    /// A config.json with exactly one profile serves the default name, so a single-profile install works without
    /// <c>--profile</c>. A name the file really contains is never replaced.
    /// </summary>
    public static string ApplySoleProfile(string resolved, string? ccwbProfileVariable, ConfigFile config)
    {
        if (config.Profiles.ContainsKey(resolved)) return resolved;
        if (resolved != DefaultName(ccwbProfileVariable) || config.Profiles.Count != 1) return resolved;
        return config.Profiles.Keys.First();
    }
}
